"""Dates and times as editors write them (`2026-02-10`, `2026-02-10 14:30`, with or without an
offset), read in the item's zone; and the slips that YAML or Python would read as another
moment: a time range taken for an offset, a time alone, a Unix time, an offset that is not the
zone's. Each is refused, or warned about, with the value to write instead."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sitegen.content.schema import FieldError, describe

FIRST_YEAR, LAST_YEAR = 1000, 9000
DATE_HINT = "write a date as 2026-02-10, or a date and time as 2026-02-10 14:30"
_EXAMPLE_DAY = date(2026, 2, 10)


def read_moment(value: object, zone: ZoneInfo, key: str = "date", day: date | None = None) -> tuple[datetime, bool]:
    """A date or date-time -> (aware datetime, date_only). A value without an offset is in
    `zone` (the item's or the site's), never silently UTC. Years 1000 to 9000: calendars and
    timelines reach a year beyond the date, which Python's dates end at 1 and 9999. `key` and
    `day` (the date a time alone most likely belongs to: an event's start) shape the hints."""
    moment, date_only = _read_moment(value, zone, key, day)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise FieldError(
            f"must be a date between the years {FIRST_YEAR} and {LAST_YEAR}, not {moment.date().isoformat()}",
            "check the year; " + DATE_HINT,
        )
    return moment, date_only


def end_of_day(moment: datetime) -> datetime:
    """A deadline given as a date means the end of that day in its own zone."""
    return moment.replace(hour=23, minute=59, second=59) if moment.time() == time(0) else moment


def _read_moment(value: object, zone: ZoneInfo, key: str, day: date | None) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)), False
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), zone), True
    if isinstance(value, str):
        return _read_moment_text(value.strip(), zone)
    raise _not_a_moment(value, zone, key, day)


def _read_moment_text(written: str, zone: ZoneInfo) -> tuple[datetime, bool]:
    text = _named_zone(written, zone)  # messages quote what was written
    shaped = re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}.*)?", text)
    time_range = _time_range(text, zone)
    if time_range:
        raise time_range
    try:
        if shaped and not shaped.group(1):
            year, month, day = (int(part) for part in text.split("-"))
            return datetime.combine(date(year, month, day), time(0, 0), zone), True
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError as exc:
        reason = f" ({exc})" if shaped and "isoformat" not in str(exc) else ""  # "day is out of range for month"
        raise FieldError(f"must be a date, not `{written}`{reason}", _written_as_iso(text) or DATE_HINT) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)), False


_MONTH_NAMES = (
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul", "august aug",
    "september sep sept", "october oct", "november nov", "december dec",
)  # fmt: skip
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}
_SLASHED = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\.? ([A-Za-z]+)\.?,? (\d{4})")
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")


def _written_as_iso(text: str) -> str:
    """The hint for a date written as people write it (`7 May 2019`, `May 7, 2019`,
    `07.05.2019`, `2019/05/07`): the same date as sitegen reads it. `07/05/2019` is a day and
    a month in one order or the other: both are offered."""
    if found := _YEAR_FIRST.fullmatch(text):
        return _iso_hint(int(found[1]), int(found[2]), int(found[3]))
    if found := _DAY_MONTH.fullmatch(text):
        return _iso_hint(int(found[3]), _MONTHS.get(found[2].lower(), 0), int(found[1]))
    if found := _MONTH_DAY.fullmatch(text):
        return _iso_hint(int(found[3]), _MONTHS.get(found[1].lower(), 0), int(found[2]))
    if found := _SLASHED.fullmatch(text):
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        if found[2] == "." or first > 12 or first == second:  # 07.05.2019: day first wherever dots are written
            return _iso_hint(year, second, first)
        if second > 12:
            return _iso_hint(year, first, second)
        day_first, month_first = _iso(year, second, first), _iso(year, first, second)
        return f"write `{day_first}` if the day comes first, or `{month_first}` if the month does"
    return ""


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _iso_hint(year: int, month: int, day: int) -> str:
    try:
        date(year, month, day)  # a day that exists
    except ValueError:
        return ""
    return f"write `{_iso(year, month, day)}`"


# A time followed by a zone's letters, as Ruby writes a time (Jekyll's and its importers' front
# matter: `2013-05-01 09:42:43 UTC`) or a person does (`10:00 CEST`).
_ZONE_LETTERS = re.compile(r"(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([A-Za-z][A-Za-z/_+-]*)")


def _named_zone(text: str, zone: ZoneInfo) -> str:
    """`UTC`, `GMT` and `Z` after a time are its offset, +00:00. Other letters are refused:
    `CEST` or `EST` names no one offset Python can check, and a zone's name belongs in `timezone:`."""
    found = _ZONE_LETTERS.fullmatch(text)
    if found is None:
        return text
    moment, letters = found.groups()
    if letters.upper() in ("UTC", "GMT", "Z", "UT"):
        return f"{moment}+00:00"
    if letters.lower() in ("am", "pm"):
        raise _twelve_hour_clock(moment, letters)
    if not _ZONE_NAME.fullmatch(letters):
        return text  # `tonight`, `noon`: no date (the message quotes them)
    try:
        offset = _offset_text(datetime.fromisoformat(moment.replace(" ", "T", 1)).replace(tzinfo=zone).utcoffset())
    except ValueError:
        return text
    raise FieldError(
        f"must be a date and time with a number for its offset, not the zone name `{letters}`",
        f"leave `{letters}` out: the time is then {zone.key}'s, the item's zone (set `timezone:` for another); "
        f"or write its offset as a number, e.g. {zone.key}'s that day: `{moment} {offset.removesuffix(' (UTC)')}`",
    )


def _twelve_hour_clock(moment: str, half: str) -> FieldError:
    """`9:42 pm` (`half` as written) as the 24-hour time sitegen reads."""
    day, clock = re.split(r"[ T]", moment, maxsplit=1)
    hours, rest = clock.split(":", 1)
    hour = int(hours) % 12 + (12 if half.lower() == "pm" else 0)
    return FieldError(f"must be a time on the 24-hour clock, not `{clock} {half}`", f"write `{day} {hour:02d}:{rest}`")


# What names a zone after a time: an abbreviation in capitals (CEST, EST) or an IANA name.
_ZONE_NAME = re.compile(r"[A-Z]{2,5}|[A-Z][A-Za-z_]+/[A-Za-z_/+-]+")


# `2026-07-14 10:00-12:00`, `10:00 – 12:00`, `10:00 to 12:00`: one time, then another.
_RANGE = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})[ T]+(\d{1,2}:\d{2})(?::\d{2})?\s*([-\u2013\u2014]|to)\s*(\d{1,2}:\d{2})(?::\d{2})?"
)


def _time_range(text: str, zone: ZoneInfo) -> FieldError | None:
    """A time range, which Python reads as a time and an offset (`10:00-12:00` is 10:00 at
    UTC-12, a day later than meant). A `-` with nothing around it is also how an offset is
    written: it is taken for one when it is the zone's own offset that day, or when the second
    time is not after the first (no range ends before it starts)."""
    match = _RANGE.fullmatch(text)
    if not match:
        return None
    day, start, separator, end = match.groups()
    offset_like = separator == "-" and not re.search(r"\s", text[match.end(2) : match.start(4)])
    if offset_like and (_clock(end) <= _clock(start) or _is_zone_offset(text, zone)):
        return None
    return FieldError(
        f"must be one date and time, not the time range {start}{separator}{end}",
        f"write `starts: {day} {start}` and `ends: {day} {end}`",
    )


def _clock(text: str) -> tuple[int, int]:
    hours, minutes = text.split(":")
    return int(hours), int(minutes)


def _is_zone_offset(text: str, zone: ZoneInfo) -> bool:
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return False
    return moment.utcoffset() == moment.replace(tzinfo=zone).utcoffset()


def _not_a_moment(value: object, zone: ZoneInfo, key: str, day: date | None) -> FieldError:
    """What YAML made of a value that is no date: `16:30` is a number to YAML 1.1 (990 minutes),
    and an export may write a date as seconds since 1970."""
    written = getattr(value, "written", "")
    if isinstance(value, int) and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", written):
        example = f"{(day or _EXAMPLE_DAY).isoformat()} {written}"
        return FieldError(
            f"must be a date and time, not the time `{written}` alone", f"write the date too: `{key}: {example}`"
        )
    if isinstance(value, int) and not isinstance(value, bool) and _UNIX_TIMES[0] <= value <= _UNIX_TIMES[1]:
        when = datetime.fromtimestamp(value, zone).strftime("%Y-%m-%d %H:%M")
        return FieldError(
            f"must be a date, not the number {value}",
            f"{value} looks like a Unix time (seconds since 1970), which is {when} here: write `{key}: {when}`",
        )
    return FieldError(f"must be a date, not {describe(value)}", DATE_HINT)


# Seconds since 1970 that fall between 1990 and 2100: a number this long is no other date.
_UNIX_TIMES = (631_152_000, 4_102_444_800)


def offset_slip(moment: datetime, zone: ZoneInfo) -> tuple[str, str] | None:
    """(what is shown, the offset written) when a time was written with a fixed offset
    (`+01:00`) that is not `zone`'s on that day: the page shows the moment in the zone, an hour
    or more from what the editor wrote. None for a time without an offset, or with the right one."""
    if moment.tzinfo is zone or moment.utcoffset() == moment.astimezone(zone).utcoffset():
        return None
    shown = moment.astimezone(zone)
    at = shown.strftime("%H:%M %Z") if shown.date() == moment.date() else shown.strftime("%Y-%m-%d %H:%M %Z")
    zone_offset = _offset_text(shown.utcoffset())
    written = _offset_text(moment.utcoffset())
    message = f"{written} is not {zone.key}'s offset on that day ({zone_offset}): shown as {at}"
    return message, written


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text + " (UTC)" if minutes == 0 else text
