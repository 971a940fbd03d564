"""The one Markdown parser (markdown-it-pyrs: tables, footnotes, typographer), reference
rewriting, sanitizing, excerpts. The HTML itself is written by bodyhtml.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import nh3
from markdown_it_pyrs import MarkdownIt

from sitegen.content.bodyhtml import BodyWriter, plain_text
from sitegen.content.config import HtmlPolicy
from sitegen.content.lint import Finding
from sitegen.content.mdbugs import parse_tree
from sitegen.urls import is_external, item_url, make_slug, resolve_content_ref, slug_from_filename

EXCERPT_CHARS = 180
_FOLDER_TYPES = {"news": "news", "events": "event", "calls": "call", "programmes": "programme"}

# Ordinary markup an editor may write as raw HTML; scripts, styles, forms and event
# handlers are dropped. Obsolete tags are left out so pages stay valid HTML5.
_TAGS = (set(nh3.ALLOWED_TAGS) - {"acronym", "center", "strike", "tt"}) | {"section"}
_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "abbr": {"title"},
}


@dataclass
class Reference:
    """A link or image in a body that points inside content/."""

    raw: str
    content_path: str | None  # None: it points outside content/
    line: int  # line in the body (1-based)
    is_image: bool


@dataclass
class Rendered:
    html: str
    excerpt: str
    references: list[Reference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # accessibility warnings for the editor


@cache
def _parser() -> MarkdownIt:
    # markdown-it-pyrs, not markdown-it-py: the same markdown-it rules compiled (Rust), about
    # ten times faster, and parsing was most of a big site's build (docs/performance.md).
    # "commonmark" lets editors write raw HTML; nh3 then sanitizes the body.
    return MarkdownIt("commonmark").enable_many(["table", "strikethrough", "footnote", "replacements", "smartquotes"])


@cache
def _cleaner(policy: HtmlPolicy) -> Callable[[str], str]:
    if not policy.sanitize:
        return lambda html: html
    attributes = {tag: set(names) for tag, names in _ATTRIBUTES.items()}
    for tag, names in policy.extra_attributes:
        attributes.setdefault(tag, set()).update(names)
    cleaner = nh3.Cleaner(
        tags=_TAGS | set(policy.extra_tags),
        clean_content_tags={"script", "style"} - set(policy.extra_tags),
        attributes=attributes,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    return cleaner.clean


def render(body: str, content_path: str, base_path: str, policy: HtmlPolicy) -> Rendered:
    references: list[Reference] = []

    def resolve(ref: str, line: int, is_image: bool) -> str:
        return _resolve(ref, line, is_image, content_path, base_path, references)

    tree, text = parse_tree(_parser().tree, _unix_newlines(body))
    written = BodyWriter(text.encode(), resolve, make_slug, EXCERPT_CHARS).write(tree)
    # Only an editor's own HTML can bring what nh3 removes: the rest was escaped as written.
    html = _cleaner(policy)(written.html) if written.has_raw_html else written.html
    return Rendered(html, cut_at_word(" ".join(written.first_paragraphs), EXCERPT_CHARS), references, written.findings)


def _unix_newlines(body: str) -> str:
    """Files saved on Windows: the parser keeps `\r` in its source map and in code spans."""
    return body.replace("\r\n", "\n").replace("\r", "\n") if "\r" in body else body


def cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def _resolve(ref: str, line: int, is_image: bool, content_path: str, base_path: str, found: list[Reference]) -> str:
    """Relative links and images are resolved against the Markdown file's folder, so an
    editor can write `photo.jpg` or `../media/photo.jpg` and every page and feed works."""
    if not ref or ref.startswith("#") or is_external(ref):
        return ref
    path, _, fragment = ref.partition("#")
    if path.startswith("/") and path.endswith("/"):
        # A page of the built site (`/events/`, `/tags/ai/`), not a file in content/.
        return base_path + ref
    target = resolve_content_ref(path, content_path)
    found.append(Reference(ref, target, line, is_image))
    if target is None:
        return ref
    site_path = _markdown_link_target(target) if target.endswith(".md") else "/" + target
    return base_path + site_path + (f"#{fragment}" if fragment else "")


def _markdown_link_target(content_path: str) -> str:
    """A link to another Markdown file goes to that item's page (by its file name)."""
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return item_url(_FOLDER_TYPES.get(folder, "page"), slug_from_filename(content_path))


@dataclass
class Link:
    """A link or image in a body as the editor wrote it (for `sitegen check`)."""

    href: str
    line: int  # body line (1-based)
    is_image: bool
    alt: str = ""  # an image's alt text


def links(body: str) -> list[Link]:
    tree, text = parse_tree(_parser().tree, _unix_newlines(body))
    source = text.encode()
    found = []
    for node in tree.walk():
        if node.name in ("link", "autolink", "image"):
            line = source.count(b"\n", 0, node.srcmap[0]) + 1 if node.srcmap else 1
            is_image = node.name == "image"
            found.append(Link(node.meta["url"], line, is_image, plain_text(node) if is_image else ""))
    return found
