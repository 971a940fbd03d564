"""VTIMEZONE blocks: the bytes icalendar's Timezone.from_tzid(tzid, first_date, last_date)
gives, but icalendar searches the zone's offset changes anew for every calendar (its dates
differ from calendar to calendar). Here the same search runs step by step and each step is
remembered per zone: a calendar only searches from its own first day, then follows steps
other calendars already took."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

import icalendar
from icalendar.timezone import tzp

from sitegen.render.icaltext import fold, line, lines_of, when


@lru_cache(maxsize=512)
def timezone(tzid: str, since: date, until: date) -> bytes:
    """The bytes of icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until):
    an observance (STANDARD or DAYLIGHT) for each kind of offset change, in the order they
    first happen, its first start as DTSTART and the others as RDATE."""
    zone = _zone(tzid)
    if zone is None:
        try:
            return lines_of(icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until))
        except ValueError:
            return b""  # a zone icalendar does not know: left out, as add_missing_timezones() does
    groups: dict[_Kind, list[datetime]] = {}
    for start, kind in zone.observances(_midnight(since), _midnight(until)):
        groups.setdefault(kind, []).append(start)
    comment = line("COMMENT", f"This timezone only works from {since} to {until}.")
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
    rdate = [fold("RDATE:" + ",".join(map(when, others))) + b"\r\n"] if others else []
    return b"".join([begin, b"DTSTART:", when(first).encode(), b"\r\n", *rdate, tail])


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
    lines = lines_of(observance)
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
        self.head = lines_of(head)[: -len(_TZ_END)]
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
