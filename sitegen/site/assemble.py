"""Stage 3: items -> Site. Drafts and scheduled posts, tags, programmes, listings,
feeds, redirects, and the check that no two things write the same file (collisions.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from functools import lru_cache

from sitegen.content.config import SiteConfig
from sitegen.errors import ErrorLog
from sitegen.model import DATED_TYPES, Asset, EventInfo, Item, Page, Redirect, Site, Tag
from sitegen.site.collisions import check_collisions
from sitegen.site.links import link_fixes
from sitegen.site.pages import TYPE_LABELS, SiteBuilder, paginate
from sitegen.site.paths import SiteAddresses, check_site_links
from sitegen.site.timeline import state_of
from sitegen.urls import tag_slug

_NOTHING_DATED = datetime(1970, 1, 1, tzinfo=UTC)

__all__ = ["TYPE_LABELS", "assemble", "check_collisions", "collect_tags", "item_tags", "paginate"]


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
    stamp = _newest_date(published)
    site = Site(items=published, pages=[], feeds=[], redirects=[], assets=assets, tags=tags, stamp=stamp, now=now)
    site.states = {i.url: s for i in published if (s := state_of(i, now, config.closing_soon_days))}
    site.link_fixes = link_fixes(published, items, log)
    _warn_about_schedules(site, log)
    builder = SiteBuilder(site, config)
    builder.add_sections()
    builder.add_home()
    builder.add_item_pages()
    builder.add_programmes()
    tagged = _items_by_tag(published)
    builder.add_tags(lambda tag: tagged[tag.slug])
    builder.add_archive()
    site.pages.append(Page("/404.html", "404.html", "Page not found", "the 404 page"))
    site.redirects = [
        Redirect(alias, item.url, item.source, item.lines.get("aliases", 1))
        for item in published
        for alias in item.aliases
    ]
    claimed = check_collisions(site, log)
    check_site_links(site, SiteAddresses(claimed, config.base_path), log)
    return site


def _items_by_tag(items: list[Item]) -> dict[str, list[Item]]:
    tagged: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for slug in dict.fromkeys(tag_slug(name) for name in item.tag_names):
            tagged[slug].append(item)
    return tagged


def _warn_about_schedules(site: Site, log: ErrorLog) -> None:
    """Readers of an upcoming event need a way in; applicants to an open call a way to apply."""
    for item in site.items:
        state = site.states.get(item.url)
        if item.event and state == "upcoming" and _no_way_in(item.event):
            log.warn(
                item.source,
                item.lines.get("starts", 1),
                1,
                "this upcoming event has no registration link",
                "add `registration: https://…` (or the online `location: {online: true, url: …}`)",
            )
        if item.call and state in ("upcoming", "open", "closing-soon") and not item.call.apply:
            log.warn(
                item.source,
                item.lines.get("deadline", 1),
                1,
                "this call has no way to apply",
                "add `apply: https://…` (or `apply: mailto:…`)",
            )


def _no_way_in(event: EventInfo) -> bool:
    online_link = event.location is not None and bool(event.location.url)
    return event.status == "scheduled" and not event.registration and not online_link


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
    first: dict[str, tuple[str, Item]] = {}  # symbols + slug -> the first name and item using them
    for item in items:
        for name in item.tag_names:
            slug = tag_slug(name)
            if slug and _merged_silently(name, slug, item, first, log):
                continue
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
    vocabulary = {tag_slug(name): name for name in config.tags}
    return {
        slug: Tag(slug, vocabulary.get(slug) or min(counts, key=lambda n: (-counts[n], n)))
        for slug, counts in sorted(forms.items())
    }


def _newest_date(published: list[Item]) -> datetime:
    """The site's stamp (an empty feed's date): its newest dated item, else 1970, never the
    build's clock: a site with nothing dated yet would otherwise write its feeds anew at every
    build, and a rebuild that keeps the last site (pipeline/reuse.py) would keep the old date."""
    return max((i.modified for i in published if i.type in DATED_TYPES and i.modified), default=_NOTHING_DATED)


def _merged_silently(name: str, slug: str, item: Item, first: dict[str, tuple[str, Item]], log: ErrorLog) -> bool:
    """Names that fold to one address are one tag while they differ only in case, accents or
    spacing ("AI", "ai"). Other marks make another word ("C++" is not "c plus plus"): two such
    names sharing an address are an error naming both files, never one merged tag."""
    symbols = _symbols(name)
    earlier = first.setdefault(slug, (symbols, item))
    if earlier[0] == symbols:
        return False
    other = earlier[1]
    log.error(
        item.source,
        item.lines.get("tags", 1),
        1,
        f"the tag `{name}` would share the address /tags/{slug}/ with a tag written differently in {other.source}",
        "write the same tag the same way in both files, or choose names that differ in letters",
    )
    return True


@lru_cache(maxsize=1 << 12)
def _symbols(name: str) -> str:
    """The marks in a tag's name that make it another word (a site has tens of tags, used
    thousands of times)."""
    return "".join(sorted({char for char in name if not char.isalnum() and char not in " -_"}))


def item_tags(item: Item, tags: dict[str, Tag]) -> list[Tag]:
    seen = dict.fromkeys(tag_slug(name) for name in item.tag_names)
    return [tags[slug] for slug in seen if slug in tags]
