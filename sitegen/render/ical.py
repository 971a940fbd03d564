"""iCalendar (RFC 5545) with the icalendar library: events with their real time zones
(VTIMEZONE, never floating times) and call deadlines with an optional reminder.

A VTIMEZONE holds the bytes icalendar's Timezone.from_tzid(tzid, first_date, last_date) gives,
but icalendar searches the zone's offset changes anew for every calendar (its dates differ
from calendar to calendar). Here the same search runs step by step and each step is
remembered per zone: a calendar only searches from its own first day, then follows steps
other calendars already took."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from icalendar.parser import Contentline, Parameters, param_value
from icalendar.timezone import tzid_from_dt, tzid_from_tzinfo, tzp

from sitegen import __version__
from sitegen.content.config import SiteConfig
from sitegen.model import CalendarSpec, CallInfo, EventInfo, Item
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
    zones = [_timezone(tzid, since, until) for tzid in order]
    return b"".join([_head(config), _name(spec.title), *zones, *(lines for lines, _tzids in entries), _END])


_BEGIN, _END = b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"


@lru_cache(maxsize=8)
def _head(config: SiteConfig) -> bytes:
    """The calendar's lines that are the same in every calendar of the site. icalendar writes
    VERSION, PRODID and CALSCALE first and other properties after them, so the calendar's name
    (X-WR-CALNAME) follows these lines."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sitegen {__version__}//{_one_line(config.title)}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return _lines(calendar)[: -len(_END)]


def _name(title: str) -> bytes:
    """The calendar's name, a TEXT value escaped as every other (icalendar does not know
    X-WR-CALNAME and would write it as it is: a carriage return in a title would start a line
    of its own, and readers would take what follows for properties, even events, of its own)."""
    return _property("X-WR-CALNAME", _text(title))


def _line(name: str, value: str) -> bytes:
    """A property as add(name, value) and to_ical() write it: the value type icalendar gives
    the name, then its content line (which refuses a raw line break), folded."""
    kind = icalendar.Component.types_factory.for_property(name)
    return fold(Contentline.from_parts(name, Parameters(), kind(value))) + b"\r\n"


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
        _property("SUMMARY", _text(summary)),
        _property("DTSTART" + start[0], start[1]),
        _property("DTEND" + end[0], end[1]),
        _property("DTSTAMP", modified),  # not the build's clock: the same content gives the same file
        _property("UID", _text(uid(item, config))),
        _property("SEQUENCE", str(sequence(item))),
        *(_property("CATEGORIES", _text(name)) for name in item.tag_names),
        _property("DESCRIPTION", _text(f"{item.summary}\n\n{url}")),
        _property("LAST-MODIFIED", modified),
        *own,
        _property("URL", url),
    ]
    if kind == "calls" and config.call_reminder_days:
        lines.append(_reminder(_text(f"Deadline soon: {item.title}"), config.call_reminder_days))
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
        found.append(_property("LOCATION", _text(f"Online {location.url}".strip())))
    elif location:
        parts = (location.name, location.address, location.city, location.country)
        found.append(_property("LOCATION", _text(", ".join(p for p in parts if p))))
    found.append(_property("STATUS", _STATUS[event.status]))
    return found


def _property(name: str, value: str) -> bytes:
    return fold(f"{name}:{value}") + b"\r\n"


def _text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11) escaped as icalendar's vText escapes it (including its
    reading of a written `\\N` as a line break): backslashes, semicolons and commas escaped,
    every line break (CR LF, LF, a CR alone, U+2028, U+2029, U+0085) written as `\\n`, and the
    control characters TEXT cannot hold (all but tab) left out. No value can start a line."""
    if not _TEXT_SPECIAL.search(value):
        return value
    value = value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", _BREAK.sub("\\\\n", value))


_TEXT_SPECIAL = re.compile(r"[\\;,\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _one_line(value: str) -> str:
    """Text for a place that is not TEXT (PRODID's parts): line breaks and control characters
    become spaces."""
    return _CONTROL.sub(" ", _BREAK.sub(" ", value))


def _utc(moment: datetime) -> str:
    return _when(moment) + "Z"


def _date(day: date) -> _Value:
    return ";VALUE=DATE", f"{day.year:04}{day.month:02}{day.day:02}", None


def _moment(moment: datetime) -> _Value:
    """A date-time in its zone (TZID), or in UTC (Z) for the zones icalendar takes for UTC."""
    assert moment.tzinfo is not None
    tzid = _tzid(moment.tzinfo) or tzid_from_dt(moment)
    if tzid == "UTC":
        return "", _utc(moment), None
    return f";TZID={param_value(tzid)}", _when(moment), tzid


@lru_cache(maxsize=64)
def _tzid(zone: tzinfo) -> str | None:
    """The name icalendar gives a zone (an alias of UTC is UTC); None: it names each moment by
    its abbreviation (a zone without a name)."""
    return tzid_from_tzinfo(zone)


def _reminder(description: str, days: int) -> bytes:
    return b"".join([b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n", _property("DESCRIPTION", description), _trigger(days)])


@lru_cache(maxsize=8)
def _trigger(days: int) -> bytes:
    """The reminder's TRIGGER, `days` before, as icalendar writes a duration; and the alarm's end."""
    return _property("TRIGGER", icalendar.vDuration(timedelta(days=-days)).to_ical().decode()) + b"END:VALARM\r\n"


@lru_cache(maxsize=512)
def _timezone(tzid: str, since: date, until: date) -> bytes:
    """The bytes of icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until):
    an observance (STANDARD or DAYLIGHT) for each kind of offset change, in the order they
    first happen, its first start as DTSTART and the others as RDATE."""
    zone = _zone(tzid)
    if zone is None:
        try:
            return _lines(icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until))
        except ValueError:
            return b""  # a zone icalendar does not know: left out, as add_missing_timezones() does
    groups: dict[_Kind, list[datetime]] = {}
    for start, kind in zone.observances(_midnight(since), _midnight(until)):
        groups.setdefault(kind, []).append(start)
    comment = _line("COMMENT", f"This timezone only works from {since} to {until}.")
    return b"".join([zone.head, comment, *(_observance(kind, starts) for kind, starts in groups.items()), _TZ_END])


_TZ_END = b"END:VTIMEZONE\r\n"
_Kind = tuple[timedelta | None, timedelta, str, bool]  # offset from (None: the first), offset to, name, standard?


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _observance(kind: _Kind, starts: list[datetime]) -> bytes:
    """What from_tzinfo() adds for a kind of change: the earliest start as DTSTART (starts
    come in time order), the others as RDATE. from_tzinfo() would move a first start on the
    last day to that day's midnight, but its loop (and ours) stops before that midnight."""
    begin, tail = _observance_lines(kind)
    first, *others = starts
    rdate = [fold("RDATE:" + ",".join(map(_when, others))) + b"\r\n"] if others else []
    return b"".join([begin, b"DTSTART:", _when(first).encode(), b"\r\n", *rdate, tail])


def _when(moment: datetime) -> str:
    """A local date-time as icalendar's vDatetime writes it."""
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


@lru_cache(maxsize=256)
def _observance_lines(kind: _Kind) -> tuple[bytes, bytes]:
    """An observance's BEGIN line, and its TZNAME, TZOFFSETFROM and TZOFFSETTO lines with its
    END line, written by icalendar itself. DTSTART and RDATE sort before TZNAME, so they go
    between the two."""
    offset_from, offset_to, name, is_standard = kind
    observance = icalendar.TimezoneStandard() if is_standard else icalendar.TimezoneDaylight()
    observance.TZOFFSETFROM = offset_to if offset_from is None else offset_from
    observance.TZOFFSETTO = offset_to
    observance.add("TZNAME", name)
    lines = _lines(observance)
    begin = lines.index(b"\r\n") + 2
    return lines[:begin], lines[begin:]


class _Zone:
    """One time zone and the steps of icalendar's search for its offset changes, remembered:
    from a start (a wall-clock time, as from_tzinfo() sees it) the kind of that observance and
    the start of the next one."""

    def __init__(self, tzid: str, zone: tzinfo) -> None:
        self.tz = zone
        head = icalendar.Timezone()
        head.add("TZID", tzid)
        self.head = _lines(head)[: -len(_TZ_END)]
        self.steps: dict[datetime, tuple[tuple[timedelta, str, bool], datetime]] = {}

    def observances(self, since: datetime, until: datetime) -> list[tuple[datetime, _Kind]]:
        """from_tzinfo()'s loop: the observances that start from since up to (not at) until."""
        found: list[tuple[datetime, _Kind]] = []
        start: datetime | None = since
        offset: timedelta | None = None
        while start is not None and start < until:
            (offset_to, name, is_standard), following = self._step(start, until)
            found.append((start, (offset, offset_to, name, is_standard)))
            start, offset = following, offset_to
        return found

    def _step(self, start: datetime, until: datetime) -> tuple[tuple[timedelta, str, bool], datetime | None]:
        known = self.steps.get(start)
        if known is not None:
            return known
        moment = start.replace(tzinfo=self.tz)
        offset = moment.utcoffset()
        assert offset is not None
        name = moment.tzname()
        kind = (offset, str(offset) if name is None else name, moment.dst() == timedelta())
        following = _next_change(moment, until.replace(tzinfo=self.tz))
        if following is None:
            return kind, None  # only known to be after this calendar's until: not remembered
        self.steps[start] = kind, following
        return kind, following


# The steps of from_tzinfo()'s search: days first, then hours (changes happen at night),
# down to a second.
_SEARCH = [timedelta(days=days) for days in (64, 32, 16, 8, 4, 2, 1)] + [
    timedelta(hours=4),
    timedelta(hours=1),
    timedelta(minutes=20),
    timedelta(minutes=5),
    timedelta(minutes=1),
    timedelta(seconds=20),
    timedelta(seconds=5),
    timedelta(seconds=1),
]


def _next_change(start: datetime, until: datetime) -> datetime | None:
    """Where from_tzinfo() starts the next observance after start (naive), searching as it
    does, so that it finds the same second even where its steps would skip a change. None
    once the search passes until: from there on it only moves forward, so that observance
    starts after until and from_tzinfo() stops before it."""
    offset = start.utcoffset()
    end = start
    for step in _SEARCH:
        last_end = end
        end = end + step
        try:
            while end.utcoffset() == offset:
                last_end = end
                if last_end >= until:
                    return None
                end = end + step
        except OverflowError:
            break  # the end of what datetime holds, as in from_tzinfo()
        end = last_end
    return (end + _SEARCH[-1]).replace(tzinfo=None)


@lru_cache(maxsize=64)
def _zone(tzid: str) -> _Zone | None:
    """The zone as icalendar's from_tzid() finds it. None, left to icalendar itself, for a
    name it does not know and for pytz zones (with icalendar.use_pytz()): those need
    normalize() after each step of the search."""
    zone = tzp.timezone(tzid)
    return None if zone is None or hasattr(zone, "localize") else _Zone(tzid, zone)


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
