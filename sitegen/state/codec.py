"""Items and errors as JSON values and back: the on-disk state is data that reading cannot
turn into code (a crafted pickle could; see docs/architecture.md, "The build's memory")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.errors import SourceError
from sitegen.model import CallInfo, EventInfo, Image, Item, Location, StoredText


def encode_item(item: Item, body: Any) -> list[Any]:
    """`body`: where the body is kept (state/bodies.py), stored in its place."""
    return [
        item.source,
        item.type,
        item.title,
        item.slug,
        item.url,
        _moment(item.date),
        _moment(item.updated),
        item.summary,
        body,
        list(item.tag_names),
        item.programme,
        _fields(item.image),
        item.lang,
        item.draft,
        list(item.aliases),
        _event(item.event),
        _call(item.call),
        dict(item.lines),
        [list(link) for link in item.links],
        [list(link) for link in item.site_links],
    ]


def decode_item(value: list[Any], read_body: Callable[[Any], StoredText]) -> Item:
    source, kind, title, slug, url, date, updated, summary, body, tags = value[:10]
    programme, image, lang, draft, aliases, event, call, lines, links, site_links = value[10:]
    return Item(
        source=_text(source),
        type=_text(kind),
        title=_text(title),
        slug=_text(slug),
        url=_text(url),
        date=_read_moment(date),
        updated=_read_moment(updated),
        summary=_text(summary),
        body=read_body(body),
        tag_names=tuple(_text(tag) for tag in tags),
        programme=programme if programme is None else _text(programme),
        image=Image(*image) if image is not None else None,
        lang=lang if lang is None else _text(lang),
        draft=bool(draft),
        aliases=tuple(_text(alias) for alias in aliases),
        event=_read_event(event),
        call=_read_call(call),
        lines={_text(key): int(line) for key, line in lines.items()},
        links=tuple((_text(target), int(line), _text(path)) for target, line, path in links),
        site_links=tuple((int(line), int(col), _text(address)) for line, col, address in site_links),
    )


def encode_error(error: SourceError) -> list[Any]:
    return [error.path, error.line, error.col, error.message, error.hint, error.severity]


def decode_error(value: list[Any]) -> SourceError:
    path, line, col, message, hint, severity = value
    return SourceError(_text(path), int(line), int(col), _text(message), _text(hint), _text(severity))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, found {type(value).__name__}")
    return value


def _moment(value: datetime | None) -> list[str] | None:
    """An aware time with its zone's name, which dates are shown in ("CET")."""
    if value is None:
        return None
    zone = getattr(value.tzinfo, "key", None)
    return [value.isoformat(), zone or ""]


def _read_moment(value: list[str] | None) -> datetime | None:
    if value is None:
        return None
    stamp, zone = value
    moment = datetime.fromisoformat(_text(stamp))
    return moment.astimezone(ZoneInfo(zone)) if zone else moment


def _fields(value: Image | Location | None) -> list[Any] | None:
    return None if value is None else [getattr(value, name) for name in value.__dataclass_fields__]


def _event(event: EventInfo | None) -> list[Any] | None:
    if event is None:
        return None
    return [
        _moment(event.starts),
        _moment(event.ends),
        event.all_day,
        event.timezone,
        _fields(event.location),
        event.registration,
        event.status,
    ]


def _read_event(value: list[Any] | None) -> EventInfo | None:
    if value is None:
        return None
    starts, ends, all_day, zone, location, registration, status = value
    return EventInfo(
        _read_moment(starts),  # type: ignore[arg-type]
        _read_moment(ends),
        bool(all_day),
        _text(zone),
        Location(*location) if location is not None else None,
        _text(registration),
        _text(status),
    )


def _call(call: CallInfo | None) -> list[Any] | None:
    if call is None:
        return None
    return [_moment(call.opens), _moment(call.deadline), call.deadline_all_day, call.timezone, call.apply]


def _read_call(value: list[Any] | None) -> CallInfo | None:
    if value is None:
        return None
    opens, deadline, all_day, zone, apply = value
    return CallInfo(_read_moment(opens), _read_moment(deadline), bool(all_day), _text(zone), _text(apply))
