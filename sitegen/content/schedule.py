"""The when and where of events and calls: `starts`/`ends`/`location`/`status` and
`opens`/`deadline`/`apply`, read in the item's time zone and checked against each other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sitegen.content import schema
from sitegen.content.schema import FieldError
from sitegen.model import CallInfo, EventInfo, Location

if TYPE_CHECKING:
    from sitegen.content.parse import FrontMatter


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def read_event(fm: FrontMatter, zone: ZoneInfo) -> EventInfo | None:
    start = fm.get("starts", schema.read_moment, zone)
    end = fm.get("ends", schema.read_moment, zone)
    if start is None:
        return None
    if end and end[1] != start[1]:
        fm.error(
            "ends",
            "`ends` and `starts` must both be dates, or both dates with times",
            "an all-day event: `starts: 2026-04-21` and `ends: 2026-04-24`; "
            "a timed one: `starts: 2026-02-05 10:00` and `ends: 2026-02-05 16:30`",
        )
    elif end and end[0] < start[0]:
        fm.error(
            "ends",
            f"the event ends ({_when(end[0])}) before it starts ({_when(start[0])})",
            f"check the date and time of `ends` here and of `starts` on line {fm.line('starts')}",
        )
    status = fm.get("status", schema.read_required_text, default="scheduled")
    if status not in schema.EVENT_STATUSES:
        fm.error("status", f"unknown status `{status}`", "use one of: " + ", ".join(schema.EVENT_STATUSES))
    return EventInfo(
        # Shown in the event's own zone even when the editor wrote another offset.
        starts=start[0].astimezone(zone),
        ends=end[0].astimezone(zone) if end else None,
        all_day=start[1],
        timezone=zone.key,
        location=fm.get("location", read_location),
        registration=fm.get("registration", schema.read_url, default=""),
        status=status,
    )


def read_location(value: object) -> Location:
    if value == "online":
        return Location(online=True)
    if not isinstance(value, dict) or set(value) - set(schema.PLACE_KEYS):
        raise FieldError(
            "must be `online` or a place with name, address, city and country",
            "e.g. location: {name: Museo Guggenheim, city: Bilbao, country: ES}",
        )
    if value.get("online") is not None and _place_part(value, "online", schema.read_bool):
        url = _place_part(value, "url", schema.read_url) if value.get("url") else ""
        return Location(online=True, url=url)
    if not value.get("name"):
        raise FieldError("needs a `name` (or `online: true`)", "e.g. location: {name: ..., city: ...}")
    return Location(**{key: _place_part(value, key) for key in ("name", "address", "city", "country")})


def _place_part(value: dict, key: str, read: Callable[[object], Any] = schema.read_line) -> Any:
    """One part of a place, read with `read` (one line of text unless said): a mistake is
    reported at the part's own line."""
    try:
        return read(value.get(key, ""))
    except FieldError as exc:
        raise FieldError(f"`{key}` {exc.message}", exc.hint, at=key) from None


def read_call(fm: FrontMatter, zone: ZoneInfo) -> CallInfo:
    opens = fm.get("opens", schema.read_moment, zone)
    deadline = fm.get("deadline", schema.read_moment, zone)
    deadline_at = None
    if deadline:
        deadline_at = (schema.end_of_day(deadline[0]) if deadline[1] else deadline[0]).astimezone(zone)
    if opens and deadline_at and deadline_at < opens[0]:
        fm.error(
            "deadline",
            f"the deadline ({_when(deadline_at)}) is before the call opens ({_when(opens[0])})",
            f"check `deadline` here and `opens` on line {fm.line('opens')}",
        )
    return CallInfo(
        opens=opens[0].astimezone(zone) if opens else None,
        deadline=deadline_at,
        deadline_all_day=bool(deadline and deadline[1]),
        timezone=zone.key,
        apply=fm.get("apply", schema.read_url, default=""),
    )
