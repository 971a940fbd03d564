"""The Jinja environment templates are rendered in: a site's templates/ before the theme's,
the filters, and the names every page is given."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import jinja2

from sitegen import THEME_DIR
from sitegen.content.config import SiteConfig
from sitegen.model import Item, Page, Site
from sitegen.render import dates
from sitegen.render.cards import Cards
from sitegen.render.partials import CALL as PARTIAL_CALL
from sitegen.render.partials import Partials
from sitegen.render.structured import json_ld
from sitegen.render.tracking import TrackingEnvironment, note, note_all
from sitegen.site.assemble import TYPE_LABELS, item_tags
from sitegen.site.pages import ITEM_LABELS
from sitegen.site.timeline import closing_soon_from, event_end, preview_state
from sitegen.urls import section_url


def template_folders(site_dir: Path) -> list[Path]:
    """Where templates are looked up, first match wins: a site overrides the theme by name."""
    return [site_dir / "templates", THEME_DIR / "templates"]


def make_environment(site_dir: Path, config: SiteConfig) -> jinja2.Environment:
    env = TrackingEnvironment(
        loader=jinja2.FileSystemLoader(template_folders(site_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while an environment lives (the pipeline makes a new one when
        # a template file changes): without this, every include would stat its file.
        auto_reload=False,
    )
    env.extend(sitegen_reads_only={})  # partials.reads_only()'s answers, while these templates hold
    # config.url() and config.absolute() parse base_url on each call; a page calls them ~30 times.
    base, origin = config.base_path, config.origin + config.base_path
    env.filters.update(
        url=lambda path: base + path,
        absolute=lambda path: origin + path,
        asset_url=lambda src: base + src if src.startswith("/") else src,
        webcal=lambda path: "webcal:" + (origin + path).split(":", 1)[1],
        date=dates.day,
        long_date=dates.long_day,
        isodate=datetime.isoformat,
        event_when=dates.event_when,
        duration=dates.duration,
        deadline_when=dates.deadline_when,
        event_end=event_end,
        closing_soon_from=lambda call: closing_soon_from(call, config.closing_soon_days),
    )
    return env


def build_context(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    cards: Cards | None = None,
    partials: Partials | None = None,
) -> dict[str, object]:
    """The names every template is rendered with, the same for the whole build. Each function
    that takes an item notes it (tracking.py): what it returns depends on the item. `cards`
    and `partials` keep what was rendered once for the whole build (tests look inside)."""

    def tags_of(item: Item) -> list:
        tags = item_tags(item, site.tags)
        note(("item", item.source))
        note_all(("tag", tag.slug) for tag in tags)
        return tags

    def state_of(item: Item) -> str:
        note(("item", item.source))
        return site.states.get(item.url, "")

    def preview_of(item: Item) -> str:  # "draft", "scheduled" or ""
        note(("item", item.source))
        return preview_state(item, site.now)

    def body_of(item: Item) -> str:
        note(("item", item.source))
        return shown_body(item, site.link_fixes.get(item.source, ()), config.base_path)

    def item_json_ld(item: Item) -> str:
        note(("item", item.source))
        return json_ld(item, config)

    common: dict[str, object] = {
        "site": config,
        "tags_of": tags_of,
        "type_labels": TYPE_LABELS,
        "item_labels": ITEM_LABELS,
        "section_url": section_url,
        "site_feed": next(f for f in site.feeds if f.key == "site"),
        "state_of": state_of,
        "preview_of": preview_of,
        "json_ld": item_json_ld,
        "body_of": body_of,
    }
    if isinstance(env, TrackingEnvironment):
        env.body_of = body_of
    common["card"] = (cards or Cards()).renderer(env, common)  # None: card-list.html includes each card
    common[PARTIAL_CALL] = (partials or Partials()).renderer(env, common)
    return common


def shown_body(item: Item, fixes: tuple[tuple[str, str | None], ...], base: str) -> str:
    """The body with each link in `fixes` sent to its item's address, or shown as its text."""
    html = item.body_html
    for written, url in fixes:
        href = re.escape(f'href="{base}{written}')
        if url is None:
            html = re.sub(rf'<a\b[^>]*\s{href}[#"][^>]*>(.*?)</a>', r"\1", html, flags=re.S)
        else:
            html = re.sub(rf'(?<=\s){href}(?=[#"])', f'href="{base}{url}', html)
    return html


DEFAULT_MENU = (
    ("Home", "/"),
    ("News", "/news/"),
    ("Events", "/events/"),
    ("Calls", "/calls/"),
    ("Programmes", "/programmes/"),
    ("Tags", "/tags/"),
    ("About", "/about/"),
)


def menu_entries(config: SiteConfig, site: Site) -> tuple[tuple[str, str], ...]:
    """The site's menu, or the theme's without the pages this site does not have (an /about/
    page is the editor's to write): a menu never links to a missing page."""
    if config.menu:
        return config.menu
    pages = {page.url for page in site.pages}
    return tuple((label, url) for label, url in DEFAULT_MENU if url in pages)


def menu(entries: tuple[tuple[str, str], ...], page: Page) -> tuple[tuple[str, str, str | None], ...]:
    """(label, site path, aria-current value) for the main navigation."""
    return tuple((label, url, _current(page, url)) for label, url in entries)


def footer_links(page: Page) -> tuple[tuple[str, str, str | None], ...]:
    """(label, site path, aria-current value) for the footer's links to the archive and the tags."""
    return tuple((label, url, _current(page, url)) for label, url in (("Archive", "/archive/"), ("All tags", "/tags/")))


def _current(page: Page, url: str) -> str | None:
    """aria-current for a link to `url` on `page`: "page" there, "true" on a page below it."""
    return "page" if page.url == url else ("true" if url != "/" and page.url.startswith(url) else None)
