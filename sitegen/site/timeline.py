"""Clock-dependent state: events upcoming/ongoing/past, calls upcoming/open/closing soon/
closed, and the next moment at which the built site would change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sitegen.model import CallInfo, EventInfo, Item

EVENT_STATES = ("upcoming", "ongoing", "past")
CALL_STATES = ("upcoming", "open", "closing-soon", "closed")


def event_end(event: EventInfo) -> datetime:
    """When an event is over. All-day events end at the midnight after their last day;
    a timed event without `ends` is taken to last until the end of its day."""
    zone = ZoneInfo(event.timezone)
    if event.all_day:
        last_day = (event.ends or event.starts).astimezone(zone).date()
        return datetime.combine(last_day + timedelta(days=1), time(0), zone)
    if event.ends:
        return event.ends
    start_day = event.starts.astimezone(zone).date()
    return datetime.combine(start_day + timedelta(days=1), time(0), zone)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two instants. Python subtracts wall clocks when both share a
    zone, which is an hour off across a daylight-saving change: go through UTC."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def event_state(event: EventInfo, now: datetime) -> str:
    if now < event.starts:
        return "upcoming"
    return "ongoing" if now < event_end(event) else "past"


def call_state(call: CallInfo, now: datetime, closing_soon_days: int) -> str:
    if call.opens and now < call.opens:
        return "upcoming"
    if call.deadline is None:
        return "open"  # a rolling call, open until an editor closes it
    if now >= call.deadline:
        return "closed"
    soon = closing_soon_from(call, closing_soon_days)
    return "closing-soon" if soon is not None and now >= soon else "open"


def closing_soon_from(call: CallInfo, closing_soon_days: int) -> datetime | None:
    """The instant a call starts "closing soon": real days before the deadline, via UTC."""
    if call.deadline is None:
        return None
    return (call.deadline.astimezone(UTC) - timedelta(days=closing_soon_days)).astimezone(call.deadline.tzinfo)


def state_of(item: Item, now: datetime, closing_soon_days: int) -> str | None:
    if item.event:
        return event_state(item.event, now)
    if item.call:
        return call_state(item.call, now, closing_soon_days)
    return None


def preview_state(item: Item, now: datetime) -> str:
    """ "draft" or "scheduled" for an item only a preview shows (--drafts, --future, serve)."""
    if item.draft:
        return "draft"
    return "scheduled" if item.date and item.date > now else ""


def moments(item: Item, closing_soon_days: int) -> Iterable[datetime]:
    """Every instant at which this item's place in the site changes."""
    if item.date:
        yield item.date  # a scheduled post appears
    if item.event:
        yield item.event.starts
        yield event_end(item.event)
    if item.call:
        if item.call.opens:
            yield item.call.opens
        soon = closing_soon_from(item.call, closing_soon_days)
        if soon and item.call.deadline:
            yield soon
            yield item.call.deadline


def next_change(items: Iterable[Item], now: datetime, closing_soon_days: int, drafts: bool) -> datetime | None:
    """The first moment after `now` at which a build would give a different site (`drafts`:
    the build publishes drafts, so their moments count too)."""
    shown = items if drafts else (item for item in items if not item.draft)
    future = [m for item in shown for m in moments(item, closing_soon_days) if m > now]
    return min(future, default=None)
