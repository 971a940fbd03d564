"""What an asset may be: a file copied to the site as it is is served from the site's own
origin, so one that runs script there could act as any reader of the site. HTML files are
refused unless site.yaml says `html_assets: true`; XSLT stylesheets are refused; SVG and other
XML documents are read and refused, at the line of the first one, when they hold script: a
<script>, <foreignObject>, <iframe>, <embed>, <object> or <handler> element (whatever its
prefix), an `on…` attribute, a `javascript:`, `vbscript:` or non-image `data:` address, an
animation that sets an address, a processing instruction (`<?xml-stylesheet?>` runs XSLT) or
an external entity; and when they are not well-formed XML, which no check can read as a
browser does. A file is judged by the type a server may send it as, which is not always its
last suffix (`type_of`)."""

from __future__ import annotations

import mimetypes
import re
import zlib
from collections.abc import Callable
from xml.parsers import expat

from sitegen.urls import MARKDOWN_ENDINGS

Problem = tuple[int, int, str, str]  # line, column, message, hint
Finding = tuple[int, int, str]  # line, column, what

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
# Suffixes that Python's, Apache's or nginx's tables serve as an XML type a browser may open as
# a document (text/xml, image/svg+xml, application/rss+xml, application/mathml+xml, ...).
MARKUP_SUFFIXES = (".svg", ".svgz", ".xml", ".rdf", ".wsdl", ".xpdl", ".mml", ".mathml", ".rss", ".atom", ".xul")
MARKUP_SUFFIXES += (".xbl", ".xsd", ".kml", ".gpx", ".smil")
XSLT_SUFFIXES = (".xsl", ".xslt")
# What a server may send as Content-Encoding, the type being the suffix before it (Python's
# mimetypes: `x.html.gz` is text/html, gzip), and what browsers decode: gzip, br, zstd.
ENCODINGS = {".gz": "gzip", ".z": "compress", ".bz2": "bzip2", ".xz": "xz", ".br": "br", ".zst": "zstd"}
_BUILTIN = mimetypes.MimeTypes()  # Python's own table only: the same on every machine
# Types web servers know that Python's table lacks, and Markdown (read by the build, never
# published as it is): a name ending so is no HTML, and none of them is opened to be sniffed.
_ALSO_KNOWN = (*MARKDOWN_ENDINGS, ".woff", ".woff2", ".ttf", ".otf", ".eot", ".ics", ".epub", ".ogg", ".oga")
_ALSO_KNOWN += (".flac", ".m4a", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".7z", ".rar")
_KNOWN = {*_BUILTIN.types_map[True], *_BUILTIN.types_map[False], *_ALSO_KNOWN}
_KNOWN |= {*HTML_SUFFIXES, *MARKUP_SUFFIXES, *XSLT_SUFFIXES}

_ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "frame", "frameset", "base"}
_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_ANIMATED_VALUES = ("values", "to", "from", "by")
_XSLT_NAMESPACE = "http://www.w3.org/1999/XSL/Transform"
_SCRIPT_URL = re.compile(r"(javascript|vbscript|livescript):|data:(?!image/(png|jpe?g|gif|webp|avif)[;,])")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop tabs and line breaks inside addresses
# What a browser given no type takes for HTML (WHATWG MIME sniffing, which reads up to 1,445 bytes).
_SNIFFED_HTML = re.compile(
    rb"[\t\n\x0c\r ]*<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[ >]",
    re.I,
)
SNIFFED_BYTES = 1445
LARGEST_SVGZ = 50 * 2**20  # bytes once decompressed: a larger file is refused, not checked


def type_of(rel: str) -> tuple[str, list[str]]:
    """The suffix that names the type a server may send the file as ("" if none does), and the
    encodings after it. Python's mimetypes (`sitegen serve` once, many a dev server) takes the
    last suffix but an encoding (`x.html.gz`: HTML); Apache the rightmost suffix it knows,
    skipping the others (`x.html.en`, `x.svg.bak`: HTML, SVG). Apache's rule finds every type
    the other one does, and is the one followed here."""
    name = rel.lower().rsplit("/", 1)[-1]
    encodings: list[str] = []
    for part in reversed(name.split(".")[1:]):
        suffix = "." + part
        if suffix == ".svgz":  # Python's mimetypes: .svg.gz
            return ".svg", [*encodings, "gzip"]
        if suffix in ENCODINGS:
            encodings.append(ENCODINGS[suffix])
        elif suffix in _KNOWN:
            return suffix, encodings
    return "", encodings


def asset_problem(rel: str, path: str, html_allowed: Callable[[], bool]) -> Problem | None:
    """Why the asset at `path` (`rel` below its folder) may not be published, or None."""
    suffix, encodings = type_of(rel)
    if not suffix and not encodings:
        suffix = _sniffed(path)
    if suffix in HTML_SUFFIXES:
        if not encodings and _opens_with_front_matter(path):
            return _POST_PROBLEM
        return None if html_allowed() else _HTML_PROBLEM
    if suffix in XSLT_SUFFIXES:
        return _XSLT_PROBLEM
    if suffix not in MARKUP_SUFFIXES:
        return None
    kind = "SVG drawing" if suffix == ".svg" else "XML file"
    data = _document(path, encodings, kind)
    if not isinstance(data, bytes):
        return data
    found = script_in_markup(data)
    if found is None:
        return None
    line, col, what = found
    if what.startswith("not "):
        return line, col, f"this {kind} is {what}, so sitegen cannot check it for script", _UNREADABLE_HINT
    return line, col, f"this {kind} holds script ({what}), which would run on the site's own pages", _SVG_HINT


_HTML_PROBLEM = (
    1,
    1,
    "an HTML file would be published as it is, running whatever script it holds on the site",
    "make it a page (a Markdown file) or a PDF; if every editor may publish script, "
    "allow HTML files with `html_assets: true` in site.yaml (a name like x.html.gz or a file "
    "without a suffix that starts like a web page is an HTML file too)",
)
_POST_PROBLEM = (
    1,
    1,
    "this HTML file opens with front matter, as the posts jekyll-import writes do: it would be published as written",
    "rename it to .md: a Markdown file may hold HTML, which becomes the item's page (cleaned, as any body)",
)
_XSLT_PROBLEM = (
    1,
    1,
    "an XSLT stylesheet would be published: a browser runs it on the site's XML and SVG files, "
    "and it can write script into them",
    "publish what it makes (run the transform and publish its result), or put it in a .zip to offer it for download",
)
_SVG_HINT = (
    "remove it (and every on… attribute, javascript: link, <foreignObject>, animated link and "
    "<?xml-stylesheet?>): export the drawing again as plain SVG, or as PNG"
)
_UNREADABLE_HINT = (
    "fix it at this line (browsers show no drawing for a file that is not well-formed XML), or export it "
    "again as plain SVG in UTF-8, or as PNG"
)
_PACKED_HINT = "publish it uncompressed or gzipped (.svgz, .svg.gz): web servers compress what they send anyway"


def _opens_with_front_matter(path: str) -> bool:
    with open(path, "rb") as file:
        return file.read(5).removeprefix(b"\xef\xbb\xbf")[:4].rstrip(b"\r") in (b"---\n", b"---")


def _sniffed(path: str) -> str:
    """A file no suffix known here gives a type: Apache sends it with none (or as its own table
    says), and browsers read its first bytes to guess. ".html" when they would take it for HTML,
    ".xml" for any other markup, else ""."""
    with open(path, "rb") as file:
        head = file.read(SNIFFED_BYTES).removeprefix(b"\xef\xbb\xbf")
    if _SNIFFED_HTML.match(head):
        return ".html"
    # Any markup at all: a server's own table may name the suffix an XML type (/etc/mime.types
    # has some 130 that Python's lacks, .xspf among them), and browsers open every +xml type.
    return ".xml" if head.lstrip(b"\t\n\x0c\r ").startswith(b"<") else ""


def _document(path: str, encodings: list[str], kind: str) -> bytes | Problem:
    """The bytes a browser would read as the document, or why they cannot be checked. A
    `.svgz`/`.svg.gz` that is gzip is read as what it unpacks to (a server that names the
    encoding sends it so, and browsers unpack it); one that is not gzip is read as it is (a
    server that drops the encoding sends it as an SVG, as `sitegen serve` once did). Other encodings are refused rather
    than unpacked: browsers unpack brotli and zstd, which Python cannot, and a site gains
    nothing from them (web servers compress what they send)."""
    if encodings and encodings != ["gzip"]:
        what = " and ".join(encodings)
        return 1, 1, f"this {kind} is compressed ({what}), so sitegen cannot check it for script", _PACKED_HINT
    with open(path, "rb") as file:
        data = file.read()
    if not encodings or not data.startswith(b"\x1f\x8b"):
        return data
    unpacked = _gunzip(data)
    if unpacked is None:
        return 1, 1, f"this gzipped {kind} does not unpack to one file of a reasonable size", _PACKED_HINT
    return unpacked


def script_in_markup(data: bytes) -> Finding | None:
    """(line, column, what) of the first thing in an XML document (SVG, XHTML, XSLT) that runs
    script when a browser opens it, or of its first mistake when it is not well-formed XML
    (browsers run what comes before it; entities and encodings that another parser reads
    otherwise could hide script from this one); None when there is none."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[Finding] = []

    def note(what: str | None) -> None:
        if what and not found:
            found.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, what))

    parser.StartElementHandler = lambda name, attributes: note(_element_script(name, attributes))
    parser.ProcessingInstructionHandler = lambda target, _: note(f"the processing instruction <?{target}?>")
    parser.EntityDeclHandler = lambda name, _p, _v, _b, system, _pub, _n: note(
        f"the external entity `{name}`" if system else None
    )
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code)  # "unbound prefix", "not well-formed (invalid token)"
        what = reason if reason.startswith("not well-formed") else f"not well-formed XML ({reason})"
        found.append((error.lineno, error.offset + 1, what))
    except ValueError as error:  # an encoding expat cannot read ("multi-byte encodings are not supported")
        found.append((1, 1, f"not readable as XML ({error}; save it as UTF-8)"))
    return found[0] if found else None


def _element_script(name: str, attributes: dict[str, str]) -> str | None:
    """What in this element runs script, or None. Elements and attributes are known by their
    local name whatever their namespace (`<h:script>` in the XHTML namespace is a script)."""
    namespace, _, local = name.rpartition(" ")
    if local.lower() in _ACTIVE_ELEMENTS:
        return f"a <{local}> element"
    if namespace == _XSLT_NAMESPACE:
        return f"an XSLT <{local}> element"
    for attribute, value in attributes.items():
        short = attribute.rsplit(" ", 1)[-1]
        if short.lower().startswith("on"):
            return f"the `{short}` attribute of <{local}>"
        scheme = _script_scheme(value)
        if scheme:
            return f"a `{scheme}` address in <{local} {short}>"
    return _animated_script(local, attributes) if local.lower() in _ANIMATIONS else None


def _animated_script(local: str, attributes: dict[str, str]) -> str | None:
    """An SVG animation that changes a link (`<animate attributeName="href">` makes any link a
    `javascript:` one at some moment) or an event handler, or gives a scripting address in any
    entry of its `;`-separated values."""
    target = _URL_NOISE.sub("", attributes.get("attributeName", "")).rsplit(":", 1)[-1].lower()
    if target == "href" or target.startswith("on"):
        return f"<{local}> changing the `{target}` attribute"
    for key in _ANIMATED_VALUES:
        for entry in attributes.get(key, "").split(";"):
            scheme = _script_scheme(entry)
            if scheme:
                return f"a `{scheme}` address in <{local} {key}>"
    return None


def _script_scheme(value: str) -> str | None:
    """`javascript:` (or another scripting scheme) when the value is an address that runs script."""
    address = _URL_NOISE.sub("", value).lower()
    return address.split(":", 1)[0] + ":" if _SCRIPT_URL.match(address) else None


def _gunzip(data: bytes) -> bytes | None:
    try:
        unpacker = zlib.decompressobj(wbits=47)  # gzip or zlib header
        out = unpacker.decompress(data, LARGEST_SVGZ)
    except zlib.error:
        return None
    # More after the gzip stream (a second member) is what some browser may unpack too, unchecked.
    return None if unpacker.unconsumed_tail or unpacker.unused_data else out
