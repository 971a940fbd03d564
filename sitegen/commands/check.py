"""sitegen check: everything a build would reject or warn about, and more, without writing
anything: front matter, links and images (and the #anchors they point to), addresses two
things would share, alt text, tags outside site.yaml's vocabulary, and feeds and calendars
rendered in memory and read back. Drafts and scheduled items are checked too.
External links only with --external (linkcheck.py)."""

from __future__ import annotations

import difflib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import icalendar

from sitegen.content.config import SiteConfig, load_config
from sitegen.content.frontmatter import FrontMatterError, parse_document
from sitegen.content.load import load
from sitegen.content.markdown import links
from sitegen.content.parse import parse_all
from sitegen.errors import BuildFailed, ErrorLog, SourceError, printable
from sitegen.model import Item, Site, Source
from sitegen.pipeline.parsing import static_assets
from sitegen.render.environment import make_environment
from sitegen.render.outputs import Made, render_all
from sitegen.site.assemble import assemble
from sitegen.site.links import link_fixes
from sitegen.site.paths import SiteAddresses, site_links
from sitegen.urls import is_external, output_path, resolve_content_ref, tag_slug

_ID = re.compile(rb'\sid="([^"]+)"')
_HEADING_ID = re.compile(rb'<h[1-6]\s[^>]*?\bid="([^"]+)"')


@dataclass
class Checked:
    problems: list[SourceError]
    files: int = 0
    external: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # URL -> where


def check_site(site_dir: Path, now: datetime | None = None) -> Checked:
    log = ErrorLog()
    try:
        config, config_log = load_config(site_dir)
    except BuildFailed as failed:
        return Checked(failed.errors)
    log.warnings.extend(config_log.warnings)
    sources, assets = load(site_dir, log)
    assets += static_assets(site_dir, log)  # the build's own list: an asset it refuses is refused here
    known = {asset.content_path for asset in assets} | {source.content_path for source in sources}
    items = parse_all(sources, config, known, log)
    clock = now or datetime.now().astimezone()
    site = assemble(items, assets, config, clock, True, True, log)
    # Drafts and scheduled items are checked as if shown; a link to one, though, is text when
    # the site is built: say so, as the build does.
    link_fixes([i for i in items if not i.draft and (not i.date or i.date <= clock)], items, log)
    outputs: dict[str, Made] = {}
    if not log.errors:
        try:
            outputs = render_all(site, config, make_environment(site_dir, config), site_dir)
        except BuildFailed as failed:
            log.errors.extend(failed.errors)
    paths = SiteAddresses.of_site(site, config.base_path)
    _dead_site_links_are_errors(site, paths, log)  # after rendering: pages and feeds are checked too
    by_source = {item.source: item for item in items}
    _check_tags(items, config, log)
    external = _check_bodies(sources, by_source, site, paths, outputs, log)
    _check_feeds(site, outputs, log)
    for item in items:
        for key, url in _front_matter_urls(item):
            external.setdefault(url, []).append((item.source, item.lines.get(key, 1), 1))
    problems = sorted(set(log.errors) | set(log.warnings), key=lambda e: (e.path, e.line, e.col, e.message))
    return Checked(problems, len(sources) + len(assets), external)


def _check_tags(items: list[Item], config: SiteConfig, log: ErrorLog) -> None:
    if not config.tags:
        return
    vocabulary = {tag_slug(name): name for name in config.tags}
    for item in items:
        for name in item.tag_names:
            if tag_slug(name) not in vocabulary:
                close = difflib.get_close_matches(name.lower(), [n.lower() for n in config.tags], n=1, cutoff=0.6)
                hint = (
                    f"did you mean `{next(n for n in config.tags if n.lower() == close[0])}`?"
                    if close
                    else "add it to `tags:` in site.yaml, or use one of: " + ", ".join(config.tags)
                )
                message = f"the tag `{name}` is not in site.yaml's tags"
                log.warn(item.source, item.lines.get("tags", 1), 1, message, hint)


def _dead_site_links_are_errors(site: Site, paths: SiteAddresses, log: ErrorLog) -> None:
    """A link to a site path that names nothing: the build's warning (the link shown as its
    words), found by the same lookup, is an error here: a pull request must not add one."""
    dead = [link for link in site_links(site, paths) if link.url is None]
    said = {link.warning() for link in dead}
    log.warnings[:] = [warning for warning in log.warnings if warning not in said]
    for link in dead:
        log.error(link.source, link.line, link.col, link.problem, link.hint)


def _page_ids(site: Site, outputs: dict[str, Made]) -> dict[str, tuple[set[str], list[str]]]:
    """Page URL -> the ids in it, and its headings' ids (for the hint): from the rendered page,
    else (a build error) the item's text."""
    ids: dict[str, tuple[set[str], list[str]]] = {}
    for page in site.pages:
        html = outputs.get(output_path(page.url))
        if not isinstance(html, bytes):
            html = page.item.body_html.encode() if page.item else None
        if html is not None:
            headings = [m.decode() for m in _HEADING_ID.findall(html)]
            ids[page.url] = ({m.decode() for m in _ID.findall(html)}, headings)
    return ids


def _check_bodies(
    sources, by_source, site: Site, paths: SiteAddresses, outputs: dict[str, Made], log: ErrorLog
) -> dict:
    ids = _page_ids(site, outputs)
    page_of = {item.source.removeprefix("content/"): item.url for item in site.items}
    external: dict[str, list[tuple[str, int, int]]] = {}
    for source in sources:
        item = by_source.get(source.path)
        if item is None:
            continue  # it has errors of its own already
        try:
            doc = parse_document(source.text)
        except FrontMatterError:
            continue
        # The build's own accessibility warnings (lint.py) may already name a missing alt text.
        said = {(w.path, w.line) for w in log.warnings if "alt text" in w.message}
        for link in links(doc.body):
            line, col = _locate(doc.body, link.href, link.line)
            where = (source.path, doc.body_line + line - 1, col)
            if link.is_image and link.alt is not None and not link.alt.strip() and where[:2] not in said:
                log.warn(*where, f"the image `{link.href}` has no alt text", _ALT_HINT)
            if link.href.startswith(("http://", "https://")):
                external.setdefault(link.href, []).append(where)
            elif link.href and not is_external(link.href):
                _check_anchor(link.href, source, item, paths, page_of, ids, where, log)
    return external


_ALT_HINT = "say what the picture shows between the brackets: ![Visitors in the gallery](photo.jpg)"


def _check_anchor(href, source: Source, item: Item, paths: SiteAddresses, page_of, ids, where, log: ErrorLog) -> None:
    """The `#anchor` of a link to a page: an id in that page. (A link to a site path that names
    nothing is the build's own finding: site/paths.py, made an error above.)"""
    # As written, or percent-encoded (`caf%C3%A9.md#r%C3%A9sum%C3%A9`): a file's name and a
    # heading's id are looked up as the browser decodes them.
    path, _, fragment = (unquote(part) for part in href.partition("#"))
    if not fragment:
        return
    if not path:
        target = item.url
    else:
        content_path = resolve_content_ref(path, source.content_path)
        target = page_of.get(content_path or "") or (paths.page(path) if path.startswith("/") else None)
    if target in ids and fragment not in ids[target][0]:
        every, headings = ids[target]
        close = difflib.get_close_matches(fragment, sorted(every), n=1)
        hint = f"did you mean `#{close[0]}`?" if close else "headings' ids: " + (", ".join(headings[:12]) or "none")
        log.error(*where, f"the anchor `#{fragment}` does not exist in {target}", hint)


def _locate(body: str, raw: str, line: int) -> tuple[int, int]:
    """Body line and column of a link: Markdown gives only its paragraph's first line."""
    lines = body.splitlines()
    for index in range(line - 1, len(lines)):
        col = lines[index].find(f"({raw}")
        if col >= 0:
            return index + 1, col + 2
    return line, 1


def _check_feeds(site: Site, outputs: dict[str, Made], log: ErrorLog) -> None:
    """Read every feed and calendar back: what subscribers' readers will do."""
    for feed in site.feeds:
        for fmt in feed.formats:
            data = outputs.get(output_path(feed.url(fmt)))
            if isinstance(data, bytes):
                problem = _feed_problem(data, fmt)
                if problem:
                    log.error(feed.url(fmt), 1, 1, f"the {fmt.upper()} feed is not valid: {problem}")
    for calendar in site.calendars:
        data = outputs.get(output_path(calendar.url))
        if isinstance(data, bytes):
            problem = _calendar_problem(data)
            if problem:
                log.error(calendar.url, 1, 1, f"the calendar is not valid: {problem}")


_REQUIRED = {
    "rss": ("channel", ("title", "link", "description"), "channel/item", ("title", "link", "guid")),
    "atom": (None, ("{A}id", "{A}title", "{A}updated"), "{A}entry", ("{A}id", "{A}title", "{A}updated")),
}


def _feed_problem(data: bytes, fmt: str) -> str:
    if fmt == "json":
        try:
            feed = json.loads(data)
        except ValueError as exc:
            return f"not JSON ({exc})"
        missing = [key for key in ("version", "title", "items") if key not in feed]
        missing += [f"items[{n}].id" for n, entry in enumerate(feed.get("items", [])) if "id" not in entry]
        return ("missing " + ", ".join(missing)) if missing else ""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"not well-formed XML ({exc})"
    head, keys, entries, entry_keys = _REQUIRED[fmt]
    ns = {"A": "http://www.w3.org/2005/Atom"}
    expand = (lambda k: k.replace("{A}", "{" + ns["A"] + "}")) if fmt == "atom" else (lambda k: k)
    top = root.find(head) if head else root
    if top is None:
        return f"no <{head}>"
    missing = [k for k in keys if top.find(expand(k)) is None]
    for n, entry in enumerate(root.iter(expand(entries.split("/")[-1]))):
        missing += [f"entry {n + 1}: {k}" for k in entry_keys if entry.find(expand(k)) is None]
    return ("missing " + ", ".join(k.replace("{A}", "") for k in missing)) if missing else ""


def _calendar_problem(data: bytes) -> str:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        return str(exc)
    missing = [
        f"{event.get('uid', '?')}: {key}"
        for event in calendar.walk("VEVENT")
        for key in ("UID", "DTSTAMP", "DTSTART", "SUMMARY")
        if key not in event
    ]
    return ("missing " + ", ".join(missing)) if missing else ""


def _front_matter_urls(item: Item):
    if item.event:
        if item.event.registration.startswith("http"):
            yield "registration", item.event.registration
        if item.event.location and item.event.location.url:
            yield "location", item.event.location.url
    if item.call and item.call.apply.startswith("http"):
        yield "apply", item.call.apply
    if item.image and item.image.src.startswith("http"):
        yield "image", item.image.src


def github(error: SourceError) -> str:
    """A GitHub Actions annotation: shown on the file's line in a pull request."""

    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        text = printable(text)  # what content holds cannot steer the log it is shown in
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    message = error.message + (f" (hint: {error.hint})" if error.hint else "")
    where = f"file={escape(error.path, True)},line={error.line},col={error.col}"
    return f"::{error.severity} {where}::{escape(message)}"
