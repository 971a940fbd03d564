"""The fast path of an incremental build: when edits changed only what an item shows (its
text, summary, picture, language), not where it is listed, the new Site is the last one
with those items swapped in. Everything assemble decides (what is published, order, tags,
pages, feeds, clock states) depends only on the fields `shape()` covers, so the result
equals a fresh assemble; tests/test_incremental.py checks that against clean builds.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping

from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Pager, Site


def shape(item: Item) -> str:
    """Every field of an item that assemble reads (repr keeps a date's zone, which `==`
    would not). Two items of the same shape are listed in exactly the same places."""
    fields = (
        item.source,
        item.type,
        item.title,
        item.slug,
        item.url,
        item.date,
        item.updated,
        item.tag_names,
        item.programme,
        item.draft,
        item.aliases,
        item.event,
        item.call,
        sorted(item.lines.items()),
    )
    return repr(fields)


class SiteIndex:
    """Where each item appears in a Site, by source path: which pages, feeds and calendars."""

    def __init__(self, site: Site):
        self.pages: dict[str, list[int]] = defaultdict(list)
        self.feeds: dict[str, list[int]] = defaultdict(list)
        self.calendars: dict[str, list[int]] = defaultdict(list)
        self.pages_by_feed: dict[int, list[int]] = defaultdict(list)
        self.pages_by_calendar: dict[int, list[int]] = defaultdict(list)
        feed_index = {id(feed): n for n, feed in enumerate(site.feeds)}
        calendar_index = {id(calendar): n for n, calendar in enumerate(site.calendars)}
        for n, feed in enumerate(site.feeds):
            for item in feed.items:
                self.feeds[item.source].append(n)
        for n, calendar in enumerate(site.calendars):
            for item in calendar.items:
                self.calendars[item.source].append(n)
        for n, page in enumerate(site.pages):
            for source in dict.fromkeys(_sources(page)):
                self.pages[source].append(n)
            if page.feed is not None:
                self.pages_by_feed[feed_index[id(page.feed)]].append(n)
            if page.calendar is not None:
                self.pages_by_calendar[calendar_index[id(page.calendar)]].append(n)


def _sources(page: Page):
    if page.item is not None:
        yield page.item.source
    if page.pager is not None:
        yield from (item.source for item in page.pager.items)
    yield from _extra_sources(page.extra)


def _extra_sources(value: object):
    if isinstance(value, Item):
        yield value.source
    elif isinstance(value, (list, tuple)):
        for entry in value:
            yield from _extra_sources(entry)
    elif isinstance(value, Mapping):
        for entry in value.values():
            yield from _extra_sources(entry)
    elif isinstance(value, Pager):
        yield from (item.source for item in value.items)


def patch(site: Site, index: SiteIndex, swaps: dict[str, Item], assets: list, now) -> Site:
    """A copy of `site` with each item whose source is in `swaps` replaced by the new one."""
    swap = _Swap(swaps)
    feeds = list(site.feeds)
    calendars = list(site.calendars)
    pages = list(site.pages)
    touched_pages: set[int] = set()
    for source in swaps:
        for n in index.feeds.get(source, ()):
            feeds[n] = dataclasses.replace(feeds[n], items=swap.items(feeds[n].items))
            touched_pages.update(index.pages_by_feed.get(n, ()))
        for n in index.calendars.get(source, ()):
            calendars[n] = dataclasses.replace(calendars[n], items=swap.items(calendars[n].items))
            touched_pages.update(index.pages_by_calendar.get(n, ()))
        touched_pages.update(index.pages.get(source, ()))
    new_feeds = {id(old): new for old, new in zip(site.feeds, feeds, strict=True) if old is not new}
    new_calendars = {id(old): new for old, new in zip(site.calendars, calendars, strict=True) if old is not new}
    for n in touched_pages:
        page = pages[n]
        pages[n] = dataclasses.replace(
            page,
            item=swap.one(page.item),
            pager=swap.pager(page.pager),
            feed=new_feeds.get(id(page.feed), page.feed),
            calendar=new_calendars.get(id(page.calendar), page.calendar),
            extra=swap.value(page.extra),
        )
    return dataclasses.replace(
        site,
        items=[swap.one(item) for item in site.items],
        pages=pages,
        feeds=feeds,
        calendars=calendars,
        assets=assets,
        now=now,
    )


class _Swap:
    def __init__(self, swaps: dict[str, Item]):
        self.swaps = swaps

    def one(self, item):
        return self.swaps.get(item.source, item) if isinstance(item, Item) else item

    def items(self, items: tuple[Item, ...]) -> tuple[Item, ...]:
        return tuple(self.swaps.get(item.source, item) for item in items)

    def pager(self, pager: Pager | None) -> Pager | None:
        return dataclasses.replace(pager, items=self.items(pager.items)) if pager else None

    def value(self, value: object) -> object:
        if isinstance(value, Item):
            return self.one(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, Pager):
            return self.pager(value)
        if isinstance(value, (FeedSpec, CalendarSpec)):
            return dataclasses.replace(value, items=self.items(value.items))
        return value
