"""Stage 2: Source -> Item. Typed front matter plus the rendered body; all mistakes logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from . import schema
from .config import SiteConfig
from .errors import ErrorLog
from .frontmatter import Document, FrontMatterError, parse_document
from .markdown import render
from .model import CallInfo, EventInfo, Image, Item, Location, Source
from .schema import FieldError
from .urls import is_external, item_url, make_slug, resolve_content_ref, safe_site_path, slug_from_filename


class FrontMatter:
    """Reads one file's front-matter keys, logging each mistake at its line and going on."""

    def __init__(self, source: Source, doc: Document, log: ErrorLog):
        self.source, self.doc, self.log = source, doc, log

    def line(self, key: str) -> int:
        mark = self.doc.marks.get(key)
        return mark.line if mark else 1

    def error(self, key: str, message: str, hint: str = "", at_value: bool = True) -> None:
        mark = self.doc.marks.get(key)
        line, col = ((mark.value_line, mark.value_col) if at_value else (mark.line, mark.col)) if mark else (1, 1)
        self.log.error(self.source.path, line, col, message, hint)

    def get(self, key: str, read: Callable, *args, default=None):
        if key not in self.doc.data:
            return default
        try:
            return read(self.doc.data[key], *args)
        except FieldError as exc:
            self.error(key, f"`{key}` {exc.message}", exc.hint)
            return default


def parse_all(sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog) -> list[Item]:
    """`known` holds every path inside content/, to check images and links against."""
    items = (parse_source(source, config, known, log) for source in sources)
    return [item for item in items if item is not None]


def parse_source(source: Source, config: SiteConfig, known: set[str], log: ErrorLog) -> Item | None:
    try:
        doc = parse_document(source.text)
    except FrontMatterError as exc:
        log.error(source.path, exc.line, exc.col, exc.message, exc.hint)
        return None
    fm = FrontMatter(source, doc, log)
    errors_before = len(log.errors)
    item_type = fm.get("type", schema.read_type, default=source.default_type)
    _check_keys(fm, item_type)
    zone = fm.get("timezone", schema.read_timezone, default=config.timezone)
    title = fm.get("title", schema.read_required_text, default="")
    slug = _slug(fm, title)
    body = render(doc.body, source.content_path, config.base_path, config.html)
    _check_references(fm, body.references, known, doc.body_line)
    moment = _moment_reader(zone)
    item = Item(
        source=source.path,
        type=item_type,
        title=title,
        slug=slug,
        url=item_url(item_type, slug),
        date=fm.get("date", moment),
        updated=fm.get("updated", moment),
        summary=fm.get("summary", schema.read_required_text, default=body.excerpt),
        body_html=body.html,
        tag_names=fm.get("tags", schema.read_text_list, default=()),
        programme=fm.get("programme", lambda v: make_slug(schema.read_required_text(v))),
        image=fm.get("image", _read_image, fm, known),
        lang=fm.get("lang", schema.read_lang),
        draft=fm.get("draft", schema.read_bool, default=False),
        aliases=_aliases(fm),
        event=_event(fm, zone) if item_type == "event" else None,
        call=_call(fm, zone) if item_type == "call" else None,
        lines={key: mark.line for key, mark in doc.marks.items() if "." not in key},
    )
    return item if len(log.errors) == errors_before else None


def _check_keys(fm: FrontMatter, item_type: str) -> None:
    allowed = schema.KEYS_BY_TYPE[item_type]
    for key in fm.doc.data:
        if key not in allowed:
            hint = schema.unknown_key_hint(str(key), allowed)
            if key in schema.EVENT_KEYS + schema.CALL_KEYS:
                hint = f"`{key}` belongs to events or calls; set `type:` or move the file"
            fm.error(str(key), f"unknown key `{key}` for a {item_type}", hint, at_value=False)
    for key in schema.REQUIRED_BY_TYPE[item_type]:
        if key not in fm.doc.data:
            fm.log.error(
                fm.source.path, 1, 1, f"`{key}` is missing", f"add `{key}:` to the front matter ({_EXAMPLES[key]})"
            )


_EXAMPLES = {
    "title": "e.g. `title: Executive Board meets online`",
    "date": "the publication date, e.g. `date: 2026-02-10`",
    "starts": "when the event begins, e.g. `starts: 2026-02-05 10:00`",
}


def _moment_reader(zone: ZoneInfo) -> Callable[[object], datetime]:
    return lambda value: schema.read_moment(value, zone)[0]


def _slug(fm: FrontMatter, title: str) -> str:
    if "slug" in fm.doc.data:
        raw = fm.get("slug", schema.read_required_text, default="")
        if "/" in raw or "\\" in raw or ".." in raw:
            fm.error(
                "slug",
                f"the slug `{raw}` would write outside its folder in output/",
                "a slug is one word-like part of the address, e.g. `board-meeting-2026`",
            )
        elif raw and make_slug(raw) != raw:
            fm.error(
                "slug", f"the slug `{raw}` is not safe in an address", f"use `{make_slug(raw) or 'board-meeting'}`"
            )
        return raw
    return slug_from_filename(fm.source.content_path) or make_slug(title) or "item"


def _aliases(fm: FrontMatter) -> tuple[str, ...]:
    raw = fm.get("aliases", schema.read_text_list, default=())
    aliases = []
    for index, alias in enumerate(raw):
        path = safe_site_path(alias)
        if path is None:
            fm.error(
                f"aliases.{index}",
                f"the alias `{alias}` would write outside output/",
                "an alias is an old address on this site, e.g. /news/old-name.html",
            )
        else:
            aliases.append(path)
    return tuple(aliases)


def _read_image(value: object, fm: FrontMatter, known: set[str]) -> Image:
    if isinstance(value, str):
        raise FieldError(
            "must say what the picture shows", f'write image: {{src: {value}, alt: "what the picture shows"}}'
        )
    if not isinstance(value, dict):
        raise FieldError("must be a mapping with src and alt", "write image: {src: ..., alt: ...}")
    for key in value:
        if key not in schema.IMAGE_KEYS:
            raise FieldError(f"has an unknown key `{key}`", schema.unknown_key_hint(str(key), schema.IMAGE_KEYS))
    src = schema.read_required_text(value.get("src", ""))
    decorative = schema.read_bool(value.get("decorative", False))
    alt = schema.read_text(value.get("alt", "")).strip() if value.get("alt") is not None else ""
    if not alt and not decorative:
        raise FieldError(
            "has no `alt` text", "add `alt:` saying what the picture shows, or `decorative: true` if it shows nothing"
        )
    if not is_external(src):
        target = resolve_content_ref(src, fm.source.content_path)
        if target is None or target not in known:
            raise FieldError(
                f"`{src}` does not exist in content/",
                "check the file name; paths starting with / are from content/, e.g. /media/photo.jpg",
            )
        src = "/" + target
    return Image(
        src, alt, schema.read_text(value.get("caption", "")), schema.read_text(value.get("credit", "")), decorative
    )


def _check_references(fm: FrontMatter, references, known: set[str], body_line: int) -> None:
    for ref in references:
        target = ref.content_path
        if target is not None and (target in known or target.rstrip("/") in known):
            continue
        what = "image" if ref.is_image else "link target"
        problem = "points outside content/" if target is None else "does not exist in content/"
        fm.log.error(
            fm.source.path,
            body_line + ref.line - 1,
            1,
            f"the {what} `{ref.raw}` {problem}",
            "check the file name; a path is relative to this file, or from content/ if it starts with /",
        )


def _event(fm: FrontMatter, zone: ZoneInfo) -> EventInfo | None:
    start = fm.get("starts", schema.read_moment, zone)
    end = fm.get("ends", schema.read_moment, zone)
    if start is None:
        return None
    if end and end[0] < start[0]:
        fm.error("ends", "the event ends before it starts", "check the date and time of `ends` and `starts`")
    status = fm.get("status", schema.read_required_text, default="scheduled")
    if status not in schema.EVENT_STATUSES:
        fm.error("status", f"unknown status `{status}`", "use one of: " + ", ".join(schema.EVENT_STATUSES))
    return EventInfo(
        starts=start[0],
        ends=end[0] if end else None,
        all_day=start[1],
        timezone=zone.key,
        location=fm.get("location", _read_location),
        registration=fm.get("registration", schema.read_url, default=""),
        status=status,
    )


def _read_location(value: object) -> Location:
    if value == "online":
        return Location(online=True)
    if not isinstance(value, dict) or set(value) - set(schema.PLACE_KEYS):
        raise FieldError(
            "must be `online` or a place with name, address, city and country",
            "e.g. location: {name: Museo Guggenheim, city: Bilbao, country: ES}",
        )
    if value.get("online"):
        return Location(online=True, url=schema.read_url(value["url"]) if value.get("url") else "")
    if not value.get("name"):
        raise FieldError("needs a `name` (or `online: true`)", "e.g. location: {name: ..., city: ...}")
    return Location(**{key: schema.read_text(value.get(key, "")) for key in ("name", "address", "city", "country")})


def _call(fm: FrontMatter, zone: ZoneInfo) -> CallInfo:
    opens = fm.get("opens", schema.read_moment, zone)
    deadline = fm.get("deadline", schema.read_moment, zone)
    deadline_at = None
    if deadline:
        deadline_at = schema.end_of_day(deadline[0]) if deadline[1] else deadline[0]
    if opens and deadline_at and deadline_at < opens[0]:
        fm.error("deadline", "the deadline is before the call opens", "check `opens` and `deadline`")
    return CallInfo(
        opens=opens[0] if opens else None,
        deadline=deadline_at,
        timezone=zone.key,
        apply=fm.get("apply", schema.read_url, default=""),
    )
