"""The addresses a body links to, as real archives have them: what each one is, and the slips
that make one a dead link (a missing file, a site address without `https://`, doubled
parentheses, template syntax left by another generator, an old `.html` address).

`Resolver.resolve()` turns an address as written into the one to publish, or None when there
is nothing to link to: the caller then shows the link's words (or an image's alt text) alone,
and the body's `Reference` says why, for the editor's warning."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from markdown_it.common.normalize_url import normalizeLink

from sitegen.urls import (
    MARKDOWN_ENDINGS,
    is_external,
    is_markdown_name,
    markdown_link_path,
    own_site_path,
    resolve_content_ref,
)

# A site written without its scheme: `usegalaxy.eu`, `www.example.org/x` (not `photo.jpg`).
_BARE_SITE = re.compile(r"(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?:/.*)?", re.IGNORECASE)
# The schemes of addresses readers' browsers open as a page or a mail; nh3 keeps no other.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
FILE_ENDINGS = {ending[1:] for ending in MARKDOWN_ENDINGS}
FILE_ENDINGS |= {"html", "htm", "jpg", "jpeg", "png", "gif", "svg", "webp", "avif", "pdf", "txt"}
FILE_ENDINGS |= {"csv", "zip", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "mp3", "mp4", "json", "xml"}
# `[words](an address with a space)`: no link to CommonMark (body_slips.py names it).
SPACED_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\n]*\s[^()\n]*)\)")
# {{ x }}, {% x %} (Liquid, Jinja), {{< x >}}, {{% x %}} (Hugo shortcodes)
TEMPLATE_SYNTAX = re.compile(r"\{\{[<%]?.*?[>%]?\}\}|\{%.*?%\}")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)


@dataclass
class Reference:
    """A link or image in a body that points inside content/, or an address with a slip."""

    raw: str  # as written
    content_path: str | None  # the file in content/ it names; None: outside content/, or a slip
    line: int  # line in the body (1-based)
    is_image: bool
    problem: str = ""  # "", missing, outside, old-address, bare-site, parentheses, template(-address), own-host


class Resolver:
    """One body's addresses: relative ones resolved against its file (so an editor can write
    `photo.jpg` or `../media/photo.jpg`), checked with `exists` when it is given."""

    def __init__(
        self, content_path: str, base_path: str, exists: Callable[[str], bool] | None, site_url: str = ""
    ) -> None:
        self.content_path, self.base_path, self.exists = content_path, base_path, exists
        self.site_url = site_url  # base_url: an address on its host is the site's own (an archive's)
        self.references: list[Reference] = []
        # Links to paths of the built site (line, as written, the address): site/paths.py checks
        # them against every file the build writes, once the site is assembled.
        self.site_links: list[tuple[int, str, str]] = []

    def resolve(self, raw: str, line: int, is_image: bool) -> str | None:
        """`raw` as the parser gives it (percent-encoded); the editor is told of it as written."""
        address, raw = raw.strip(), unquote(raw)
        if not address or address.startswith("#"):
            return address
        slip = _slip(unquote(address))
        if slip:
            self.references.append(Reference(raw, None, line, is_image, slip))
            inner = address[1:-1].strip()
            return inner if slip == "parentheses" and inner.startswith(("https://", "http://")) else None
        if is_external(address):
            own = own_site_path(address, self.site_url) if self.site_url else None
            return address if own is None else self._own_address(raw, address, own, line, is_image)
        path, _, fragment = address.partition("#")
        if path.startswith("/") and path.endswith("/"):
            if not is_image:
                self.site_links.append((line, raw, address))
            return self.base_path + address  # a page of the built site (`/events/`), not a file
        if path.startswith("/") and not is_image and self.exists is not None:
            # No file of content/ (`/about`, `/news/feed.xml`), or one with a query: a path the
            # build may write (a feed, an alias, a static file). `/x.md` names an item's file.
            named, asks, _ = path.partition("?")
            target = resolve_content_ref(unquote(named), self.content_path)
            item_file = is_markdown_name(named) and not named.startswith("/static/")  # static/'s are files
            if target is not None and not item_file and (asks or not self.exists(target)):
                self.site_links.append((line, raw, address))
                return self.base_path + address
        return self._content_file(raw, path, fragment, line, is_image)

    def _own_address(self, raw: str, address: str, path: str, line: int, is_image: bool) -> str:
        """A link on the site's own host is checked with the site's paths (site/paths.py); a
        picture there (WordPress's /wp-content/uploads/...) is the file of content/ at its path,
        if there is one, else kept as written (the old site may still answer) and told."""
        if not is_image:
            self.site_links.append((line, raw, address))
            return address
        target = path.partition("?")[0][len(unquote(self.base_path)) + 1 :]  # own_site_path decodes
        if self.exists is not None and self.exists(target):
            self.references.append(Reference(raw, target, line, is_image))
            return self.base_path + site_address("/" + target)
        self.references.append(Reference(raw, target, line, is_image, "own-host"))
        return address

    def _content_file(self, raw: str, path: str, fragment: str, line: int, is_image: bool) -> str | None:
        # The parser gives `café.png` as `caf%C3%A9.png`: the file is looked for by its name.
        target = resolve_content_ref(unquote(path) if "%" in path else path, self.content_path)
        if target is not None and self.exists is not None:
            target = spelled_as_listed(target, self.exists)
        if target is None:
            old = path.endswith((".html", ".htm"))
            self.references.append(Reference(raw, None, line, is_image, "old-address" if old else "outside"))
            return None
        if self.exists is not None and not (self.exists(target) or self.exists(target.rstrip("/"))):
            problem = "old-address" if target.endswith((".html", ".htm")) else "missing"
            self.references.append(Reference(raw, target, line, is_image, problem))
            return None
        self.references.append(Reference(raw, target, line, is_image))
        site_path = markdown_link_path(target) if is_markdown_name(target) else "/" + target
        return self.base_path + site_address(site_path) + (f"#{fragment}" if fragment else "")

    def template_syntax(self, text: str, line: int) -> None:
        """Template syntax left in a paragraph's text (as written: before the typographer's
        quotes) by the generator the archive came from; code spans are documentation."""
        if "{{" not in text and "{%" not in text:
            return  # nearly every paragraph: no regular expression run on it
        shown = _CODE_SPAN.sub(lambda span: " " * len(span.group()), text)
        in_addresses = [ref.raw for ref in self.references if ref.problem == "template-address"]
        # A link whose address the tag's spaces broke: body_slips.py names the whole link.
        broken = [
            found.span(2)
            for found in SPACED_LINK.finditer(shown)
            if "\n" not in found.group() and TEMPLATE_SYNTAX.search(found.group(2))  # body_slips reads a line's text
        ]
        for found in TEMPLATE_SYNTAX.finditer(shown):
            if any(found.group() in address for address in in_addresses):
                continue  # named already, as the address it is in
            if any(start <= found.start() < end for start, end in broken):
                continue
            at = line + shown.count("\n", 0, found.start())
            self.references.append(Reference(found.group(), None, at, False, "template"))


def spelled_as_listed(target: str, exists: Callable[[str], bool]) -> str:
    """`café.png` as the disk spells it: macOS writes a file's accents as separate marks (NFD),
    an editor's keyboard as one character (NFC). The two look alike and name one file."""
    if target.isascii() or exists(target):
        return target
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, target)
        if other != target and exists(other):
            return other
    return target


def site_address(path: str) -> str:
    """A site path (a file's name as it is on disk) as an address: percent-encoded where
    markdown-it's normalizeLink would encode it (`my photo.png` -> `my%20photo.png`), and
    also `%`, `?` and `#`, which in a file's name are part of it."""
    return path if _NOTHING_TO_ENCODE(path) else quote(path, safe=_SAFE_IN_PATH)


_SAFE_IN_PATH = "/;:@&=+$,!*'()"  # with letters, digits and -._~: what mdurl leaves as it is
_NOTHING_TO_ENCODE = re.compile(r"[A-Za-z0-9/;:@&=+$,!*'()\-_.~]*").fullmatch


def _slip(address: str) -> str:
    if TEMPLATE_SYNTAX.search(address):
        return "template-address"
    if address.startswith("(") and address.endswith(")"):
        return "parentheses"
    if not is_external(address) and _BARE_SITE.fullmatch(address):
        first = address.split("/", 1)[0]
        if address.lower().startswith("www.") or first.rsplit(".", 1)[-1].lower() not in FILE_ENDINGS:
            return "bare-site"
    return ""


# Addresses that markdown-it's normalizeLink gives back as they are: a lower-case http(s) host
# and a path, or a path with no scheme, of characters mdurl never encodes (no `%`, no space).
# normalizeLink parses and re-encodes an address a character at a time in Python: 5% of a
# body's parse at 10,000 posts, ~80,000 links; test_markdown.py checks the two agree.
_UNCHANGED_BY_NORMALIZING = re.compile(
    r"(?:https?://[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*(?=[/?#]|$)|(?![A-Za-z0-9.+-]*:)(?!//))"
    r"[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*"
).fullmatch


def normalize_link(url: str) -> str:
    """markdown-it's normalizeLink (percent-encoding, punycode), skipped where it changes nothing."""
    if len(url) <= 255 and _UNCHANGED_BY_NORMALIZING(url):
        return url
    return normalizeLink(url)
