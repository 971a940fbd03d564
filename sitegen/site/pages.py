"""The pages, feeds and calendars of a site: home, sections, programmes, tags, archive.
Pure functions of the published items and the clock's states."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable

from sitegen.content.config import SiteConfig
from sitegen.model import DATED_TYPES, CalendarSpec, FeedSpec, Item, Page, Pager, Site, Tag
from sitegen.urls import archive_url, page_urls, tag_url

TYPE_LABELS = {"news": "News", "event": "Events", "call": "Calls", "programme": "Programmes"}
ITEM_LABELS = {"news": "News", "event": "Event", "call": "Call", "programme": "Programme", "page": "Page"}
HOME_EVENTS = 3
PROGRAMME_NEWS = 5
OPEN = ("open", "closing-soon")
CURRENT = ("upcoming", "ongoing")


def paginate(items: list[Item], first_url: str, per_page: int) -> list[Pager]:
    count = max(1, math.ceil(len(items) / per_page))
    urls = page_urls(first_url, count)
    return [Pager(n, count, tuple(items[(n - 1) * per_page : n * per_page]), urls) for n in range(1, count + 1)]


class SiteBuilder:
    """Adds the site's pages, feeds and calendars, in a fixed order (the order decides
    nothing but which of two colliding pages an error names first)."""

    def __init__(self, site: Site, config: SiteConfig):
        self.site, self.config = site, config
        self._by_type: dict[str, list[Item]] | None = None

    def state(self, item: Item) -> str:
        return self.site.states.get(item.url, "")

    def listing(
        self, items: list[Item], url: str, title: str, origin: str, template: str = "list.html", **extra: object
    ) -> None:
        feed, calendar = extra.pop("feed", None), extra.pop("calendar", None)
        for pager in paginate(items, url, self.config.per_page):
            page_title = title if pager.number == 1 else f"{title} (page {pager.number} of {pager.count})"
            self.site.pages.append(
                Page(pager.url, template, page_title, origin, pager=pager, feed=feed, calendar=calendar, extra=extra)
            )

    def feed(
        self, key: str, title: str, page_url: str, items: list[Item], formats: tuple[str, ...] = ("rss", "atom")
    ) -> FeedSpec:
        """`items` in the site's order, newest first (each caller filters site.items), so the
        feed's entries are the first few of them: no pass over a tag's thousands of items."""
        # Pages and programme descriptions have no date: a feed entry needs one, and they are not news.
        newest_first = list(itertools.islice((i for i in items if i.date), self.config.feed_items))
        spec = FeedSpec(key, title, self.config.description or title, page_url, page_url, tuple(newest_first), formats)
        self.site.feeds.append(spec)
        return spec

    def calendar(self, url: str, title: str, kind: str, items: list[Item]) -> CalendarSpec | None:
        entries = [i for i in items if (i.event if kind == "events" else i.call and i.call.deadline)]
        if not entries:
            return None
        spec = CalendarSpec(url, title, kind, tuple(sorted(entries, key=_when_key)))
        self.site.calendars.append(spec)
        return spec

    def of_type(self, item_type: str, items: list[Item] | None = None) -> list[Item]:
        if items is None or items is self.site.items:  # asked for again and again: grouped once
            if self._by_type is None:
                self._by_type = {}
                for item in self.site.items:
                    self._by_type.setdefault(item.type, []).append(item)
            return list(self._by_type.get(item_type, ()))
        return [i for i in items if i.type == item_type]

    def upcoming_events(self, items: list[Item]) -> list[Item]:
        return sorted((i for i in self.of_type("event", items) if self.state(i) in CURRENT), key=_when_key)

    def open_calls(self, items: list[Item]) -> list[Item]:
        """Open calls by nearest deadline (rolling calls last), then calls not yet open."""
        calls = self.of_type("call", items)
        open_now = sorted((c for c in calls if self.state(c) in OPEN), key=_deadline_key)
        soon = sorted((c for c in calls if self.state(c) == "upcoming"), key=lambda c: (c.call.opens, c.url))
        return open_now + soon

    def add_item_pages(self) -> None:
        for item in self.site.items:
            if item.type == "programme":
                continue  # programme pages list their items: add_programmes
            calendar = self.calendar(item.url + "event.ics", item.title, "events", [item]) if item.event else None
            self.site.pages.append(Page(item.url, "item.html", item.title, item.source, item=item, calendar=calendar))

    def add_home(self) -> None:
        """After add_sections: the home page links the site's events calendar."""
        config, items = self.config, self.site.items
        dated = [i for i in items if i.type in DATED_TYPES]
        feed = self.feed("site", config.title, "/", dated, ("rss", "atom", "json"))
        calendar = next((c for c in self.site.calendars if c.url == "/events/calendar.ics"), None)
        news = self.of_type("news")[: config.per_page]
        self.site.pages.append(
            Page(
                "/",
                "home.html",
                config.title,
                "the home page",
                feed=feed,
                calendar=calendar,
                extra={
                    "news": news,
                    "events": self.upcoming_events(items)[:HOME_EVENTS],
                    "calls": [c for c in self.open_calls(items) if self.state(c) in OPEN],
                },
            )
        )

    def add_sections(self) -> None:
        title = self.config.title
        news = self.of_type("news")
        self.listing(
            news, "/news/", "News", "the news listing", feed=self.feed("type:news", f"News – {title}", "/news/", news)
        )
        self.add_events(self.site.items, "/events/", "Events", "the events listing")
        self.add_calls(self.site.items, "/calls/", "Calls", "the calls listing")
        self.listing(self.of_type("programme"), "/programmes/", "Programmes", "the programmes listing")

    def add_events(
        self,
        items: list[Item],
        url: str,
        title: str,
        origin: str,
        calendar: CalendarSpec | None = None,
        feed: FeedSpec | None = None,
    ) -> None:
        events = self.of_type("event", items)
        feed = feed or self.feed("type:event", f"Events – {self.config.title}", url, events)
        calendar = calendar or self.calendar(url + "calendar.ics", f"Events – {self.config.title}", "events", events)
        past = sorted((e for e in events if self.state(e) == "past"), key=_when_key, reverse=True)
        current = self.upcoming_events(items)
        self.current_and_archive(
            current, past, url, "past/", (title, f"Past {title.lower()}"), origin, "events.html", feed, calendar
        )

    def add_calls(self, items: list[Item], url: str, title: str, origin: str, feed: FeedSpec | None = None) -> None:
        calls = self.of_type("call", items)
        feed = feed or self.feed("type:call", f"Calls – {self.config.title}", url, calls)
        calendar = self.calendar(url + "calendar.ics", f"Call deadlines – {self.config.title}", "calls", calls)
        closed = sorted((c for c in calls if self.state(c) == "closed"), key=_deadline_key, reverse=True)
        self.current_and_archive(
            self.open_calls(items),
            closed,
            url,
            "closed/",
            (title, f"Closed {title.lower()}"),
            origin,
            "calls.html",
            feed,
            calendar,
        )

    def current_and_archive(
        self,
        current: list[Item],
        archive: list[Item],
        url: str,
        archive_folder: str,
        titles: tuple[str, str],
        origin: str,
        template: str,
        feed: FeedSpec | None,
        calendar: CalendarSpec | None,
    ) -> None:
        """A listing of what is still ahead and its archive of what is over, linked both ways."""
        archive_url = url + archive_folder
        self.listing(
            current,
            url,
            titles[0],
            origin,
            template,
            feed=feed,
            calendar=calendar,
            archive_url=archive_url,
            archive_count=len(archive),
        )
        self.listing(
            archive,
            archive_url,
            titles[1],
            f"{origin} ({archive_folder.strip('/')})",
            template,
            feed=feed,
            calendar=calendar,
            archive=True,
            current_url=url,
            current_title=titles[0],
        )

    def add_programmes(self) -> None:
        by_programme: dict[str, list[Item]] = {}
        for item in self.site.items:
            if item.programme and item.type != "programme":
                by_programme.setdefault(item.programme, []).append(item)
        for programme in self.of_type("programme"):
            members = by_programme.get(programme.slug, [])
            name, url = programme.title, programme.url
            feed = self.feed(f"programme:{programme.slug}", f"{name} – {self.config.title}", url, members)
            calendar = self.calendar(url + "calendar.ics", f"{name} events – {self.config.title}", "events", members)
            news = self.of_type("news", members)
            self.site.pages.append(
                Page(
                    url,
                    "programme.html",
                    name,
                    programme.source,
                    item=programme,
                    feed=feed,
                    calendar=calendar,
                    extra={
                        "news": news[:PROGRAMME_NEWS],
                        "news_count": len(news),
                        "events": self.upcoming_events(members),
                        "calls": [c for c in self.open_calls(members) if self.state(c) in OPEN],
                    },
                )
            )
            self.listing(
                news, url + "news/", f"{name}: news", f"{programme.source} (news)", feed=feed, programme=programme
            )
            self.add_events(members, url + "events/", f"{name} events", f"{programme.source} (events)", calendar, feed)
            self.add_calls(members, url + "calls/", f"{name} calls", f"{programme.source} (calls)", feed)

    def add_tags(self, tagged: Callable[[Tag], list[Item]]) -> None:
        counts = [(tag, len(tagged(tag))) for tag in self.site.tags.values()]
        self.site.pages.append(Page("/tags/", "tags.html", "Tags", "the tags index", extra={"tag_counts": counts}))
        for tag in self.site.tags.values():
            url, items = tag_url(tag.slug), tagged(tag)
            feed = self.feed(f"tag:{tag.slug}", f"{tag.name} – {self.config.title}", url, items)
            calendar = self.calendar(url + "calendar.ics", f"{tag.name} events – {self.config.title}", "events", items)
            self.listing(
                items, url, f"Tagged “{tag.name}”", f"the tag `{tag.name}`", feed=feed, calendar=calendar, tag=tag
            )

    def add_archive(self) -> None:
        years: dict[int, list[Item]] = defaultdict(list)
        for item in self.site.items:
            if item.type in DATED_TYPES and item.date:
                years[item.date.year].append(item)
        counts = sorted(((year, len(entries)) for year, entries in years.items()), reverse=True)
        self.site.pages.append(Page(archive_url(), "archive.html", "Archive", "the archive", extra={"years": counts}))
        for year, entries in sorted(years.items(), reverse=True):
            self.listing(entries, archive_url(year), f"Archive {year}", f"the {year} archive", year=year)


def _when_key(item: Item) -> tuple:
    moment = item.event.starts if item.event else (item.call.deadline if item.call else None)
    return (moment.timestamp() if moment else 0.0, item.url)


def _deadline_key(item: Item) -> tuple:
    deadline = item.call.deadline if item.call else None
    return (deadline is None, deadline.timestamp() if deadline else 0.0, item.url)
