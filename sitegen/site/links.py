"""Links between items, at the build's clock: a link to an item that is not published (a
draft, a scheduled item) is shown as its text until the item is, with a warning saying so and
when; a link to an item whose address is not the one its file name gives (`slug:`) goes to
its address. So the site never shows a reader a dead internal link."""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.errors import ErrorLog
from sitegen.model import Item

# (site path as written in the body, the path to link to instead, or None: the text alone)
LinkFixes = tuple[tuple[str, str | None], ...]


def link_fixes(published: Iterable[Item], every: Iterable[Item], log: ErrorLog) -> dict[str, LinkFixes]:
    """For each published item whose body links need a change: what to change."""
    shown = {item.source: item for item in published}
    known = {item.source: item for item in every}
    fixes: dict[str, LinkFixes] = {}
    for item in shown.values():
        found = [fix for link in item.links if (fix := _fix(item, link, shown, known, log)) is not None]
        if found:
            fixes[item.source] = tuple(found)
    return fixes


def _fix(
    item: Item, link: tuple[str, int, str], shown: dict[str, Item], known: dict[str, Item], log: ErrorLog
) -> tuple[str, str | None] | None:
    target, line, written = link
    source = "content/" + target
    if source in shown:
        url = shown[source].url
        return None if url == written else (written, url)
    other = known.get(source)
    if other is not None:  # a draft, or scheduled: the parse of a missing file warned already
        log.warn(item.source, line, 1, *_unpublished(other))
    return (written, None)


def _unpublished(target: Item) -> tuple[str, str]:
    name = target.source.removeprefix("content/")
    if target.draft:
        return (
            f"the link to `{name}` is shown as text: it is a draft",
            "the link appears in the build after `draft: true` is removed from it",
        )
    when = target.date.isoformat(timespec="minutes") if target.date else "its date"
    return (
        f"the link to `{name}` is shown as text until {when}, when that item is published",
        "rebuild the site then (the build's `next change` says when), and the link appears",
    )
