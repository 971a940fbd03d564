"""Assemble's one decision: whether the assembled site is as the last successful build left
it. It is while the build's options are the same, no file was added or removed, the clock has
not passed the next moment at which the site changes, and every edited item keeps its shape
(what assemble reads of it). Then only the edited items can read differently:

- `sitegen serve` holds the last site in memory and uses it again, with the edited items'
  fields moved into the objects it lists (at 10,000 posts, a preview rebuild after a body edit:
  0.44 s assembling and comparing every page's digest, ~0.17 s reusing);
- `sitegen build` assembles again (its process starts without a site) but compares only the
  edited items', templates' and files' digests (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sitegen.errors import SourceError
from sitegen.model import Asset, Item, Site
from sitegen.render.outputs import Output
from sitegen.state import Window
from sitegen.state.files import FileRecord


@dataclass
class LastSite:
    """serve's last assembled site, the item objects it holds, and what assemble said."""

    site: Site
    items: dict[str, Item]  # by source
    warnings: list[SourceError] = field(default_factory=list)
    outputs: list[Output] | None = None  # its plan (render/outputs.py), once made


def shape(item: Item) -> str:
    """What assemble reads of an item: where it is listed, in which order, under which title,
    which items and site paths it links to, and the lines its warnings name. An edit that keeps
    the shape changes only what is shown. As repr(), not a tuple: times that are the same
    instant in two zones compare equal, but are shown differently."""
    return repr((
        item.type, item.title, item.slug, item.url, item.date, item.updated, item.tag_names, item.programme,
        item.draft, item.aliases, item.event, item.call, dict(item.lines), item.links, item.site_links,
    ))  # fmt: skip


def window_of(key: tuple[bool, bool], now: datetime, next_change: datetime | None, assets: list[Asset]) -> Window:
    # Each by its place in output/ and the file it is copied from: a file of the site's own
    # static/ that replaces the theme's of the same name changes the site.
    return Window(key, now, next_change, tuple(f"{asset.content_path}\t{asset.source}" for asset in assets))


def edited_since(
    window: Window | None, now: Window, before: dict[str, FileRecord], after: dict[str, FileRecord]
) -> list[str] | None:
    """The sources of the items edited since the last successful build, if its site still
    holds (`now`: this build's options, clock and copied files); None if it must be assembled
    and compared again in full."""
    if window is None or window.key != now.key or now.now < window.now or window.assets != now.assets:
        return None
    if window.next_change is not None and now.now >= window.next_change:
        return None  # an event started, a call closed, a post is due: states change
    if before.keys() != after.keys():
        return None
    edited = []
    for path, record in after.items():
        old = before[path].item
        if record.item is old:
            continue
        if old is None or record.item is None or shape(old) != shape(record.item):
            return None
        edited.append(record.item.source)
    return edited


def reuse_site(last: LastSite, edited: list[str], items: list[Item]) -> Site:
    """The last site with each edited item's fields moved into the object it lists."""
    new = {item.source: item for item in items}
    for source in edited:
        last.items[source].__dict__.update(new[source].__dict__)
    return last.site
