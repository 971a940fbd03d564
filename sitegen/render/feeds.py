"""RSS 2.0 and Atom (feedgen) and JSON Feed 1.1: absolute URLs, stable ids, no wall clock."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import datetime

from feedgen.feed import FeedGenerator

from sitegen import __version__
from sitegen.content.config import SiteConfig
from sitegen.model import FeedSpec, Item, Tag
from sitegen.render.dates import schedule_line

_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_FRAGMENT_ONLY = re.compile(r'(\s(?:href|src)=")(?=#)')


def absolutize(html: str, config: SiteConfig) -> str:
    """Feed readers have no page URL to resolve against: make every site link absolute. (A
    body's other addresses are written from the site's root already: addresses.py.)"""
    return _ROOT_RELATIVE.sub(lambda m: f"{m.group(1)}{config.origin}/", html)


def on_its_page(html: str, page: str) -> str:
    """A body's links to a place in its own page (footnotes, the table of contents, headings'
    anchors: `#fn1`) as links to that place of the item's page: a feed reader resolves `#fn1`
    against the feed's address, or not at all."""
    if '="#' not in html:
        return html  # most bodies: no regular expression run
    return _FRAGMENT_ONLY.sub(lambda m: m.group(1) + page, html)


Content = Callable[[Item], str]  # an item's body as feeds show it: absolutize()d


def render_feed(spec: FeedSpec, fmt: str, config: SiteConfig, tags_of, stamp: datetime, content: Content) -> bytes:
    if fmt == "json":
        return _json_feed(spec, config, tags_of, content)
    generator = _generator(spec, fmt, config, stamp)
    for item in spec.items:
        _add_entry(generator, item, config, tags_of(item), fmt, on_its_page(content(item), config.absolute(item.url)))
    return generator.rss_str(pretty=True) if fmt == "rss" else generator.atom_str(pretty=True)


def feed_updated(spec: FeedSpec, stamp: datetime) -> datetime:
    """The newest change among the feed's items; an empty feed takes the site's stamp."""
    return max((item.modified for item in spec.items if item.modified), default=stamp)


def _generator(spec: FeedSpec, fmt: str, config: SiteConfig, stamp: datetime) -> FeedGenerator:
    generator = FeedGenerator()
    page = config.absolute(spec.page_url)
    generator.id(page)
    generator.title(_text(spec.title, fmt))
    generator.author({"name": config.title})
    generator.link(href=config.absolute(spec.url(fmt)), rel="self")
    generator.link(href=page, rel="alternate")  # after self: RSS's <link> takes the last one
    generator.language(config.language)
    generator.description(_text(spec.description, fmt))
    generator.generator("sitegen", __version__)
    updated = feed_updated(spec, stamp)
    generator.updated(updated)
    generator.lastBuildDate(updated)  # not the wall clock: rebuilding changes nothing
    return generator


def _text(text: str, fmt: str) -> str:
    """Plain text as a feed element holds it. RSS readers read <title> and <description> as
    HTML (feedparser does), so in RSS the text is escaped as HTML before it is written as XML
    (`<` becomes `&amp;lt;`): a summary that mentions `<a href=...>` shows as those characters,
    never as a live link. Atom's elements say type="text", and JSON Feed's are text."""
    return html.escape(text, quote=False) if fmt == "rss" else text


def _add_entry(
    generator: FeedGenerator, item: Item, config: SiteConfig, tags: list[Tag], fmt: str, content: str
) -> None:
    entry = generator.add_entry(order="append")
    link = config.absolute(item.url)
    # The permalink comes from the file name (or `slug:`), not the title, so editing a
    # title never makes readers see the item twice.
    entry.id(link)
    entry.guid(link, permalink=True)
    entry.title(_text(item.title, fmt))
    entry.link(href=link, rel="alternate")
    when = schedule_line(item)  # events and calls say when (and where) in every feed
    entry.summary(_text(f"{when}. {item.summary}" if when else item.summary, fmt))
    if when:
        content = f"<p><strong>{html.escape(when)}</strong></p>\n{content}"
    # RSS readers expect content:encoded as CDATA; Atom wants escaped type="html".
    entry.content(content, type="CDATA" if fmt == "rss" else "html")
    if item.date:
        entry.published(item.date)
    if item.modified:
        entry.updated(item.modified)
    if tags:  # in one call: feedgen checks and copies every category it holds on each call
        entry.category([{"term": tag.name, "label": tag.name} for tag in tags])


def _json_feed(spec: FeedSpec, config: SiteConfig, tags_of, content: Content) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": config.absolute(spec.page_url),
        "feed_url": config.absolute(spec.url("json")),
        "description": spec.description,
        "language": config.language,
        "authors": [{"name": config.title}],
        "items": [_json_item(item, config, tags_of(item), content(item)) for item in spec.items],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: Item, config: SiteConfig, tags: list[Tag], content: str) -> dict:
    entry: dict = {
        "id": config.absolute(item.url),
        "url": config.absolute(item.url),
        "title": item.title,
        "content_html": on_its_page(content, config.absolute(item.url)),
        "summary": item.summary,
    }
    if item.image:
        entry["image"] = config.absolute(item.image.src) if item.image.src.startswith("/") else item.image.src
    if item.date:
        entry["date_published"] = item.date.isoformat()
    if item.modified:
        entry["date_modified"] = item.modified.isoformat()
    if tags:
        entry["tags"] = [tag.name for tag in tags]
    if item.lang:
        entry["language"] = item.lang
    return entry
