"""Slugs, permalinks and output paths: the only place URL rules live."""

from __future__ import annotations

import contextlib
import posixpath
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from slugify import slugify

# German umlauts are spelled out as Germans do (ä -> ae); the rest of the
# transliteration (ß -> ss, ł -> l, é -> e) comes from python-slugify.
_REPLACEMENTS = [["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ä", "ae"], ["ö", "oe"], ["ü", "ue"]]
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")

SECTIONS = {"news": "news", "event": "events", "call": "calls", "programme": "programmes"}
# Files sitegen writes at the top of every site (render/outputs.py), claimed like any page.
SITEMAP_URL = "/sitemap.xml"
ROBOTS_URL = "/robots.txt"


@lru_cache(maxsize=1 << 16)  # pure, and called for every tag of every item in each build
def make_slug(text: str) -> str:
    if len(text) <= _SLUG_LENGTH and _PLAIN_WORDS.match(text):
        # ASCII words between single spaces or hyphens (most headings and file names): what
        # slugify() gives, without its ~15 µs of transliteration and regexes (tests/test_urls.py).
        return text.lower().replace(" ", "-")
    return slugify(text, replacements=_REPLACEMENTS, max_length=_SLUG_LENGTH, word_boundary=True)


_SLUG_LENGTH = 80
_PLAIN_WORDS = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*\Z")
# Symbols that make a tag another tag: C, C++ and C# are three languages, not one `c`.
_TAG_SYMBOLS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_TAG_SYMBOL = re.compile("[+#&@]")


@lru_cache(maxsize=1 << 16)
def tag_slug(name: str) -> str:
    """A tag's identity and address: make_slug() with symbols that carry meaning spelled out
    (`C++` -> `c-plus-plus`, `C#` -> `c-sharp`); case, accents and spacing still fold."""
    if _TAG_SYMBOL.search(name):
        name = _TAG_SYMBOL.sub(lambda match: _TAG_SYMBOLS[match.group()], name)
    return make_slug(name)


# What Jekyll reads as Markdown (its markdown_ext), and so does sitegen: never published as written.
MARKDOWN_ENDINGS = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown")


def is_markdown_name(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_ENDINGS)


def slug_from_filename(content_path: str) -> str:
    """`news/2026-02-10-board-meeting.md` -> `board-meeting`."""
    return make_slug(_DATE_PREFIX.sub("", _file_stem(content_path)))


def date_of_filename(content_path: str) -> str | None:
    """`news/2019-05-07-title.md` -> `2019-05-07` (as Jekyll dates a post), else None."""
    found = _DATE_PREFIX.match(_file_stem(content_path))
    return found.group()[:-1] if found else None


def _file_stem(content_path: str) -> str:
    """The name a file gives its item: its own without the extension; a bundle's index.md its folder's."""
    stem = posixpath.splitext(posixpath.basename(content_path))[0]
    if stem == "index" and "/" in content_path:
        stem = posixpath.basename(posixpath.dirname(content_path))
    return stem


def item_url(item_type: str, slug: str) -> str:
    section = SECTIONS.get(item_type)
    return f"/{section}/{slug}/" if section else f"/{slug}/"


def section_url(item_type: str) -> str:
    return f"/{SECTIONS[item_type]}/"


def tag_url(slug: str) -> str:
    return f"/tags/{slug}/"


def archive_url(year: int | None = None) -> str:
    return f"/archive/{year}/" if year else "/archive/"


def page_urls(first: str, count: int) -> tuple[str, ...]:
    """Page 1 of a listing lives at its own URL, the rest under page/N/."""
    return (first, *[f"{first}page/{n}/" for n in range(2, count + 1)])


def output_path(url: str) -> str:
    """Site path -> file inside output/: pretty URLs end in a folder with index.html."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def safe_site_path(raw: str) -> str | None:
    """Normalise an editor's site path (an alias); None if it would leave output/. Ways of
    writing one address are one path: `./`, doubled slashes, percent escapes (a web server
    decodes `%61` to `a` before it looks for the file), a folder without its final slash. A
    query or fragment is kept as written: no file answers one (site/collisions.py says so)."""
    if "\\" in raw or "://" in raw or raw.startswith("//") or "\0" in raw:
        return None
    parts = [part for part in map(_decoded, raw.strip().split("/")) if part not in ("", ".")]
    if not parts or any(part.startswith(".") or _UNSAFE_IN_NAME.search(part) for part in parts):
        return None  # hidden names (.htaccess, .git/, ..) are the server's, never the site's
    path = "/" + "/".join(parts)
    folder = raw.endswith("/") or ("." not in parts[-1] and unreachable_part(path) is None)
    return path + "/" if folder else path


_UNSAFE_IN_NAME = re.compile(r"[/\\\0]")  # what a decoded escape (%2F, %5C, %00) may not put in a name


def _decoded(part: str) -> str:
    """A part of an address as the web server looks for it on disk: escapes decoded once; as
    written when they are not UTF-8 (no file name could match them)."""
    try:
        return unquote(part, errors="strict") if "%" in part else part
    except UnicodeDecodeError:
        return part


def unreachable_part(site_path: str) -> str | None:
    """The query (`?id=3`) or fragment (`#top`) of an address, if it has one: a web server
    looks up the path alone (browsers never even send the fragment), so no file of a static
    site answers that address rather than the path without it."""
    found = _QUERY_OR_FRAGMENT.search(site_path)
    return site_path[found.start() :] if found else None


_QUERY_OR_FRAGMENT = re.compile(r"[?#]")


def same_file_key(path: str) -> str:
    """An output path as a disk that ignores case compares names (macOS, Windows): paths with
    one key are one file there (`News/A/index.html` is `news/a/index.html`; macOS also takes an
    é written as e and a combining accent for the letter é)."""
    if not path.isascii():
        path = unicodedata.normalize("NFC", path)
    return path.lower()


def resolve_content_ref(ref: str, from_content_path: str) -> str | None:
    """A reference in content (image src, link) -> path inside content/, or None if it
    points outside content/. `/media/x.svg` is from content/'s root; others are relative."""
    base = "" if ref.startswith("/") else posixpath.dirname(from_content_path)
    joined = posixpath.normpath(posixpath.join(base, ref.lstrip("/")))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined


def own_site_path(address: str, site_url: str) -> str | None:
    """The path (with its query) of an absolute address on the site's own host, under its base
    path, as a migrated archive writes its links (`http://www.example.org/2018/11/old/` for
    `https://example.org/`: the scheme and a `www.` are no other site); None for another site's."""
    try:
        parts, site = urlsplit(address), urlsplit(site_url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not site.hostname:
        return None
    if _ascii_host(parts.hostname) != _ascii_host(site.hostname):
        return None
    path = unquote(address_path(address))
    base = unquote(site.path).rstrip("/")
    if base and not (path == base or path.startswith(base + "/")):
        return None  # another program's, beside the site on its host
    return path + (f"?{parts.query}" if parts.query else "")


def address_path(address: str) -> str:
    """An absolute address's path as a browser asks for it: `..` and `.` resolved, the final
    slash kept (`/network/../shop/` is `/shop/`)."""
    path = urlsplit(address).path or "/"
    resolved = posixpath.normpath(path).replace("//", "/")
    return resolved + "/" if path.endswith("/") and resolved != "/" else resolved


def _ascii_host(host: str) -> str:
    """The host as markdown-it writes it into a link (punycode: `bücher.example` is
    `xn--bcher-kva.example`), without `www.`."""
    with contextlib.suppress(UnicodeError):  # a host no IDNA label can spell is compared as written
        host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")


def is_external(ref: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", ref)) or ref.startswith("//")


_FOLDER_TYPES = {"news": "news", "events": "event", "calls": "call", "programmes": "programme"}


def markdown_link_path(content_path: str) -> str:
    """Where a link to another Markdown file goes as the body is written: that item's page by
    its file name (site/links.py sends it to the item's own address, if `slug:` changed it)."""
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return item_url(_FOLDER_TYPES.get(folder, "page"), slug_from_filename(content_path))
