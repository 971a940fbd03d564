"""Stage 2: Source -> Item. Typed front matter plus the rendered body; all mistakes logged."""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from sitegen.content import schema
from sitegen.content.addresses import Reference, site_address, spelled_as_listed
from sitegen.content.config import SiteConfig
from sitegen.content.frontmatter import Document, FrontMatterError, parse_document
from sitegen.content.lint import alt_text_problem
from sitegen.content.markdown import Rendered, render
from sitegen.content.moments import read_moment
from sitegen.content.references import REF_HINT, locate, ref_hint, warn_about_references
from sitegen.content.schedule import read_call, read_event
from sitegen.content.schema import FieldError
from sitegen.content.slips import check_keys
from sitegen.content.yamlerrors import quoted
from sitegen.errors import ErrorLog
from sitegen.model import Image, Item, Source
from sitegen.urls import (
    is_external,
    is_markdown_name,
    item_url,
    make_slug,
    markdown_link_path,
    resolve_content_ref,
    safe_site_path,
    slug_from_filename,
)


class FrontMatter:
    """Reads one file's front-matter keys, logging each mistake at its line and going on."""

    def __init__(self, source: Source, doc: Document, log: ErrorLog):
        self.source, self.doc, self.log = source, doc, log

    def line(self, key: str) -> int:
        mark = self.doc.marks.get(key)
        return mark.line if mark else 1

    def error(self, key: str, message: str, hint: str = "", at_value: bool = True) -> None:
        self.log.error(self.source.path, *self._where(key, at_value), message, hint)

    def warn(self, key: str, message: str, hint: str = "") -> None:
        self.log.warn(self.source.path, *self._where(key, True), message, hint)

    def _where(self, key: str, at_value: bool) -> tuple[int, int]:
        mark = self.doc.marks.get(key)
        if not mark:
            return 1, 1
        return (mark.value_line, mark.value_col) if at_value else (mark.line, mark.col)

    def get(self, key: str, read: Callable, *args, default=None):
        if key not in self.doc.data:
            return default
        try:
            return read(self.doc.data[key], *args)
        except FieldError as exc:
            where = f"{key}.{exc.at}" if exc.at and f"{key}.{exc.at}" in self.doc.marks else key
            hint = self._comment_hint(key, exc) if self.doc.data[key] is None else ""
            self.error(where, f"`{key}` {exc.message}", hint or exc.hint, at_value=not exc.on_key)
            return default

    def _comment_hint(self, key: str, exc: FieldError) -> str:
        """`title: # Heading` is a key and a comment: YAML reads nothing after the colon. Text
        is fixed by quotes; another value (`date: # 2026-01-10`) by leaving the `#` out."""
        mark = self.doc.marks.get(key)
        lines = self.source.text.splitlines()
        if mark is None or mark.line > len(lines):
            return ""
        _, colon, after = lines[mark.line - 1].partition(":")
        comment = after.strip()
        if not colon or not comment.startswith("#"):
            return ""
        told = "YAML reads what follows ` #` as a comment, so nothing is left"
        if exc.message.startswith("must be text"):
            return f"{told}: put the value in quotes, `{key}: {quoted(comment)}`"
        return f"{told}: remove the `#` if the rest is the value; {exc.hint}"


def parse_all(sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog) -> list[Item]:
    """`known` holds every path inside content/, to check images and links against."""
    items = [parse_source(source, config, known, log) for source in sources]
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
    check_keys(fm, item_type)
    zone = fm.get("timezone", schema.read_timezone, default=config.timezone)
    title = fm.get("title", schema.shown(schema.read_required_line), default="")
    slug = _slug(fm, title)
    body = _render_body(fm, config, known)
    first = len(log.warnings)
    warn_about_references(source.path, doc.body, doc.body_line, body.references, known, log)
    for finding in body.findings:
        log.warn(source.path, doc.body_line + finding.line - 1, 1, finding.message, finding.hint)
    log.warnings[first:] = sorted(log.warnings[first:], key=lambda warning: (warning.line, warning.col))  # as read
    published = fm.get("date", _moment_reader(zone, "date"))
    item = Item(
        source=source.path,
        type=item_type,
        title=title,
        slug=slug,
        url=item_url(item_type, slug),
        date=published,
        updated=fm.get("updated", _moment_reader(zone, "updated")),
        summary=fm.get("summary", schema.shown(schema.read_required_text), default=body.excerpt),
        body=body.html,
        tag_names=fm.get("tags", schema.shown(schema.read_tags), default=()),
        programme=fm.get("programme", lambda v: make_slug(schema.read_required_text(v))),
        image=fm.get("image", _read_image, fm, known),
        lang=fm.get("lang", schema.read_lang),
        draft=fm.get("draft", schema.read_bool, default=False),
        aliases=_aliases(fm),
        event=read_event(fm, zone, published) if item_type == "event" else None,
        call=read_call(fm, zone, published) if item_type == "call" else None,
        lines={key: mark.line for key, mark in doc.marks.items() if "." not in key},
        links=_item_links(body.references, doc.body_line, known),
        site_links=_site_links(body.site_links, doc),
    )
    if len(log.errors) != errors_before:
        return None
    return item


def _moment_reader(zone: ZoneInfo, key: str) -> Callable[[object], datetime]:
    return lambda value: read_moment(value, zone, key)[0]


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
    raw = fm.get("aliases", schema.read_optional_list, default=())
    aliases = []
    for index, alias in enumerate(raw):
        path = safe_site_path(alias)
        if path is None and any(part.startswith(".") and part != ".." for part in alias.split("/")):
            fm.error(
                f"aliases.{index}",
                f"the alias `{alias}` names a hidden file, which the web server keeps for itself",
                "an alias is an old address of a page, e.g. /news/old-name.html",
            )
        elif path is None:
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
            hint = schema.unknown_key_hint(str(key), schema.IMAGE_KEYS)
            raise FieldError(f"has an unknown key `{key}`", hint, at=str(key), on_key=True)
    if value.get("src") is None:
        raise FieldError("has no `src`", "add `src:` with the picture's file name, e.g. `src: photo.jpg`", on_key=True)
    src = _image_part(value, "src", schema.read_text, "").strip()
    alt, caption, credit = (_image_part(value, part, _SHOWN_TEXT, "").strip() for part in ("alt", "caption", "credit"))
    decorative = _image_part(value, "decorative", schema.read_bool, False)
    problem = alt_text_problem(alt) if alt else None
    if problem:
        fm.warn("image.alt", *problem)
    if not alt and not decorative:
        raise FieldError(
            "has no `alt` text",
            "add `alt:` saying what the picture shows, or `decorative: true` if it shows nothing",
            on_key=True,
        )
    if not is_external(src):
        src = site_address("/" + _existing_file(src, fm.source.content_path, known, "src"))
    else:
        _check_web_address(src)
    return Image(src, alt, caption, credit, decorative)


def _check_web_address(src: str) -> None:
    """A picture elsewhere is named by its whole address: `//host/p.png` would be read as a
    path of this site where an address is made absolute (og:image, JSON-LD, feeds)."""
    if src.startswith("//"):
        raise FieldError(
            f"`src` must be a whole web address, not `{src}`", f"write the full address: https:{src}", at="src"
        )
    scheme = src.split(":", 1)[0].lower()
    if scheme not in ("https", "http"):
        raise FieldError(
            f"`src` must be a picture's file or web address, not a `{scheme}:` address",
            "name a file beside the post or in content/media/, or an address starting with https://",
            at="src",
        )
    if not re.match(r"https?://[^\s/]", src, re.IGNORECASE):
        hint = "write it as https:// then the host and the path, e.g. https://cdn.example.net/photo.jpg"
        raise FieldError(f"`src` must be a whole web address, not `{src}`", hint, at="src")


def _image_part(value: dict, part: str, read: Callable, default: object) -> Any:
    if value.get(part) is None:
        return default
    try:
        return read(value[part])
    except FieldError as exc:
        raise FieldError(f"`{part}` {exc.message}", exc.hint, at=part) from None


_SHOWN_TEXT = schema.shown(schema.read_text)


def _existing_file(ref: str, content_path: str, known: set[str], at: str) -> str:
    """The path inside content/ that `ref` names, or a FieldError saying where it looked."""
    target = resolve_content_ref(ref, content_path)
    if target is not None and target not in known and "%" in ref:
        target = resolve_content_ref(unquote(ref), content_path)  # `my%20photo.png`, as a body may name it
    if target is not None:
        target = spelled_as_listed(target, known.__contains__)
    if target is None:
        raise FieldError(f"file `{ref}` points outside content/", REF_HINT, at=at)
    if target not in known:
        message = f"file `{ref}` does not exist (looked for content/{target})"
        raise FieldError(message, ref_hint(ref, target, known), at=at)
    return target


def _render_body(fm: FrontMatter, config: SiteConfig, known: Set[str]) -> Rendered:
    known_file = known.__contains__
    return render(fm.doc.body, fm.source.content_path, config.base_path, config.html, known_file, config.base_url)


def _item_links(references: list[Reference], body_line: int, known: Set[str]) -> tuple[tuple[str, int, str], ...]:
    """The body's links to other items' files that exist: whether each is published is decided
    at the build's clock (site/links.py)."""
    return tuple(
        (ref.content_path, body_line + ref.line - 1, markdown_link_path(ref.content_path))
        for ref in references
        if not ref.is_image and ref.content_path and is_markdown_name(ref.content_path) and ref.content_path in known
    )


def _site_links(links: list[tuple[int, str, str]], doc: Document) -> tuple[tuple[int, int, str], ...]:
    """Each link to a path of the site at its file's line and column (site/paths.py checks
    it): found as written, decoded (`/café/`) or not (`/caf%C3%A9/`)."""
    lines = doc.body.splitlines() if links else []
    found = []
    for at, decoded, address in links:
        line, col = locate(lines, decoded if decoded in doc.body else address, at)
        found.append((doc.body_line + line - 1, col, address))
    return tuple(found)
