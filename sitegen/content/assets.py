"""What an asset may be: a file copied to the site as it is is served from the site's own
origin, so one that runs script there could act as any reader of the site. HTML files are
refused unless site.yaml says `html_assets: true`; SVG and other XML documents are read and
refused, at the line of the first one, when they hold script: a <script>, <foreignObject>,
<iframe>, <embed>, <object> or <handler> element, an `on…` attribute, or a `javascript:`,
`vbscript:` or non-image `data:` address."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from xml.parsers import expat

Problem = tuple[int, int, str, str]  # line, column, message, hint

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
MARKUP_SUFFIXES = (".svg", ".svgz", ".xml", ".xsl", ".xslt")
_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "frame", "frameset", "base"}
_SCRIPT_URL = re.compile(r"(javascript|vbscript|livescript):|data:(?!image/(png|jpe?g|gif|webp|avif)[;,])")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop tabs and line breaks inside addresses
LARGEST_SVGZ = 50 * 2**20  # bytes once decompressed: a larger file is refused, not checked


def asset_problem(rel: str, path: str, html_allowed: Callable[[], bool]) -> Problem | None:
    """Why the asset at `path` (`rel` below its folder) may not be published, or None."""
    lower = rel.lower()
    if lower.endswith(HTML_SUFFIXES):
        if html_allowed():
            return None
        return (
            1,
            1,
            "an HTML file would be published as it is, running whatever script it holds on the site",
            "make it a page (a Markdown file) or a PDF; if every editor may publish script, "
            "allow HTML files with `html_assets: true` in site.yaml",
        )
    if not lower.endswith(MARKUP_SUFFIXES):
        return None
    with open(path, "rb") as file:
        data = file.read()
    if lower.endswith(".svgz"):
        data = _gunzip(data)
        if data is None:
            return 1, 1, "this .svgz file does not unpack to a drawing of a reasonable size", _SVG_HINT
    found = script_in_markup(data)
    if found is None:
        return None
    line, col, what = found
    kind = "SVG drawing" if ".svg" in lower else "XML file"
    return line, col, f"this {kind} holds script ({what}), which would run on the site's own pages", _SVG_HINT


_SVG_HINT = (
    "remove it (and every on… attribute, javascript: link and <foreignObject>): export the drawing again "
    "as plain SVG, or as PNG"
)


def script_in_markup(data: bytes) -> tuple[int, int, str] | None:
    """(line, column, what) of the first thing in an XML document (SVG, XHTML, XSLT) that runs
    script when a browser opens it; None when there is none. A file that is not well-formed
    XML shows no drawing at all, and is only searched for the obvious: `<script`, `on…=`,
    `javascript:`."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[tuple[int, int, str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if found:
            return
        where = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        local = name.rsplit(" ", 1)[-1]
        if local.lower() in _ACTIVE_ELEMENTS:
            found.append((*where, f"a <{local}> element"))
            return
        for attribute, value in attributes.items():
            short = attribute.rsplit(" ", 1)[-1]
            if short.lower().startswith("on"):
                found.append((*where, f"the `{short}` attribute of <{local}>"))
                return
            address = _URL_NOISE.sub("", value).lower()
            if _SCRIPT_URL.match(address):
                found.append((*where, f"a `{address.split(':', 1)[0]}:` address in <{local} {short}>"))
                return

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return found[0] if found else _obvious_script(data)
    return found[0] if found else None


_OBVIOUS = re.compile(rb"<\s*script|\son[a-z]+\s*=|javascript\s*:|<\s*foreignobject", re.I)


def _obvious_script(data: bytes) -> tuple[int, int, str] | None:
    match = _OBVIOUS.search(data)
    if match is None:
        return None
    line_start = data.rfind(b"\n", 0, match.start()) + 1
    what = match.group().decode("ascii", "replace").strip()
    return data.count(b"\n", 0, match.start()) + 1, match.start() - line_start + 1, f"`{what}`"


def _gunzip(data: bytes) -> bytes | None:
    try:
        unpacker = zlib.decompressobj(wbits=47)  # gzip or zlib header
        out = unpacker.decompress(data, LARGEST_SVGZ)
    except zlib.error:
        return None
    return None if unpacker.unconsumed_tail else out
