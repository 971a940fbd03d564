"""Stage 3: items -> Site. Drafts and scheduled posts, tags, programmes, listings,
feeds, redirects, and the check that no two things write the same file."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime

from .config import SiteConfig
from .errors import ErrorLog
from .model import DATED_TYPES, Asset, FeedSpec, Item, Page, Pager, Redirect, Site, Tag
from .urls import archive_url, make_slug, output_path, page_urls, section_url, tag_url

TYPE_LABELS = {"news": "News", "event": "Events", "call": "Calls", "programme": "Programmes"}


def assemble(
    items: list[Item],
    assets: list[Asset],
    config: SiteConfig,
    now: datetime,
    include_drafts: bool,
    include_future: bool,
    log: ErrorLog,
) -> Site:
    _check_programmes(items, log)
    published = sorted(
        (i for i in items if (include_drafts or not i.draft) and (include_future or not i.date or i.date <= now)),
        key=lambda i: i.sort_key,
    )
    tags = collect_tags(published, config, log)
    dated = [i for i in published if i.type in DATED_TYPES]
    stamp = max((i.modified for i in dated if i.modified), default=now)
    site = Site(items=published, pages=[], feeds=[], redirects=[], assets=assets, tags=tags, stamp=stamp)
    _add_home_and_sections(site, dated, config)
    _add_items(site, config)
    _add_tags(site, config)
    _add_archive(site, dated, config)
    site.pages.append(Page("/404.html", "404.html", "Page not found", "the 404 page"))
    site.redirects = [
        Redirect(alias, item.url, item.source, item.lines.get("aliases", 1))
        for item in published
        for alias in item.aliases
    ]
    check_collisions(site, log)
    return site


def _check_programmes(items: list[Item], log: ErrorLog) -> None:
    known = {item.slug for item in items if item.type == "programme"}
    for item in items:
        if item.programme and item.programme not in known:
            log.error(
                item.source,
                item.lines.get("programme", 1),
                1,
                f"the programme `{item.programme}` does not exist",
                "use the slug of a page in content/programmes/: " + (", ".join(sorted(known)) or "none yet"),
            )


def collect_tags(items: list[Item], config: SiteConfig, log: ErrorLog) -> dict[str, Tag]:
    """Tags are one tag when their slugs match ("AI", "ai"); the display form is the
    vocabulary's (site.yaml), else the form editors used most."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        for name in item.tag_names:
            slug = make_slug(name)
            if not slug:
                log.error(
                    item.source,
                    item.lines.get("tags", 1),
                    1,
                    f"the tag `{name}` has no letters or digits",
                    "use a word, e.g. tags: [AI, Policy]",
                )
            else:
                forms[slug][name] += 1
    vocabulary = {make_slug(name): name for name in config.tags}
    return {
        slug: Tag(slug, vocabulary.get(slug) or min(counts, key=lambda n: (-counts[n], n)))
        for slug, counts in sorted(forms.items())
    }


def item_tags(item: Item, tags: dict[str, Tag]) -> list[Tag]:
    seen = dict.fromkeys(make_slug(name) for name in item.tag_names)
    return [tags[slug] for slug in seen if slug in tags]


def paginate(items: list[Item], first_url: str, per_page: int) -> list[Pager]:
    count = max(1, math.ceil(len(items) / per_page))
    urls = page_urls(first_url, count)
    return [Pager(n, count, tuple(items[(n - 1) * per_page : n * per_page]), urls) for n in range(1, count + 1)]


def _listing(
    site: Site,
    items: list[Item],
    url: str,
    title: str,
    origin: str,
    config: SiteConfig,
    template: str = "list.html",
    feed: FeedSpec | None = None,
    **extra: object,
) -> None:
    for pager in paginate(items, url, config.per_page):
        page_title = title if pager.number == 1 else f"{title} (page {pager.number} of {pager.count})"
        site.pages.append(Page(pager.url, template, page_title, origin, pager=pager, feed=feed, extra=extra))


def _feed(
    site: Site,
    key: str,
    title: str,
    page_url: str,
    items: list[Item],
    config: SiteConfig,
    formats: tuple[str, ...] = ("rss", "atom"),
) -> FeedSpec:
    spec = FeedSpec(
        key, title, config.description or title, page_url, page_url, tuple(items[: config.feed_items]), formats
    )
    site.feeds.append(spec)
    return spec


def _add_home_and_sections(site: Site, dated: list[Item], config: SiteConfig) -> None:
    home_feed = _feed(site, "site", config.title, "/", dated, config, ("rss", "atom", "json"))
    _listing(site, dated, "/", config.title, "the home page", config, "home.html", home_feed)
    for item_type, label in TYPE_LABELS.items():
        of_type = [i for i in site.items if i.type == item_type]
        url = section_url(item_type)
        feed = (
            None
            if item_type == "programme"
            else _feed(site, f"type:{item_type}", f"{label} – {config.title}", url, of_type, config)
        )
        _listing(site, of_type, url, label, f"the {label.lower()} listing", config, feed=feed, section=item_type)


def _add_items(site: Site, config: SiteConfig) -> None:
    for item in site.items:
        if item.type != "programme":
            site.pages.append(Page(item.url, "item.html", item.title, item.source, item=item))
            continue
        members = [i for i in site.items if i.programme == item.slug and i.type != "programme"]
        feed = _feed(site, f"programme:{item.slug}", f"{item.title} – {config.title}", item.url, members, config)
        for pager in paginate(members, item.url, config.per_page):
            site.pages.append(
                Page(pager.url, "programme.html", item.title, item.source, item=item, pager=pager, feed=feed)
            )


def _add_tags(site: Site, config: SiteConfig) -> None:
    counted = {slug: [i for i in site.items if slug in {make_slug(n) for n in i.tag_names}] for slug in site.tags}
    site.pages.append(
        Page(
            "/tags/",
            "tags.html",
            "Tags",
            "the tags index",
            extra={"tag_counts": [(site.tags[s], len(counted[s])) for s in site.tags]},
        )
    )
    for slug, tag in site.tags.items():
        url = tag_url(slug)
        feed = _feed(site, f"tag:{slug}", f"{tag.name} – {config.title}", url, counted[slug], config)
        _listing(site, counted[slug], url, f"Tagged “{tag.name}”", f"the tag `{tag.name}`", config, feed=feed, tag=tag)


def _add_archive(site: Site, dated: list[Item], config: SiteConfig) -> None:
    years: dict[int, list[Item]] = defaultdict(list)
    for item in dated:
        if item.date:
            years[item.date.year].append(item)
    year_counts = sorted(((year, len(entries)) for year, entries in years.items()), reverse=True)
    site.pages.append(Page(archive_url(), "archive.html", "Archive", "the archive", extra={"years": year_counts}))
    for year, entries in sorted(years.items(), reverse=True):
        _listing(site, entries, archive_url(year), f"Archive {year}", f"the {year} archive", config, year=year)


def check_collisions(site: Site, log: ErrorLog) -> None:
    """Two things that would write the same file are an error naming both, reported in
    the editor's file (the later one when both are files)."""
    writers: dict[str, tuple[str, int]] = {}

    def claim(url: str, origin: str, line: int = 1) -> None:
        path = output_path(url)
        first = writers.setdefault(path, (origin, line))
        if first[0] == origin:
            return
        where = (origin, line) if origin.startswith("content/") else first
        log.error(
            where[0],
            where[1],
            1,
            f"{first[0]} and {origin} would both write /{path}",
            "give one of them another `slug:` (or change the alias)",
        )

    for asset in site.assets:
        claim("/" + asset.content_path, f"content/{asset.content_path}")
    for page in site.pages:
        line = page.item.lines.get("slug", 1) if page.item and page.item.source == page.origin else 1
        claim(page.url, page.origin, line)
    for feed in site.feeds:
        for fmt in feed.formats:
            claim(feed.url(fmt), f"the feed of {feed.page_url}")
    for redirect in site.redirects:
        claim(redirect.url, redirect.origin, redirect.line)
