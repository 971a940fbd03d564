"""The check that no two things write one file of output/. Every file the build writes is
claimed here: pages, redirects, feeds, calendars, the sitemap, robots.txt and the files copied
from content/, static/ and the theme (render/outputs.py `plan()` writes no other:
tests/test_collisions.py holds the two lists together). Paths are compared as a disk that
ignores case compares them (macOS, Windows), where `/News/` and `/news/` are one folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from sitegen import THEME_DIR
from sitegen.content.load import CONTENT_DIR
from sitegen.errors import ErrorLog
from sitegen.model import Asset, Site
from sitegen.urls import ROBOTS_URL, SITEMAP_URL, output_path, same_file_key, unreachable_part

_IGNORING_CASE = "one file on a disk that ignores case (macOS, Windows)"
_SLUG_HINT = "give one of them another `slug:` (or change the alias)"


class Claim(NamedTuple):  # a tuple: a site of 10,000 posts makes some 30,000 of them
    """One file of output/ and what writes it, named as an editor knows it."""

    url: str
    origin: str  # a file (content/…, static/…) or what sitegen makes ("the feed of /")
    line: int = 1
    kind: str = "page"  # page, alias, content, static (the site's), theme, made (by sitegen)

    @property
    def path(self) -> str:
        return output_path(self.url)


def check_collisions(site: Site, log: ErrorLog) -> set[str]:
    """Two things that would write the same file are an error naming both, reported in the
    editor's file (the later one when both are files); so is a file where another needs a
    folder, and an alias no file can answer. Returns the address of every file claimed (body
    links to site paths are looked up there: paths.py)."""
    writers: dict[str, Claim] = {}  # same_file_key of a path -> its first claim
    claimed: set[str] = set()
    for claim in claims(site):
        if claim.kind == "alias" and _unreachable(claim, log):
            continue
        claimed.add(claim.url)
        first = writers.setdefault(same_file_key(claim.path), claim)
        if first is not claim:
            _report(first, claim, log)
    _check_folders(writers, log)
    return claimed


def claims(site: Site) -> Iterator[Claim]:
    """Every file the build writes. The files come first and the redirects last, so an error
    names the copied file or generated page before the alias that would replace it."""
    folders = {_folder_of(asset) for asset in site.assets}
    for asset in site.assets:
        yield _asset_claim(asset, folders)
    for page in site.pages:
        line = page.item.lines.get("slug", 1) if page.item and page.item.source == page.origin else 1
        yield Claim(page.url, page.origin, line)
    for feed in site.feeds:
        for fmt in feed.formats:
            yield Claim(feed.url(fmt), f"the feed of {feed.page_url}", kind="made")
    for calendar in site.calendars:
        yield Claim(calendar.url, f"the calendar {calendar.title}", kind="made")
    # Never replaced by a file of content/: one editor's robots.txt (`Disallow: /`) would take
    # the whole site out of search engines, with no setting of the site's saying so.
    yield Claim(SITEMAP_URL, "sitegen's sitemap", kind="made")
    yield Claim(ROBOTS_URL, "sitegen's robots.txt", kind="made")
    for redirect in site.redirects:
        yield Claim(redirect.url, redirect.origin, redirect.line, "alias")


def _asset_claim(asset: Asset, folders: set[Path]) -> Claim:
    """A copied file, named by the folder it comes from: the theme's static/ (which the site's
    static/ has already replaced by name: pipeline/parsing.py), the site's static/, content/."""
    url, folder = "/" + asset.content_path, _folder_of(asset)
    if folder == THEME_DIR:
        return Claim(url, f"the theme's {asset.content_path}", kind="theme")
    # content/ is the site folder's content/: the site folder's name may be "content" too.
    from_content = folder.name == CONTENT_DIR and folder / CONTENT_DIR not in folders
    if asset.content_path.startswith("static/") and not from_content:
        return Claim(url, asset.content_path, kind="static")
    return Claim(url, f"{CONTENT_DIR}/{asset.content_path}", kind="content")


def _folder_of(asset: Asset) -> Path:
    """The folder a copied file's place in output/ is counted from: content/, the site folder
    (static/ files keep their static/), or the theme's folder."""
    return asset.source.parents[len(PurePosixPath(asset.content_path).parts) - 1]


def _unreachable(alias: Claim, log: ErrorLog) -> bool:
    rest = unreachable_part(alias.url)
    if rest is None:
        return False
    if rest.startswith("?"):
        what = f"a query (`{rest}`), which web servers never look up as a file"
    else:
        what = f"a fragment (`{rest}`), which browsers never send to the web server"
    log.error(
        alias.origin,
        alias.line,
        1,
        f"the alias `{alias.url}` ends in {what}: a static site cannot redirect it",
        "remove this alias, or redirect that address in the web server's configuration",
    )
    return True


def _report(first: Claim, later: Claim, log: ErrorLog) -> None:
    told = _told(first, later)
    other = first if told is later else later
    if first.origin == later.origin and later.kind == "alias":  # one item's own addresses
        message, hint = _own_addresses(first, later)
    else:
        where = f"/{first.path}" if first.path == later.path else f"/{first.path} and /{later.path}, {_IGNORING_CASE}"
        message, hint = f"{first.origin} and {later.origin} would both write {where}", _hint(told, other)
    log.error(told.origin, told.line, 1, message, hint)


def _told(first: Claim, later: Claim) -> Claim:
    """Where an error is told: an editor's file in content/, else the site's static/, the
    later claim first; else the first claim."""
    for folder in (CONTENT_DIR + "/", "static/"):
        for claim in (later, first):
            if claim.origin.startswith(folder):
                return claim
    return first


def _own_addresses(first: Claim, alias: Claim) -> tuple[str, str]:
    """An item's alias that is its own address, or another of its aliases (pages are claimed
    before redirects: the later of one file's claims is an alias)."""
    case = "" if first.path == alias.path else f" but for case: {_IGNORING_CASE}"
    if first.kind == "page":
        message = f"the alias `{alias.url}` is this item's own address{case}"
        return message, "remove this alias: it is the item's own address"
    return f"the alias `{alias.url}` is the alias `{first.url}` again{case}", "remove one of the two"


def _hint(told: Claim, other: Claim) -> str:
    if told.kind == "alias":
        return "remove this alias, or change it to an address nothing else uses"
    if told.kind == "content" and other.kind == "theme":
        return (
            f"to replace the theme's file, move yours to {other.url[1:]} in the site folder (the site's "
            "static/ replaces the theme's by name); else rename it"
        )
    if told.kind == "content" and other.kind == "made":
        return f"remove {told.origin} (or rename it): sitegen writes /{other.path} itself"
    if told.kind in ("content", "static") and other.kind in ("content", "static"):
        return "keep one of them: remove or rename the other"
    if told.kind in ("content", "static"):
        return f"rename or move {told.origin}"
    return _SLUG_HINT


def _check_folders(writers: dict[str, Claim], log: ErrorLog) -> None:
    """A file where another claim needs a folder of that name (content/tags beside /tags/)."""
    folders: set[str] = set()  # checked already: most files share their folders
    for key, claim in writers.items():
        folder = key.rpartition("/")[0]
        while folder and folder not in folders and folder not in writers:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
        if folder in writers:
            file = writers[folder]
            told = _told(file, claim)
            log.error(
                told.origin,
                told.line,
                1,
                f"{file.origin} would write a file /{file.path} where {claim.origin} needs a folder (/{claim.path})",
                _hint(told, claim if told is file else file),
            )
