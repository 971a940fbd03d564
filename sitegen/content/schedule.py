"""The when and where of events and calls: `starts`/`ends`/`location`/`status` and
`opens`/`deadline`/`apply`, read in the item's time zone and checked against each other."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sitegen.content import schema
from sitegen.content.moments import end_of_day, offset_slip, read_moment
from sitegen.content.schema import FieldError
from sitegen.content.slips import WORDPRESS_STATUSES, wordpress_status_hint
from sitegen.model import CallInfo, EventInfo, Location

if TYPE_CHECKING:
    from sitegen.content.parse import FrontMatter


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def read_event(fm: FrontMatter, zone: ZoneInfo, published: datetime | None = None) -> EventInfo | None:
    start = _read_time(fm, "starts", zone)
    end = _read_time(fm, "ends", zone, start[0].date() if start else None)
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
    _warn_if_published_after(fm, published, start[0], "starts")
    return EventInfo(
        # Shown in the event's own zone even when the editor wrote another offset.
        starts=start[0].astimezone(zone),
        ends=end[0].astimezone(zone) if end else None,
        all_day=start[1],
        timezone=zone.key,
        location=fm.get("location", read_location),
        registration=fm.get("registration", schema.read_url, default=""),
        status=_read_status(fm),
    )


def _read_time(fm: FrontMatter, key: str, zone: ZoneInfo, day: date | None = None) -> tuple[datetime, bool] | None:
    """An event's or a call's moment; one written with an offset that is not the zone's that
    day is a warning: the page shows it in the zone, at another hour than the one written (a
    warning, not an error: an export's `Z` or `+00:00` names the right moment exactly)."""
    moment = fm.get(key, read_moment, zone, key, day)
    slip = offset_slip(moment[0], zone) if moment else None
    if slip:
        message, offset = slip
        where = "`timezone` says where the event happens"
        if key in ("opens", "deadline"):
            where = "`timezone` says which zone the call's times are in"
        if "timezone" not in fm.doc.data:
            where = f"times are in the site's zone, {zone.key}, unless `timezone:` names another"
        fm.warn(key, message, f"remove the {offset.split()[0]}: {where}")
    return moment


def _warn_if_published_after(fm: FrontMatter, published: datetime | None, moment: datetime, what: str) -> None:
    """An item dated after it happens is held back as scheduled until then: no clock is needed
    to know it, so it is said at parse. `what`: "starts" or "deadline"."""
    if published and published > moment:
        noun, verb = ("event", "starts") if what == "starts" else ("call", "closes")
        on = _day_or_when(published)
        fm.warn(
            "date",
            f"the {noun} is published on {on}, after it {verb} ({_when(moment)}): it stays off the site until then",
            f"`date` is when it is announced: set it before `{what}` (line {fm.line(what)})",
        )


def _day_or_when(moment: datetime) -> str:
    return moment.date().isoformat() if moment.time() == time(0) else _when(moment)


def _read_status(fm: FrontMatter) -> str:
    written = fm.get("status", schema.read_required_text, default="scheduled")
    status = re.sub(r"[\s_]+", "-", written.strip().lower())  # `Cancelled`, `Moved online`
    if status in schema.EVENT_STATUSES:
        return status
    hint = "use one of: " + ", ".join(schema.EVENT_STATUSES)
    if status in WORDPRESS_STATUSES:
        hint = wordpress_status_hint(status)
    fm.error("status", f"unknown status `{written}`", hint)
    return "scheduled"


def read_location(value: object) -> Location:
    if value == "online":
        return Location(online=True)
    if not isinstance(value, dict) or set(value) - set(schema.PLACE_KEYS):
        hint = "e.g. location: {name: Museo Guggenheim, city: Bilbao, country: ES}"
        if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
            hint = f"for a meeting online, write `location: {{online: true, url: {value.strip()}}}`"
        raise FieldError("must be `online` or a place with name, address, city and country", hint)
    if value.get("online") is not None and _place_part(value, "online", schema.read_bool):
        url = _place_part(value, "url", schema.read_url) if value.get("url") else ""
        return Location(online=True, url=url)
    if not value.get("name"):
        raise FieldError("needs a `name` (or `online: true`)", "e.g. location: {name: ..., city: ...}")
    return Location(**{key: _place_part(value, key, _SHOWN_LINE) for key in ("name", "address", "city", "country")})


_SHOWN_LINE = schema.shown(schema.read_line)


def _place_part(value: dict, key: str, read: Callable[[object], Any] = schema.read_line) -> Any:
    """One part of a place, read with `read` (one line of text unless said): a mistake is
    reported at the part's own line."""
    try:
        return read(value.get(key, ""))
    except FieldError as exc:
        raise FieldError(f"`{key}` {exc.message}", exc.hint, at=key) from None


def read_call(fm: FrontMatter, zone: ZoneInfo, published: datetime | None = None) -> CallInfo:
    opens = _read_time(fm, "opens", zone)
    deadline = _read_time(fm, "deadline", zone, opens[0].date() if opens else None)
    deadline_at = None
    if deadline:
        deadline_at = (end_of_day(deadline[0]) if deadline[1] else deadline[0]).astimezone(zone)
    if opens and deadline_at and deadline_at < opens[0]:
        fm.error(
            "deadline",
            f"the deadline ({_when(deadline_at)}) is before the call opens ({_when(opens[0])})",
            f"check `deadline` here and `opens` on line {fm.line('opens')}",
        )
    elif deadline_at:
        _warn_if_published_after(fm, published, deadline_at, "deadline")
    return CallInfo(
        opens=opens[0].astimezone(zone) if opens else None,
        deadline=deadline_at,
        deadline_all_day=bool(deadline and deadline[1]),
        timezone=zone.key,
        apply=fm.get("apply", schema.read_url, default=""),
    )
