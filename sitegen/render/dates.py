"""Dates and times as readers read them: in the event's or call's own zone, zone named."""

from __future__ import annotations

from datetime import datetime, timedelta

from sitegen.model import CallInfo, EventInfo, Item
from sitegen.site.timeline import elapsed, event_end

# The names strftime's %B and %A give in the C locale, which sitegen never changes: looked up,
# not formatted (strftime on an aware time asks its zone for the offset first; ~2% of a page's
# rendering, py-spy at 10,000 posts), and the same whatever locale a machine is set to.
_MONTHS = ["", "January", "February", "March", "April", "May", "June", "July", "August"]
_MONTHS += ["September", "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def day(moment: datetime) -> str:
    return f"{moment.day} {_MONTHS[moment.month]} {moment.year}"


def long_day(moment: datetime) -> str:
    return f"{_WEEKDAYS[moment.weekday()]} {day(moment)}"


def clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"  # strftime's %H:%M, without its zone lookup


def zone_label(moment: datetime, zone_key: str) -> str:
    """`CET (Europe/Brussels)`: the abbreviation readers know and the zone it belongs to."""
    return f"{moment.tzname()} ({zone_key})"


def event_when(event: EventInfo) -> str:
    """`Thursday 5 February 2026, 10:00–16:30 CET (Europe/Brussels)`, or the days of an all-day event."""
    start = event.starts
    if event.all_day:
        last = event_end(event) - timedelta(days=1)
        if last.date() == start.date():
            return long_day(start)
        if (last.year, last.month) == (start.year, start.month):
            return f"{start.day}–{day(last)}"
        return f"{day(start)} – {day(last)}"
    end = event_end(event)
    zone = zone_label(start, event.timezone)
    if event.ends is not None and end.tzname() != start.tzname():
        # The clocks change during the event (01:30 CET – 04:00 CEST): each time names its own.
        until = clock(end) if end.date() == start.date() else f"{long_day(end)}, {clock(end)}"
        return f"{long_day(start)}, {clock(start)} {start.tzname()} – {until} {zone_label(end, event.timezone)}"
    if end.date() == start.date() or (event.ends is None):
        until = f"–{clock(end)}" if event.ends else ""
        return f"{long_day(start)}, {clock(start)}{until} {zone}"
    return f"{long_day(start)}, {clock(start)} – {long_day(end)}, {clock(end)} {zone}"


def duration(event: EventInfo) -> str:
    """`6 hours 30 minutes`, `4 days`; empty for a timed event without an end."""
    if not event.all_day and event.ends is None:
        return ""
    span = elapsed(event.starts, event_end(event))
    if event.all_day:
        return _count(span.days, "day")
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    days, hours = divmod(hours, 24)
    parts = [_count(days, "day"), _count(hours, "hour"), _count(minutes, "minute")]
    return " ".join(part for part in parts if part)


def deadline_when(call: CallInfo) -> str:
    if call.deadline is None:
        return ""
    if call.deadline_all_day:
        return f"{long_day(call.deadline)} (end of the day, {call.timezone})"
    return f"{long_day(call.deadline)}, {clock(call.deadline)} {zone_label(call.deadline, call.timezone)}"


def _count(number: int, unit: str) -> str:
    if not number:
        return ""
    return f"{number} {unit}" + ("" if number == 1 else "s")


def schedule_line(item: Item) -> str:
    """One line saying when and where (events) or until when (calls), for feeds."""
    if item.event:
        event, parts = item.event, []
        if event.status != "scheduled":
            parts.append(event.status.replace("-", " ").capitalize())
        parts.append(event_when(event))
        location = event.location
        if location:
            parts.append("Online" if location.online else ", ".join(p for p in (location.name, location.city) if p))
        return " · ".join(parts)
    if item.call and item.call.deadline:
        return f"Deadline: {deadline_when(item.call)}"
    return ""
