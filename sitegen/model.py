"""The typed objects that pass between stages. No I/O, no Jinja: data only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol

TYPES = ("news", "event", "call", "programme", "page")
# Types listed in the site feeds, the home page and the year archive; pages and
# programme descriptions are not news and would otherwise crowd them.
DATED_TYPES = ("news", "event", "call")


@dataclass(frozen=True)
class Source:
    """A Markdown file as read from content/, not yet understood."""

    path: str  # relative to the site root, e.g. "content/news/2026-02-10-board.md"
    content_path: str  # relative to content/, e.g. "news/2026-02-10-board.md"
    default_type: str
    text: str


class StoredText(Protocol):
    """Text that is read when it is used (a body in the build's memory on disk)."""

    def read(self) -> str: ...


@dataclass(frozen=True)
class Asset:
    """A file beside the posts (image, PDF, ...) copied to the output unchanged."""

    content_path: str  # relative to content/, also its path in the output
    source: Path


@dataclass(frozen=True)
class Image:
    src: str  # site path ("/media/x.svg") or an absolute URL
    alt: str
    caption: str = ""
    credit: str = ""
    decorative: bool = False


@dataclass(frozen=True)
class Location:
    name: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    online: bool = False
    url: str = ""


@dataclass(frozen=True)
class EventInfo:
    starts: datetime
    ends: datetime | None
    all_day: bool
    timezone: str
    location: Location | None
    registration: str
    status: str


@dataclass(frozen=True)
class CallInfo:
    opens: datetime | None
    deadline: datetime | None
    deadline_all_day: bool  # given as a date: the end of that day, shown without a time
    timezone: str
    apply: str


@dataclass(frozen=True)
class Tag:
    slug: str  # identity: tags that fold to the same slug are one tag ("AI" == "ai")
    name: str  # display form


@dataclass(frozen=True, repr=False)
class Item:
    """One parsed piece of content: typed front matter plus rendered body."""

    source: str
    type: str
    title: str
    slug: str
    url: str  # site path without the base path, e.g. "/news/board-meeting/"
    date: datetime | None
    updated: datetime | None
    summary: str  # the editor's summary, else an excerpt cut at a word boundary
    body: str | StoredText  # the rendered body's HTML; StoredText: kept on disk until it is shown
    tag_names: tuple[str, ...]
    programme: str | None
    image: Image | None
    lang: str | None
    draft: bool
    aliases: tuple[str, ...]
    event: EventInfo | None = None
    call: CallInfo | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # front-matter key -> file line
    # Links in the body to other items: (their file in content/, the link's line, the site path
    # the body links to). Whether each target is published is known only at the build's clock.
    links: tuple[tuple[str, int, str], ...] = ()
    # Links in the body to the site's own paths (`/news/`, `/2019/05/old-post/`): (line, column,
    # the address after the base path, as published). Whether the build writes a file there is
    # known only once the site is assembled (site/paths.py).
    site_links: tuple[tuple[int, int, str], ...] = ()

    @cached_property  # sorting 10,000 items asks for it ~60,000 times; timestamp() is slow
    def sort_key(self) -> tuple:
        """Newest first, then by URL so equal dates still sort the same every build."""
        stamp = self.date.timestamp() if self.date else 0.0
        return (-stamp, self.url)

    @property
    def body_html(self) -> str:
        return self.body if isinstance(self.body, str) else self.body.read()

    def __repr__(self) -> str:
        # What `{{ item }}` shows, as for the page, its pager, feed and calendar: their identity
        # only. A dataclass's own repr would print every field (and other items), which the
        # build's memory cannot know a template read (render/tracking.py notes lookups).
        return f"<Item {self.source}>"

    @property
    def modified(self) -> datetime | None:
        return self.updated or self.date


@dataclass(frozen=True, repr=False)
class Pager:
    """One page of a paginated listing."""

    number: int
    count: int
    items: tuple[Item, ...]
    urls: tuple[str, ...]  # the site path of every page of this listing

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    def __repr__(self) -> str:
        return f"<Pager {self.number} of {self.count}>"


@dataclass(frozen=True, repr=False)
class FeedSpec:
    """A feed: its items, where it lives and the page it belongs to."""

    key: str  # "site", "type:news", "tag:ai", "programme:echoes"
    title: str
    description: str
    page_url: str  # the HTML page the feed follows
    base: str  # folder of the feed files, e.g. "/tags/ai/"
    items: tuple[Item, ...]
    formats: tuple[str, ...] = ("rss", "atom")

    def url(self, fmt: str) -> str:
        return self.base + {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}[fmt]

    def __repr__(self) -> str:
        return f"<FeedSpec {self.key}>"


@dataclass(frozen=True, repr=False)
class CalendarSpec:
    """An iCalendar file: the events (or call deadlines) it holds and where it lives."""

    url: str  # site path of the .ics file
    title: str
    kind: str  # "events" or "calls"
    items: tuple[Item, ...]

    def __repr__(self) -> str:
        return f"<CalendarSpec {self.url}>"


@dataclass(frozen=True, repr=False)
class Page:
    """An HTML page to render: a template, a URL and what it shows."""

    url: str
    template: str
    title: str
    origin: str  # what made this page, named in collision errors
    item: Item | None = None
    pager: Pager | None = None
    feed: FeedSpec | None = None
    calendar: CalendarSpec | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<Page {self.url}>"


@dataclass(frozen=True)
class Redirect:
    url: str  # the old URL (an alias)
    target: str  # the item's URL
    origin: str
    line: int  # the `aliases:` line, for errors


@dataclass
class Site:
    """Everything the render stage needs, computed once."""

    items: list[Item]
    pages: list[Page]
    feeds: list[FeedSpec]
    redirects: list[Redirect]
    assets: list[Asset]
    tags: dict[str, Tag]
    stamp: datetime  # newest date in the content: stands in for "now" in the output
    now: datetime  # the build's clock: decides what is published, upcoming, open
    states: dict[str, str] = field(default_factory=dict)  # item URL -> upcoming/past/open/...
    calendars: list[CalendarSpec] = field(default_factory=list)
    # item source -> changes to its body's links (site/links.py), for items that need any
    link_fixes: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
