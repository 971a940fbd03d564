"""iCalendar (RFC 5545) with the icalendar library: events with their real time zones
(VTIMEZONE, never floating times) and call deadlines with an optional reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import icalendar

from . import __version__
from .config import SiteConfig
from .model import CalendarSpec, Item
from .timeline import elapsed, event_end

_STATUS = {"scheduled": "CONFIRMED", "moved-online": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


def render_calendar(spec: CalendarSpec, config: SiteConfig) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//sitegen {__version__}//{config.title}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", spec.title)
    for item in spec.items:
        component = _event(item, config) if spec.kind == "events" else _deadline(item, config)
        calendar.add_component(component)
    first, last = _span(spec)
    order = _zones_by_first_use(calendar)
    # VTIMEZONE blocks only for the years the entries need, so files stay small.
    calendar.add_missing_timezones(
        first_date=first.date() - timedelta(days=366), last_date=last.date() + timedelta(days=366)
    )
    # icalendar adds them in the order of a set of strings, which changes from run to run with
    # Python's string hashing: the order in which the entries first use them is the same every time.
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    zones.sort(key=lambda zone: order.get(str(zone["TZID"]), len(order)))
    calendar.subcomponents[: len(zones)] = zones
    return calendar.to_ical()


def _zones_by_first_use(calendar: icalendar.Calendar) -> dict[str, int]:
    order: dict[str, int] = {}
    for _name, value in calendar.property_items(sorted=False):
        tzid = value.params.get("TZID") if hasattr(value, "params") else None
        if tzid:
            order.setdefault(str(tzid), len(order))
    return order


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
