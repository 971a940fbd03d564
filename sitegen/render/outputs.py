"""Stage 4: the Jinja environment and its filters; Site -> Outputs (path -> bytes or file)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import jinja2

from sitegen.content.config import SiteConfig
from sitegen.errors import BuildFailed, SourceError
from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Site
from sitegen.render import dates
from sitegen.render.cards import Cards
from sitegen.render.partials import CALL as PARTIAL_CALL
from sitegen.render.partials import Partials
from sitegen.render.structured import json_ld
from sitegen.site.assemble import TYPE_LABELS, item_tags
from sitegen.site.pages import ITEM_LABELS
from sitegen.site.timeline import closing_soon_from, event_end, preview_state
from sitegen.urls import output_path, section_url

if TYPE_CHECKING:
    from sitegen.cache import RenderCache

THEME_DIR = Path(__file__).parent.parent / "theme"
Outputs = dict[str, bytes | Path]
T = TypeVar("T")


def make_environment(site_dir: Path, config: SiteConfig) -> jinja2.Environment:
    """A site's templates/ folder overrides the theme's templates by name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([site_dir / "templates", THEME_DIR / "templates"]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while an environment lives (serve makes a new one when a
        # template file changes): without this, every include would stat its file, ~170,000
        # times in a build of 10,000 posts.
        auto_reload=False,
    )
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
    env.globals["json_ld"] = lambda item: json_ld(item, config)
    return env


def render_site(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    site_dir: Path,
    cache: RenderCache | None = None,
    cards: Cards | None = None,
    partials: Partials | None = None,
) -> Outputs:
    """With a cache (sitegen serve), outputs whose inputs did not change since the last build
    are taken from it instead of being rendered again (see fingerprint.py). `cards` and
    `partials` keep the cards and cached partials rendered so far in this build (several calls
    render one site in parallel.py)."""
    outputs: Outputs = {}
    run = cache.start(site, env) if cache else None
    remember = run.get if run else _no_cache
    keys = run.keys if run else None
    # A share of a parallel build goes straight to its own outputs (the others' are not named).
    select: Callable[[Sequence[T]], Iterable[T]] = getattr(run, "select", _every)
    common = build_context(site, config, env, cards or Cards(), partials or Partials())
    errors: list[SourceError] = []
    templates = _Templates(env)
    for page in select(site.pages):
        path, names = output_path(page.url), _template_names(page)
        outputs[path] = remember(
            path,
            page,
            lambda page=page, names=names: keys.page(page, names),
            lambda page=page, names=names: _render(
                templates,
                names,
                errors,
                page=page,
                menu=menu(config, page),
                footer_links=footer_links(page),
                **common,
            ),
        )
    for redirect in select(site.redirects):
        path = output_path(redirect.url)
        outputs[path] = remember(
            path,
            redirect,
            lambda redirect=redirect: keys.redirect(redirect),
            lambda redirect=redirect: _render(templates, ("redirect.html",), errors, target=redirect.target, **common),
        )
    if errors:
        raise BuildFailed(sorted(set(errors)))  # one broken template breaks many pages: say it once
    for feed, fmt in select([(spec, fmt) for spec in site.feeds for fmt in spec.formats]):
        path = output_path(feed.url(fmt))
        outputs[path] = remember(
            path,
            feed,
            lambda feed=feed, fmt=fmt: keys.feed(feed, fmt),
            lambda feed=feed, fmt=fmt: _feed(feed, fmt, config, common["tags_of"], site.stamp),
        )
    for calendar in select(site.calendars):
        path = output_path(calendar.url)
        outputs[path] = remember(
            path,
            calendar,
            lambda calendar=calendar: keys.calendar(calendar),
            lambda calendar=calendar: _calendar(calendar, config),
        )
    for path in select(("sitemap.xml",)):
        outputs[path] = remember(path, None, lambda: keys.sitemap(), lambda: sitemap(site, config))
    outputs["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('/sitemap.xml')}\n".encode()
    outputs.update(static_files(site_dir))
    outputs.update({asset.content_path: asset.source for asset in site.assets})
    if cache and run:
        cache.commit(run)
    return outputs


def build_context(
    site: Site, config: SiteConfig, env: jinja2.Environment, cards: Cards, partials: Partials
) -> dict[str, object]:
    """The names every template is rendered with, the same for the whole build."""
    common = {
        "site": config,
        "tags_of": lambda item: item_tags(item, site.tags),
        "type_labels": TYPE_LABELS,
        "item_labels": ITEM_LABELS,
        "section_url": section_url,
        "site_feed": next(f for f in site.feeds if f.key == "site"),
        "state_of": lambda item: site.states.get(item.url, ""),
        "preview_of": lambda item: preview_state(item, site.now),  # "draft", "scheduled" or ""
    }
    common["card"] = cards.renderer(env, common)  # None: card-list.html includes each card
    common[PARTIAL_CALL] = partials.renderer(env, common)
    return common


# feedgen (with lxml) and icalendar take ~60 ms to import: a build after an edit often writes
# no feed and no calendar, so they are imported when the first one is written.
def _feed(feed: FeedSpec, fmt: str, config: SiteConfig, tags_of: Callable, stamp: datetime) -> bytes:
    from sitegen.render.feeds import render_feed

    return render_feed(feed, fmt, config, tags_of, stamp)


def _calendar(calendar: CalendarSpec, config: SiteConfig) -> bytes:
    from sitegen.render.ical import render_calendar

    return render_calendar(calendar, config)


def _no_cache(path: str, subject: object, key: object, make: Callable[[], bytes]) -> bytes:
    return make()


def _every(entries: Sequence[T]) -> Sequence[T]:
    return entries


def _template_names(page: Page) -> tuple[str, ...]:
    """An item page looks for `item-<type>.html` first, so a site can restyle one type."""
    if page.template == "item.html" and page.item:
        return (f"item-{page.item.type}.html", "item.html")
    return (page.template,)


class _Templates:
    """The template chosen for each list of names, looked up once per build: Jinja remembers
    templates it found, not the ones it did not (item-news.html, on every item page)."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.chosen: dict[tuple[str, ...], jinja2.Template] = {}

    def select(self, names: tuple[str, ...]) -> jinja2.Template:
        found = self.chosen.get(names)
        if found is None:
            found = self.chosen[names] = self.env.select_template(list(names))
        return found


def _render(templates: _Templates, names: tuple[str, ...], errors: list[SourceError], **context: object) -> bytes:
    try:
        return templates.select(names).render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or names[0]
        errors.append(SourceError(where, exc.lineno, 1, f"template syntax: {exc.message}"))
    except jinja2.TemplateError as exc:
        errors.append(
            SourceError(
                *_template_position(exc, names[-1]),
                f"template error: {exc}",
                "check the variable or filter named in the message",
            )
        )
    return b""


def _template_position(exc: BaseException, fallback: str) -> tuple[str, int, int]:
    """Jinja rewrites tracebacks so frames name the template file and its line."""
    found = (fallback, 1, 1)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (filename, tb.tb_lineno, 1)
        tb = tb.tb_next
    return found


def menu(config: SiteConfig, page: Page) -> tuple[tuple[str, str, str | None], ...]:
    """(label, site path, aria-current value) for the main navigation."""
    entries = config.menu or (
        ("Home", "/"),
        ("News", "/news/"),
        ("Events", "/events/"),
        ("Calls", "/calls/"),
        ("Programmes", "/programmes/"),
        ("Tags", "/tags/"),
        ("About", "/about/"),
    )
    return tuple((label, url, _current(page, url)) for label, url in entries)


def footer_links(page: Page) -> tuple[tuple[str, str, str | None], ...]:
    """(label, site path, aria-current value) for the footer's links to the archive and the tags."""
    return tuple((label, url, _current(page, url)) for label, url in (("Archive", "/archive/"), ("All tags", "/tags/")))


def _current(page: Page, url: str) -> str | None:
    """aria-current for a link to `url` on `page`: "page" there, "true" on a page below it."""
    return "page" if page.url == url else ("true" if url != "/" and page.url.startswith(url) else None)


def sitemap(site: Site, config: SiteConfig) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in site.pages:
        if page.url.endswith("/"):
            loc = html_escape(config.absolute(page.url), quote=False)  # as xml.sax.saxutils.escape, without its imports
            lines.append(f"  <url><loc>{loc}</loc>{_lastmod(page.item)}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _lastmod(item: Item | None) -> str:
    return f"<lastmod>{item.modified.isoformat()}</lastmod>" if item and item.modified else ""


def static_files(site_dir: Path) -> dict[str, Path]:
    """The theme's static/ files, then the site's static/ (which wins by name)."""
    files: dict[str, Path] = {}
    for root in (THEME_DIR / "static", site_dir / "static"):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["static/" + path.relative_to(root).as_posix()] = path
    return files
