"""Which keys a file has: unknown ones at their line, missing ones once. Many files are moved
in from WordPress, Jekyll and Hugo, whose keys and files mean something else here: each is
named with sitegen's way of saying the same thing, so the fix is not to delete what matters."""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from sitegen.content import schema
from sitegen.urls import date_of_filename, is_markdown_name

if TYPE_CHECKING:
    from sitegen.content.parse import FrontMatter

TYPE_NAMES = {
    "news": "a news item",
    "event": "an event",
    "call": "a call",
    "programme": "a programme page",
    "page": "a page",
}
_EXAMPLES = {
    "title": "e.g. `title: Executive Board meets online`",
    "date": "the publication date, e.g. `date: 2026-02-10`",
    "starts": "when the event begins, e.g. `starts: 2026-02-05 10:00`",
}


def check_keys(fm: FrontMatter, item_type: str) -> None:
    """Unknown keys at their line; a missing required key once, unless a misspelt key
    already says "did you mean" it."""
    allowed = schema.KEYS_BY_TYPE[item_type]
    suggested: set[str | None] = set()
    for key in fm.doc.data:
        if key not in allowed:
            hint = _foreign_key_hint(fm, str(key))
            if hint is None:
                hint = schema.unknown_key_hint(str(key), allowed)
                suggested.add(schema.closest(str(key), allowed))
            fm.error(str(key), f"unknown key `{key}` in {TYPE_NAMES[item_type]}", hint, at_value=False)
    missing = [key for key in schema.REQUIRED_BY_TYPE[item_type] if key not in fm.doc.data and key not in suggested]
    if missing and _is_hugo_section(fm.source.content_path):
        message = "`_index.md` is Hugo's section page: sitegen makes each section's page itself"
        hint = "remove the file; to keep its text, move it to content/pages/ under a name of its own"
        fm.log.error(fm.source.path, 1, 1, message, hint)
        return
    for key in missing:
        hint = f"add `{key}:` to the front matter ({_EXAMPLES[key]})"
        day = date_of_filename(fm.source.content_path) if key == "date" else None
        if day:  # Jekyll takes a post's date from its file name; sitegen reads `date:`
            hint = f"add `date: {day}` (the file name's date)"
        fm.log.error(fm.source.path, 1, 1, f"`{key}` is missing", hint)


def _is_hugo_section(content_path: str) -> bool:
    name = posixpath.basename(content_path)
    return is_markdown_name(name) and posixpath.splitext(name)[0].lower() == "_index"


def _foreign_key_hint(fm: FrontMatter, key: str) -> str | None:
    """The fix for a key another generator writes, or None for a key sitegen knows nothing of."""
    value = fm.doc.data[key]
    name = key.lower()
    if name == "published":
        if value is True:
            return "remove the line: sitegen publishes every item that has no `draft: true`"
        return (
            "write `draft: true` (sitegen's word; `published: false` would otherwise be dropped and the post published)"
        )
    if name == "status" and isinstance(value, str) and value.strip().lower() in WORDPRESS_STATUSES:
        return wordpress_status_hint(value.strip().lower())
    if name in _RENAMED:
        if name == "categories" and "tags" in fm.doc.data:
            return f"sitegen has tags alone: move these entries into `tags:` on line {fm.line('tags')}"
        return f"write `{_RENAMED[name]}:` instead (sitegen's word for it)"
    if name in ("permalink", "url"):  # Jekyll's and Hugo's
        old = value.strip() if isinstance(value, str) and value.strip().startswith("/") else "..."
        return f"to keep the old address working, write `aliases: [{old}]`; to choose the new one, `slug:`"
    if name in _PICTURES and _names_a_file(value):
        src = value[0] if isinstance(value, list) else value  # Hugo's `images:` is a list
        return f'write `image: {{src: {src}, alt: "what the picture shows"}}`'
    if name in _HINTS:
        return _HINTS[name]
    if name in _UNUSED:
        return f"sitegen has no `{key}` setting: the line can go"
    if key in schema.EVENT_KEYS + schema.CALL_KEYS:
        return f"`{key}` belongs to events or calls; set `type:` or move the file"
    return None


# Other generators' names for sitegen's keys.
_RENAMED = {
    "excerpt": "summary",
    "description": "summary",
    "lastmod": "updated",
    "modified": "updated",
    "last_modified_at": "updated",
    "categories": "tags",
    "category": "tags",
    "redirect_from": "aliases",  # Jekyll's redirect-from plugin
    "publishdate": "date",  # Hugo's
    "keywords": "tags",
}
_HINTS = {
    "expirydate": "sitegen has no expiry date: remove the file (or set `draft: true`) when it should go",
    "toc": "write [[toc]] in the body where the table of contents goes; the line can go",
    "password": "sitegen publishes every page for anyone to read: remove the line, and the text if it is private",
    "excerpt_separator": "sitegen's summary ends at a line of `<!--more-->` in the body: put one there, and the line "
    "can go",
}
# The lead picture by other names: WordPress plugins and exporters (coverImage), Hugo themes.
_PICTURES = (
    "featured_image", "featuredimage", "featured", "thumbnail", "cover", "cover_image", "coverimage", "image_url",
    "images", "banner", "hero", "hero_image", "header_image",
)  # fmt: skip
_UNUSED = (
    "author", "authors", "layout", "weight", "comments", "guid", "wordpress_id", "dsq_thread_id", "id", "parent_id",
    "meta",
)  # fmt: skip
WORDPRESS_STATUSES = ("publish", "draft", "pending", "private", "future", "trash")


def _names_a_file(value: object) -> bool:
    """`cover: photo.jpg`, `images: [a.jpg]`; not `featured: true`, a theme's flag."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(entry, str) for entry in value)
    return isinstance(value, str) and bool(value.strip())


def wordpress_status_hint(status: str) -> str:
    if status == "publish":
        return "`status: publish` is WordPress's: remove the line (use `draft: true` to hold a post back)"
    return f"`status: {status}` is WordPress's: write `draft: true` to keep the item unpublished"


def toml_problem(lines: list[str]) -> tuple[int, int, str, str] | None:
    """Front matter between `+++` lines is TOML, as Hugo writes it: named, with the first of
    its lines as YAML writes it."""
    if not lines or lines[0].strip() != "+++":
        return None
    example = next((match for line in lines[1:] if (match := re.match(r"\s*([\w-]+)\s*=\s*(.+)", line))), None)
    key, value = (example.group(1), example.group(2).strip()) if example else ("title", '"Board meeting"')
    return (
        1,
        1,
        "the front matter is TOML (between +++ lines), as Hugo writes it; sitegen reads YAML between --- lines",
        f"write --- for each +++, and `key: value` for `key = value`: `{key} = {value}` becomes `{key}: {value}`",
    )
