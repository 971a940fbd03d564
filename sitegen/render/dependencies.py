"""The digest each key of tracking.py has in this build: a rendering is reused while every key
it read has the digest it had when it was rendered.

Digests are short hashes of what a template can see through a key and nothing else: a page's
digest names its pager's items by their files, not their text (a template that shows an item
reads the item's own key as well)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Site, Tag
from sitegen.render.environment import DEFAULT_MENU
from sitegen.render.tracking import Key
from sitegen.site.timeline import preview_state


def digest_of(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def digest_of_texts(parts: list[str]) -> str:
    """digest_of() for strings only: joined, not repr'd (a third of the time at 15,000 pages)."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


# The kinds of key whose digest depends only on the assembled site (not on an item's text, a
# template or a copied file): when the last site is used again, their digests are as they were.
SITE_KINDS = frozenset(
    {"page", "feed", "feed-items", "calendar", "calendar-items", "tag", "stamp", "pages", "redirect", "menu"}
)


class Digests:
    """The digest of any key, computed when first asked (most keys are never asked: a build
    after one edit compares only the keys its last renderings read).

    `item_texts` gives each parsed file's own digest (its text and what it looked up), and
    `file_stamps` each copied file's (its size, times and inode)."""

    def __init__(
        self,
        site: Site,
        item_texts: Mapping[str, str],
        templates: Mapping[str, str],
        file_stamps: Mapping[str, str],
    ):
        self.site, self.item_texts, self.templates, self.file_stamps = site, item_texts, templates, file_stamps
        self._known: dict[Key, str | None] = {}
        self._kinds: dict[str, Callable[[str], str | None]] = {
            "item": self._item,
            "page": self._page,
            "feed": self._feed,
            "feed-items": self._feed_items,
            "calendar": self._calendar,
            "calendar-items": self._calendar_items,
            "tag": self._tag,
            "template": self._template,
            "stamp": lambda _: self.site.stamp.isoformat(),
            "pages": lambda _: self._pages_digest,
            "menu": lambda _: digest_of([url in self._pages for _label, url in DEFAULT_MENU]),
            "file": self.file_stamps.get,
            "redirect": lambda url: self._redirects.get(url),
        }

    def _template(self, name: str) -> str:
        """A template's digest; by its name in another case too: on a disk that ignores case
        (macOS) `Partials/Note.html` opens `partials/note.html` (elsewhere Jinja finds none)."""
        found = self.templates.get(name)
        if found is None:
            found = self._templates_by_case.get(name.lower(), "missing")
        return found

    @cached_property
    def _templates_by_case(self) -> dict[str, str]:
        return {name.lower(): digest for name, digest in sorted(self.templates.items(), reverse=True)}

    def __getitem__(self, key: Key) -> str | None:
        """None: the key names nothing in this build (a page or item that is gone)."""
        try:
            return self._known[key]
        except KeyError:
            kind = self._kinds.get(key[0])
            found = self._known[key] = kind(key[1]) if kind else None
            return found

    def changed(self, recorded: Mapping[Key, str]) -> set[Key]:
        return {key for key, digest in recorded.items() if self[key] != digest}

    def _item(self, source: str) -> str | None:
        item = self._items.get(source)
        if item is None:
            return None
        state, fixes = self.site.states.get(item.url, ""), self.site.link_fixes.get(source)
        parts = [self.item_texts.get(source, ""), state, preview_state(item, self.site.now), repr(fixes)]
        return digest_of_texts(parts)

    def _page(self, url: str) -> str | None:
        page = self._pages.get(url)
        if page is None:
            return None
        parts = [page.template, page.title, page.origin, page.item.source if page.item else ""]
        parts += [page.feed.key if page.feed else "", page.calendar.url if page.calendar else ""]
        if page.pager:
            # Its addresses follow from the first and the count (urls.page_urls): naming all of
            # them in each page's digest made a listing of n pages cost n * n.
            pager = page.pager
            parts += [str(pager.number), str(pager.count), pager.urls[0], *[i.source for i in pager.items]]
        if page.extra:
            parts.append(repr(_shape(page.extra)))
        return digest_of_texts(parts)

    def _feed(self, key: str) -> str | None:
        feed = self._feeds.get(key)
        return digest_of(feed.title, feed.description, feed.page_url, feed.base, feed.formats) if feed else None

    def _feed_items(self, key: str) -> str | None:
        feed = self._feeds.get(key)
        return digest_of(_sources(feed.items)) if feed else None

    def _calendar(self, url: str) -> str | None:
        calendar = self._calendars.get(url)
        return digest_of(calendar.title, calendar.kind) if calendar else None

    def _calendar_items(self, url: str) -> str | None:
        calendar = self._calendars.get(url)
        return digest_of(_sources(calendar.items)) if calendar else None

    def _tag(self, slug: str) -> str | None:
        tag = self.site.tags.get(slug)
        return tag.name if tag else None

    @cached_property
    def _items(self) -> dict[str, Item]:
        return {item.source: item for item in self.site.items}

    @cached_property
    def _pages(self) -> dict[str, Page]:
        return {page.url: page for page in self.site.pages}

    @cached_property
    def _feeds(self) -> dict[str, FeedSpec]:
        return {feed.key: feed for feed in self.site.feeds}

    @cached_property
    def _calendars(self) -> dict[str, CalendarSpec]:
        return {calendar.url: calendar for calendar in self.site.calendars}

    @cached_property
    def _redirects(self) -> dict[str, str]:
        return {redirect.url: redirect.target for redirect in self.site.redirects}

    @cached_property
    def _pages_digest(self) -> str:
        modified = [(p.url, p.item.modified if p.item else None) for p in self.site.pages if p.url.endswith("/")]
        return digest_of(modified)


def _sources(items: tuple[Item, ...] | list[Item]) -> tuple[str, ...]:
    return tuple(item.source for item in items)


def _shape(value: object) -> object:
    """A page's `extra` with items named by their files and tags by slug and name."""
    if isinstance(value, Item):
        return ("item", value.source)
    if isinstance(value, Tag):
        return ("tag", value.slug, value.name)
    if isinstance(value, Mapping):
        return tuple((key, _shape(entry)) for key, entry in value.items())
    if isinstance(value, list | tuple):
        return tuple(_shape(entry) for entry in value)
    return value


def template_digests(folders: list[Path]) -> dict[str, str]:
    """Each template name's digest: the bytes of the file a loader over `folders` finds first."""
    found: dict[str, str] = {}
    for folder in folders:
        for name, path in sorted(_files_within(folder)):
            if name not in found:
                found[name] = hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
    return found


def _files_within(
    folder: Path, prefix: str = "", above: frozenset[tuple[int, int]] = frozenset()
) -> Iterator[tuple[str, Path]]:
    """Every file a loader over `folder` can open, by name: through linked folders too (Jinja
    opens `partials/x.html` in a linked `partials/`, which Path.rglob does not enter), but not
    into a folder that holds the one being read (a link to a folder above would never end)."""
    try:
        info = os.stat(folder)
        entries = list(os.scandir(folder))
    except OSError:  # no such folder (a site without templates/), or not one
        return
    if (info.st_dev, info.st_ino) in above:
        return
    above = above | {(info.st_dev, info.st_ino)}
    for entry in entries:
        if entry.is_dir():
            yield from _files_within(Path(entry.path), f"{prefix}{entry.name}/", above)
        elif entry.is_file():
            yield prefix + entry.name, Path(entry.path)
