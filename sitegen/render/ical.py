"""iCalendar (RFC 5545) with the icalendar library: events with their real time zones
(VTIMEZONE, never floating times: vtimezone.py) and call deadlines with an optional reminder.
Every TEXT value is escaped (icaltext.py): no title, tag or place can add a line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from icalendar.parser import param_value
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo

from sitegen import __version__
from sitegen.content.config import SiteConfig
from sitegen.model import CalendarSpec, CallInfo, EventInfo, Item
from sitegen.render.icaltext import lines_of, one_line, prop, text, when
from sitegen.render.vtimezone import timezone
from sitegen.site.timeline import elapsed, event_end

_STATUS = {"scheduled": "CONFIRMED", "moved-online": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def render_calendar(spec: CalendarSpec, config: SiteConfig, made: Entries | None = None) -> bytes:
    """The calendar's own lines, then a VTIMEZONE for each zone its entries use (in the order
    they first use them), then the entries. An entry's lines are made once per item, when it
    is first needed, and reused by every calendar that lists it (an event is
    in its own file, its section's, its tags' and its programme's): the bytes are those
    icalendar's Calendar.to_ical() gives."""
    made = {} if made is None else made
    entries = [_entry(item, spec.kind, config, made) for item in spec.items]
    first, last = _span(spec)
    order = dict.fromkeys(tzid for _lines, tzids in entries for tzid in tzids if tzid != "UTC")
    # VTIMEZONE blocks only for the years the entries need, so files stay small.
    since, until = first.date() - timedelta(days=366), last.date() + timedelta(days=366)
    zones = [timezone(tzid, since, until) for tzid in order]
    return b"".join([_head(config), _name(spec.title), *zones, *(lines for lines, _tzids in entries), _END])


_BEGIN, _END = b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"


@lru_cache(maxsize=8)
def _head(config: SiteConfig) -> bytes:
    """The calendar's lines that are the same in every calendar of the site. icalendar writes
    VERSION, PRODID and CALSCALE first and other properties after them, so the calendar's name
    (X-WR-CALNAME) follows these lines."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sitegen {__version__}//{one_line(config.title)}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return lines_of(calendar)[: -len(_END)]


def _name(title: str) -> bytes:
    """The calendar's name, a TEXT value escaped as every other (icalendar does not know
    X-WR-CALNAME and would write it as it is: a carriage return in a title would start a line
    of its own, and readers would take what follows for properties, even events, of its own)."""
    return prop("X-WR-CALNAME", text(title))


# (id(item), kind) -> (item, lines, zones): one build's entries, kept by its renderer
Entries = dict[tuple[int, str], tuple[Item, bytes, tuple[str, ...]]]


def _entry(item: Item, kind: str, config: SiteConfig, made: Entries) -> tuple[bytes, tuple[str, ...]]:
    """An event's (or a call deadline's) lines and the time zones they name, made once per
    build and reused by every calendar that lists it (its own, its section's, its tags',
    its programme's). The item is kept with its lines so that its id() is not reused."""
    found = made.get((id(item), kind))
    if found is None:
        found = made[(id(item), kind)] = (item, *entry_lines(item, kind, config))
    return found[1], found[2]


def entry_lines(item: Item, kind: str, config: SiteConfig) -> tuple[bytes, tuple[str, ...]]:
    """The VEVENT of an event (kind "events") or of a call's deadline ("calls"), and the zones
    its start and end name. Written line by line: the bytes icalendar's Event.to_ical() gives
    for the same properties (tests/test_ical.py builds both), at a twentieth of its time,
    which was an eighth of the time of parsing a site full of events."""
    if kind == "events":
        assert item.event is not None
        summary, (start, end), own = item.title, _event_span(item.event), _event_properties(item.event)
    else:
        assert item.call is not None and item.call.deadline is not None
        summary, (start, end), own = f"Deadline: {item.title}", _deadline_span(item.call), [_TRANSPARENT]
    modified = _utc((item.modified or item.date or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC))
    url = config.absolute(item.url)
    lines = [
        b"BEGIN:VEVENT\r\n",
        prop("SUMMARY", text(summary)),
        prop("DTSTART" + start[0], start[1]),
        prop("DTEND" + end[0], end[1]),
        prop("DTSTAMP", modified),  # not the build's clock: the same content gives the same file
        prop("UID", text(uid(item, config))),
        prop("SEQUENCE", str(sequence(item))),
        *(prop("CATEGORIES", text(name)) for name in item.tag_names),
        prop("DESCRIPTION", text(f"{item.summary}\n\n{url}")),
        prop("LAST-MODIFIED", modified),
        *own,
        prop("URL", url),
    ]
    if kind == "calls" and config.call_reminder_days:
        lines.append(_reminder(text(f"Deadline soon: {item.title}"), config.call_reminder_days))
    lines.append(b"END:VEVENT\r\n")
    tzids = tuple(tzid for tzid in (start[2], end[2]) if tzid is not None)
    return b"".join(lines), tzids


_Value = tuple[str, str, str | None]  # (parameters, value, the zone it names)
_TRANSPARENT = b"TRANSP:TRANSPARENT\r\n"  # a deadline does not make anyone busy


def _event_span(event: EventInfo) -> tuple[_Value, _Value]:
    if event.all_day:  # dates, the end exclusive: the day after the last day
        return _date(event.starts.date()), _date(event_end(event).date())
    return _moment(event.starts), _moment(event_end(event))


def _deadline_span(call: CallInfo) -> tuple[_Value, _Value]:
    assert call.deadline is not None
    if call.deadline_all_day:
        day = call.deadline.date()
        return _date(day), _date(day + timedelta(days=1))
    return _moment(call.deadline), _moment(call.deadline)


def _event_properties(event: EventInfo) -> list[bytes]:
    """LOCATION (if any) and STATUS: after LAST-MODIFIED, icalendar's order being alphabetical there."""
    found = []
    location = event.location
    if location and location.online:
        found.append(prop("LOCATION", text(f"Online {location.url}".strip())))
    elif location:
        parts = (location.name, location.address, location.city, location.country)
        found.append(prop("LOCATION", text(", ".join(p for p in parts if p))))
    found.append(prop("STATUS", _STATUS[event.status]))
    return found


def _utc(moment: datetime) -> str:
    return when(moment) + "Z"


def _date(day: date) -> _Value:
    return ";VALUE=DATE", f"{day.year:04}{day.month:02}{day.day:02}", None


def _moment(moment: datetime) -> _Value:
    """A date-time in its zone (TZID), or in UTC (Z) for the zones icalendar takes for UTC."""
    assert moment.tzinfo is not None
    tzid = _tzid(moment.tzinfo) or tzid_from_dt(moment)
    if tzid == "UTC":
        return "", _utc(moment), None
    return f";TZID={param_value(tzid)}", when(moment), tzid


@lru_cache(maxsize=64)
def _tzid(zone: tzinfo) -> str | None:
    """The name icalendar gives a zone (an alias of UTC is UTC); None: it names each moment by
    its abbreviation (a zone without a name)."""
    return tzid_from_tzinfo(zone)


def _reminder(description: str, days: int) -> bytes:
    return b"".join([b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n", prop("DESCRIPTION", description), _trigger(days)])


@lru_cache(maxsize=8)
def _trigger(days: int) -> bytes:
    """The reminder's TRIGGER, `days` before, as icalendar writes a duration; and the alarm's end."""
    return prop("TRIGGER", icalendar.vDuration(timedelta(days=-days)).to_ical().decode()) + b"END:VALARM\r\n"


def uid(item: Item, config: SiteConfig) -> str:
    """Stable across title edits and rebuilds: the item's permanent address."""
    return f"{item.url.strip('/').replace('/', '-')}@{urlsplit(config.base_url).netloc}"


def sequence(item: Item) -> int:
    """Grows each time an editor records a change with `updated:` (minutes since `date`)."""
    if not item.updated or not item.date:
        return 0
    return max(0, int(elapsed(item.date, item.updated).total_seconds() // 60))


def _span(spec: CalendarSpec) -> tuple[datetime, datetime]:
    moments = [i.event.starts for i in spec.items if i.event] + [
        i.call.deadline for i in spec.items if i.call and i.call.deadline
    ]
    return min(moments), max(moments)
