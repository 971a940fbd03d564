"""iCalendar (RFC 5545) with the icalendar library: events with their real time zones
(VTIMEZONE, never floating times) and call deadlines with an optional reminder."""

from __future__ import annotations

import weakref
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar

from . import __version__
from .config import SiteConfig
from .model import CalendarSpec, Item
from .timeline import elapsed, event_end

_STATUS = {"scheduled": "CONFIRMED", "moved-online": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def render_calendar(spec: CalendarSpec, config: SiteConfig) -> bytes:
    """The calendar's own lines, then a VTIMEZONE for each zone its entries use (in the order
    they first use them), then the entries. An entry's lines are made once per item and
    reused by every calendar that lists it (an event is in its own file, its section's, its
    tags' and its programme's): the bytes are those icalendar's Calendar.to_ical() gives."""
    entries = [_entry(item, spec.kind, config) for item in spec.items]
    first, last = _span(spec)
    order = dict.fromkeys(tzid for _lines, tzids in entries for tzid in tzids if tzid != "UTC")
    # VTIMEZONE blocks only for the years the entries need, so files stay small.
    since, until = first.date() - timedelta(days=366), last.date() + timedelta(days=366)
    zones = [_timezone(tzid, since, until) for tzid in order]
    return b"".join([_head(config), _name(spec.title), *zones, *(lines for lines, _tzids in entries), _END])


_BEGIN, _END = b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"


@lru_cache(maxsize=8)
def _head(config: SiteConfig) -> bytes:
    """The calendar's lines that are the same in every calendar of the site. icalendar writes
    VERSION, PRODID and CALSCALE first and other properties after them, so the calendar's name
    (X-WR-CALNAME) follows these lines."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sitegen {__version__}//{config.title}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return _lines(calendar)[: -len(_END)]


def _name(title: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("x-wr-calname", title)
    return _lines(calendar)[len(_BEGIN) : -len(_END)]


def _lines(component: icalendar.Component) -> bytes:
    """component.to_ical(), with the lines folded by fold(): icalendar folds them character
    by character, a fifth of the time of a calendar."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


def fold(line: str) -> bytes:
    """The bytes icalendar's Contentline.to_ical() gives: RFC 5545 folding, each part at most
    74 octets, cut between characters, and never just after a backslash or caret (that would
    part an escape from what it escapes: the character moves on to the next part)."""
    data = line.encode("utf-8")
    parts, start = [], 0
    while len(data) - start >= _LIMIT:
        end = start + _LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: this character does not fit
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    if not parts:
        return data
    parts.append(data[start:])
    return b"\r\n ".join(parts)


_LIMIT = 75  # octets: a line is cut before it reaches this length
_entries: dict[int, tuple[weakref.ref, dict]] = {}  # id(item) -> (item, {(kind, config): (lines, tzids)})


def _entry(item: Item, kind: str, config: SiteConfig) -> tuple[bytes, tuple[str, ...]]:
    """An event's (or a call deadline's) lines and the time zones they name, once per item."""
    key = id(item)
    known = _entries.get(key)
    if known is None or known[0]() is not item:
        known = _entries[key] = (weakref.ref(item, _forget(key)), {})
    found = known[1].get((kind, config))
    if found is None:
        component = _event(item, config) if kind == "events" else _deadline(item, config)
        params = (getattr(value, "params", {}) for _name, value in component.property_items(sorted=False))
        found = known[1][(kind, config)] = (_lines(component), tuple(str(p["TZID"]) for p in params if "TZID" in p))
    return found


def _forget(key: int):
    return lambda _ref: _entries.pop(key, None)


@lru_cache(maxsize=512)
def _timezone(tzid: str, since: date, until: date) -> bytes:
    try:
        return _lines(icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until))
    except ValueError:
        return b""  # a zone icalendar does not know: left out, as add_missing_timezones() does


def uid(item: Item, config: SiteConfig) -> str:
    """Stable across title edits and rebuilds: the item's permanent address."""
    return f"{item.url.strip('/').replace('/', '-')}@{urlsplit(config.base_url).netloc}"


def sequence(item: Item) -> int:
    """Grows each time an editor records a change with `updated:` (minutes since `date`)."""
    if not item.updated or not item.date:
        return 0
    return max(0, int(elapsed(item.date, item.updated).total_seconds() // 60))


def _common(item: Item, config: SiteConfig, summary: str) -> icalendar.Event:
    entry = icalendar.Event()
    modified = (item.modified or item.date or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    entry.add("uid", uid(item, config))
    entry.add("dtstamp", modified)  # not the build's clock: the same content gives the same file
    entry.add("last-modified", modified)
    entry.add("sequence", sequence(item))
    entry.add("summary", summary)
    entry.add("description", f"{item.summary}\n\n{config.absolute(item.url)}")
    entry.add("url", config.absolute(item.url))
    for name in item.tag_names:
        entry.add("categories", name)
    return entry


def _event(item: Item, config: SiteConfig) -> icalendar.Event:
    event = item.event
    assert event is not None
    entry = _common(item, config, item.title)
    if event.all_day:
        entry.add("dtstart", event.starts.date())
        entry.add("dtend", event_end(event).date())  # exclusive: the day after the last day
    else:
        entry.add("dtstart", event.starts)
        entry.add("dtend", event_end(event))
    entry.add("status", _STATUS[event.status])
    location = event.location
    if location and location.online:
        entry.add("location", f"Online {location.url}".strip())
    elif location:
        entry.add(
            "location", ", ".join(p for p in (location.name, location.address, location.city, location.country) if p)
        )
    return entry


def _deadline(item: Item, config: SiteConfig) -> icalendar.Event:
    call = item.call
    assert call is not None and call.deadline is not None
    entry = _common(item, config, f"Deadline: {item.title}")
    if call.deadline_all_day:
        entry.add("dtstart", call.deadline.date())
        entry.add("dtend", call.deadline.date() + timedelta(days=1))
    else:
        entry.add("dtstart", call.deadline)
        entry.add("dtend", call.deadline)
    entry.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    if config.call_reminder_days:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Deadline soon: {item.title}")
        alarm.add("trigger", timedelta(days=-config.call_reminder_days))
        entry.add_component(alarm)
    return entry


def _span(spec: CalendarSpec) -> tuple[datetime, datetime]:
    moments = [i.event.starts for i in spec.items if i.event] + [
        i.call.deadline for i in spec.items if i.call and i.call.deadline
    ]
    return min(moments), max(moments)
