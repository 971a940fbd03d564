"""The one MarkdownIt instance: plugins, reference rewriting, sanitizing, excerpts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .config import HtmlPolicy
from .lint import Finding, lint_body
from .urls import is_external, item_url, make_slug, resolve_content_ref, slug_from_filename

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
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.core.ruler.push("sitegen_nest_headings", _nest_headings)  # before anchors: ids on h2+
    md.use(anchors_plugin, min_level=2, max_level=6, slug_func=make_slug)
    md.core.ruler.push("sitegen_references", _rewrite_references)
    return md


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
    md = _parser()
    env: dict = {"content_path": content_path, "base_path": base_path, "sitegen_refs": []}
    tokens = md.parse(body, env)
    html = _cleaner(policy)(md.renderer.render(tokens, md.options, env))
    return Rendered(html, excerpt(tokens), env["sitegen_refs"], lint_body(tokens))


def excerpt(tokens: list[Token], limit: int = EXCERPT_CHARS) -> str:
    """Text of the first paragraphs, cut at a word boundary with "…"."""
    words: list[str] = []
    inside_paragraph = False
    for token in tokens:
        if token.type == "footnote_block_open":
            break
        if token.type == "paragraph_open" and token.level == 0:  # not lists, quotes, tables
            inside_paragraph = True
        elif token.type == "paragraph_close":
            inside_paragraph = False
        elif token.type == "inline" and inside_paragraph:
            words.extend(_inline_text(token).split())
            if sum(len(w) + 1 for w in words) > limit:
                break
    return cut_at_word(" ".join(words), limit)


def cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append("")
    return "".join(parts)


def _nest_headings(state: StateCore) -> None:
    """Body headings nest under the page's h1: the body's top level becomes h2, and a heading
    never goes more than one level deeper than the one before it (lint.py warns the editor)."""
    previous = 1
    levels = [int(t.tag[1]) for t in state.tokens if t.type == "heading_open"]
    shift = 2 - min(levels) if levels else 0
    for token in state.tokens:
        if token.type == "heading_open":
            previous = min(int(token.tag[1]) + shift, previous + 1, 6)
            token.tag = f"h{previous}"
        elif token.type == "heading_close":
            token.tag = f"h{previous}"


def _rewrite_references(state: StateCore) -> None:
    """Relative links and images are resolved against the Markdown file's folder, so an
    editor can write `photo.jpg` or `../media/photo.jpg` and every page and feed works."""
    if state.env.get("sitegen_as_written"):
        return  # links(): the addresses as the editor wrote them
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1) if block.map else 1
        for token in block.children:
            attr = {"image": "src", "link_open": "href"}.get(token.type)
            if attr and isinstance(token.attrs.get(attr), str):
                token.attrs[attr] = _resolve(str(token.attrs[attr]), line, token.type == "image", state.env)


def _resolve(ref: str, line: int, is_image: bool, env: dict) -> str:
    if not ref or ref.startswith("#") or is_external(ref):
        return ref
    path, _, fragment = ref.partition("#")
    if path.startswith("/") and path.endswith("/"):
        # A page of the built site (`/events/`, `/tags/ai/`), not a file in content/.
        return env["base_path"] + ref
    target = resolve_content_ref(path, env["content_path"])
    env["sitegen_refs"].append(Reference(ref, target, line, is_image))
    if target is None:
        return ref
    site_path = _markdown_link_target(target) if target.endswith(".md") else "/" + target
    return env["base_path"] + site_path + (f"#{fragment}" if fragment else "")


def _markdown_link_target(content_path: str) -> str:
    """A link to another Markdown file goes to that item's page (by its file name)."""
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return item_url(_FOLDER_TYPES.get(folder, "page"), slug_from_filename(content_path))


@dataclass
class Link:
    """A link or image in a body as the editor wrote it (for `sitegen check`)."""

    href: str
    line: int  # body line of its paragraph (1-based)
    is_image: bool
    alt: str = ""  # an image's alt text


def links(body: str) -> list[Link]:
    found = []
    for block in _parser().parse(body, {"sitegen_as_written": True}):
        if block.type != "inline" or not block.children:
            continue
        line = (block.map[0] + 1) if block.map else 1
        for token in block.children:
            if token.type == "link_open":
                found.append(Link(str(token.attrs.get("href", "")), line, False))
            elif token.type == "image":
                found.append(Link(str(token.attrs.get("src", "")), line, True, token.content))
    return found
