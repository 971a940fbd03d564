"""Stage 4: Site -> outputs. `plan()` names every file the site is made of; `Renderer.render()`
makes one of them (bytes, or a file to copy) and says what the rendering read (tracking.py)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2

from sitegen.content.config import SiteConfig
from sitegen.errors import BuildFailed, SourceError
from sitegen.model import CalendarSpec, FeedSpec, Item, Page, Redirect, Site
from sitegen.render.environment import build_context, footer_links, menu, menu_entries
from sitegen.render.tracking import Key, note, note_items, recording
from sitegen.urls import ROBOTS_URL, SITEMAP_URL, output_path

Made = bytes | Path  # rendered bytes, or a file copied as it is


@dataclass(frozen=True)
class Output:
    """One file of the built site and what makes it."""

    path: str  # relative to output/
    kind: str  # page, redirect, feed, calendar, sitemap, robots, copy
    subject: object = None  # Page, Redirect, (FeedSpec, format), CalendarSpec, or the file to copy


def plan(site: Site) -> list[Output]:
    """Every output of the site, in a fixed order: the pages that list others first (they show
    cards: pipeline/rendering.py gives them to one process), then the feeds, calendars and
    sitemap (a few ms each), then the items' pages (a tenth of that each): the shrinking runs
    that end the render stage are then of cheap outputs, and the processes finish together. With
    the feeds last, one process rendered them alone at the end (10,000 posts: 0.66 s of CPU)."""
    listings = [page for page in site.pages if is_listing(page)]
    outputs = [Output(output_path(page.url), "page", page) for page in listings]
    outputs += [Output(output_path(f.url(fmt)), "feed", (f, fmt)) for f in site.feeds for fmt in f.formats]
    outputs += [Output(output_path(c.url), "calendar", c) for c in site.calendars]
    outputs += [Output(output_path(SITEMAP_URL), "sitemap")]
    outputs += [Output(output_path(page.url), "page", page) for page in site.pages if not is_listing(page)]
    outputs += [Output(output_path(r.url), "redirect", r) for r in site.redirects]
    outputs += [Output(output_path(ROBOTS_URL), "robots")]
    outputs += [Output(asset.content_path, "copy", asset.source) for asset in site.assets]
    return outputs


def is_listing(page: Page) -> bool:
    """A page that lists others (a section, a tag, the archive, home) rather than shows an item."""
    return page.item is None


def render_all(site: Site, config: SiteConfig, env: jinja2.Environment, site_dir: Path, **once: Any) -> dict[str, Made]:
    """Every output in memory (sitegen check, tests); BuildFailed with every template mistake.
    `once`: the Cards and Partials to render with (tests look inside them)."""
    renderer = Renderer(site, config, env, **once)
    made = {output.path: renderer.render(output)[0] for output in plan(site)}
    if renderer.errors:
        raise BuildFailed(sorted(renderer.errors))
    return made


class Renderer:
    """Renders outputs of one site; template mistakes are collected in `errors` (one broken
    template breaks many pages: each mistake is reported once)."""

    def __init__(self, site: Site, config: SiteConfig, env: jinja2.Environment, **once: Any):
        self.site, self.config, self.env = site, config, env
        self.common = build_context(site, config, env, **once)
        self.menu_entries = menu_entries(config, site)
        self.errors: set[SourceError] = set()
        self._chosen: dict[tuple[str, ...], jinja2.Template] = {}
        self._calendar_entries: dict = {}  # ical.Entries: each event's lines, made once
        self._feed_bodies: dict[str, str] = {}  # item source -> its body in feeds

    def render(self, output: Output) -> tuple[Made, frozenset[Key]]:
        with recording() as reads:
            made = getattr(self, "_" + output.kind)(output.subject)
        return made, frozenset(reads)

    def _page(self, page: Page) -> bytes:
        note(("page", page.url))
        note(("menu", ""))  # the theme's menu shows the pages that exist
        context = {"page": page, "menu": menu(self.menu_entries, page), "footer_links": footer_links(page)}
        return self._template(_template_names(page), context)

    def _redirect(self, redirect: Redirect) -> bytes:
        note(("redirect", redirect.url))
        return self._template(("redirect.html",), {"target": redirect.target})

    def _feed(self, subject: tuple[FeedSpec, str]) -> bytes:
        from sitegen.render.feeds import render_feed  # feedgen and lxml: ~60 ms, only when a feed is made

        feed, fmt = subject
        note_items(feed.items)
        note(("feed", feed.key))
        note(("feed-items", feed.key))
        note(("stamp", ""))
        return render_feed(feed, fmt, self.config, self.common["tags_of"], self.site.stamp, self._feed_body)

    def _feed_body(self, item: Item) -> str:
        """An item's body as the site shows it (links to unpublished items as text), with
        absolute addresses; made once per build and process: an item is in six feeds or so, in
        three formats each (at 10,000 posts: ~6% of the render stage)."""
        from sitegen.render.feeds import absolutize

        found = self._feed_bodies.get(item.source)
        if found is None:
            body = self.common["body_of"](item)  # type: ignore[operator]
            found = self._feed_bodies[item.source] = absolutize(body, self.config)
        return found

    def _calendar(self, calendar: CalendarSpec) -> bytes:
        from sitegen.render.ical import render_calendar  # icalendar: ~40 ms to import

        note_items(calendar.items)
        note(("calendar", calendar.url))
        note(("calendar-items", calendar.url))
        return render_calendar(calendar, self.config, self._calendar_entries)

    def _sitemap(self, _: None) -> bytes:
        note(("pages", ""))
        return sitemap(self.site, self.config)

    def _robots(self, _: None) -> bytes:
        return f"User-agent: *\nAllow: /\n\nSitemap: {self.config.absolute(SITEMAP_URL)}\n".encode()

    def _copy(self, source: Path) -> Path:
        note(("file", str(source)))
        return source

    def _template(self, names: tuple[str, ...], context: dict[str, object]) -> bytes:
        try:
            template = self._chosen.get(names)
            if template is None:
                template = self._chosen[names] = self.env.select_template(list(names))
            _note_templates(names)  # also when the choice is remembered
            return template.render(**self.common, **context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or names[0]
            self.errors.add(SourceError(where, exc.lineno, 1, f"template syntax: {exc.message}"))
        except jinja2.TemplateNotFound as exc:  # an OSError to Jinja, but the template's mistake
            self.errors.add(
                SourceError(
                    *_template_position(exc, names[-1]),
                    f"template error: there is no template `{exc.name}` (in templates/ or the theme)",
                    "correct the name, add the file to templates/, or write `ignore missing` after the include",
                )
            )
        except OSError:
            raise  # a file that cannot be read (a stored body): not the template's mistake
        except Exception as exc:  # a filter given what it cannot take: an error at the template's line
            self.errors.add(
                SourceError(
                    *_template_position(exc, names[-1]),
                    f"template error: {exc}",
                    "check the variable or filter named in the message",
                )
            )
        return b""


def _note_templates(names: tuple[str, ...]) -> None:
    for name in names:
        note(("template", name))


def _template_names(page: Page) -> tuple[str, ...]:
    """An item page looks for `item-<type>.html` first, so a site can restyle one type."""
    if page.template == "item.html" and page.item:
        return (f"item-{page.item.type}.html", "item.html")
    return (page.template,)


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


def sitemap(site: Site, config: SiteConfig) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in site.pages:
        if page.url.endswith("/"):
            loc = html_escape(config.absolute(page.url), quote=False)
            lines.append(f"  <url><loc>{loc}</loc>{_lastmod(page.item)}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _lastmod(item: Item | None) -> str:
    return f"<lastmod>{item.modified.isoformat()}</lastmod>" if item and item.modified else ""
