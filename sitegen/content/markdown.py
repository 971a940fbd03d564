"""The one Markdown parser: markdown-it-py with mdit-py-plugins (tables, footnotes, definition
lists, image attributes, callouts, typographer) and sitegen's rules (markdown_rules.py). A body
becomes its HTML, its excerpt, the files it points to and the editor's accessibility findings.

Text is escaped as nh3 writes it (quotes stay quotes), so a body without raw HTML needs no
sanitizing pass: markdown-it escaped everything in it and refused `javascript:`, `vbscript:`,
`file:` and `data:` addresses (its validateLink). A body with an editor's own HTML goes
through nh3 with the site's policy."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import markdown_it.rules_block
import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.content import headings
from sitegen.content import markdown_rules as rules
from sitegen.content.addresses import URL_SCHEMES, Reference, Resolver, normalize_link
from sitegen.content.body_slips import WebAddresses, body_slips, indented_code, note_marks
from sitegen.content.config import HtmlPolicy
from sitegen.content.excerpt import excerpt
from sitegen.content.lint import Finding
from sitegen.content.liquid import liquid_highlight
from sitegen.content.markdown_html import BodyRenderer, callout
from sitegen.content.typography import typographer
from sitegen.urls import make_slug

MAX_NESTING = 20  # lists or quotes deeper than this are text: 50,000 `> ` cost no stack

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
    # What sitegen's own markup uses (heading anchors, callouts, the table of contents).
    "span": {"aria-hidden"},
    "div": {"role"},
    "nav": {"aria-label"},
}
_IMAGE_ATTRIBUTES = ("id", "class", "width", "height", "loading")


@dataclass
class Rendered:
    html: str
    excerpt: str
    references: list[Reference] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # accessibility warnings for the editor
    site_links: list[tuple[int, str, str]] = field(default_factory=list)  # Resolver.site_links


@dataclass
class Link:
    """A link or image in a body as the editor wrote it (for `sitegen check`)."""

    href: str
    line: int  # body line (1-based)
    is_image: bool
    alt: str | None = ""  # a Markdown image's alt text (None: an image of raw HTML)


def render(
    body: str,
    content_path: str,
    base_path: str,
    policy: HtmlPolicy,
    exists: Callable[[str], bool] | None = None,
    site_url: str = "",
) -> Rendered:
    """`exists(content path)` says whether a file in content/ is there: a link or image that
    names one that is not is shown as its words alone (and its Reference says so). `site_url`:
    the site's base_url, whose host's addresses are the site's own."""
    resolver = Resolver(content_path, base_path, exists, site_url)
    env = environment(resolver, policy)
    md = _parser_for(body.replace("\r", "\n") if "\r" in body else body)  # its marks begin lines
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    if "<" in body and any(token.type == "html_block" or _has_inline_html(token) for token in tokens):
        html = _cleaner(policy)(html)  # only an editor's own HTML can bring what nh3 removes
    rules.add_finding(env["sitegen_findings"], rules.nesting_finding(tokens, MAX_NESTING))
    findings = sorted(env["sitegen_findings"], key=lambda finding: finding.line)
    return Rendered(html, excerpt(tokens, body), resolver.references, findings, resolver.site_links)


def links(body: str) -> list[Link]:
    """Every link and image as written, with its line (the build rewrites them: render())."""
    recorder = _AsWritten()
    env = environment(recorder, HtmlPolicy(sanitize=False))
    found = recorder.found
    tokens = _parser().parse(body, env)
    # Each Markdown image's alt text, by its address in order; an image of the editor's own
    # HTML has none here (lint.py reads its alt attribute).
    alts: dict[str, list[str]] = {}
    for child in (c for t in tokens for c in t.children or () if c.type == "image"):
        alts.setdefault(str(child.attrGet("src") or ""), []).append(rules.plain_text(child))
    for link in found:
        if link.is_image:
            link.alt = alts[link.href].pop(0) if alts.get(link.href) else None
    return found


def environment(resolver: Resolver | _AsWritten, policy: HtmlPolicy) -> dict[str, Any]:
    """One body's notes, which sitegen's rules read and write (markdown_rules.py)."""
    return {
        "sitegen_findings": [],
        "sitegen_headings": [],
        "sitegen_resolver": resolver,
        "sitegen_policy": (policy, _TAGS, _ATTRIBUTES),
    }


class _AsWritten:
    """A Resolver that keeps every address as written and notes it (for links())."""

    def __init__(self) -> None:
        self.found: list[Link] = []

    def resolve(self, raw: str, line: int, is_image: bool) -> str:
        self.found.append(Link(raw, line, is_image))
        return raw

    def template_syntax(self, text: str, line: int) -> None:
        pass


def _has_inline_html(token: Token) -> bool:
    return token.type == "inline" and any(child.type == "html_inline" for child in token.children or ())


def _normalize(state: StateCore) -> None:
    """markdown-it's first rule (line endings as `\n`, NUL as U+FFFD) with `in` before each
    replacing: its regular expression replaced every `\n` by itself, 2% of a cold build
    (py-spy, 10,000 posts) for bodies that hold no `\r` or NUL."""
    text = state.src
    if "\r" in text:  # a file saved on Windows
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text


def _parser_for(text: str) -> MarkdownIt:
    """The parser with only the plugins whose mark is in the text: a plugin's block rule is
    tried at every line and its inline rule at every `[`, so a body without footnotes,
    definitions, `:::` or braces is parsed without them, to the same tokens (3% of a body's
    parse at 10,000 posts; the golden sites and test_markdown.py hold the HTML)."""
    return _parser(
        footnotes="[^" in text or "^[" in text,
        definitions=_FIRST_DEFINITION(text) is not None or _LATER_DEFINITION(text) is not None,
        callouts=":::" in text,
        attributes="{" in text,
        jekyll_code="endhighlight" in text,
    )


# A definition's `:` or `~` begins its line, after spaces or the `>` of quotes (deflist looks
# at a line's first character inside its blocks). Two patterns rather than one `^` with
# re.MULTILINE: a pattern that starts with `\n` is searched for by that character alone, 5 µs a
# corpus body instead of 49 (timeit, a 7.6 KB body).
_FIRST_DEFINITION = re.compile(r"[ \t>]*[:~]").match
_LATER_DEFINITION = re.compile(r"\n[ \t>]*[:~]").search


class _Silent:
    """A logger that says nothing: markdown-it's block rules log each call at debug level, ~320
    calls a body for messages nobody reads, 1.7% of its parse (callgrind, 200 corpus bodies:
    11.74 -> 11.54 M instructions a body). `"".format` takes any arguments and is no Python call."""

    debug = staticmethod("".format)


@cache
def _silence_block_rules() -> None:
    for found in pkgutil.iter_modules(markdown_it.rules_block.__path__):
        module = importlib.import_module(f"markdown_it.rules_block.{found.name}")
        if isinstance(getattr(module, "LOGGER", None), logging.Logger):
            module.LOGGER = _Silent()  # type: ignore[attr-defined]


# markdown-it's rules ask for these with options.get(name, False), which raises and catches a
# KeyError inside its options' Mapping when the option is not set (strikethrough's, once a
# paragraph: 1% of a cold build, py-spy at 10,000 posts). Set to their defaults: the same parse.
_OFF = dict.fromkeys(("strikethrough_single_tilde", "tasklists", "alerts", "inline_definitions", "store_labels"), False)


@cache
def _parser(
    footnotes: bool = True,
    definitions: bool = True,
    callouts: bool = True,
    attributes: bool = True,
    jekyll_code: bool = True,
) -> MarkdownIt:
    # "commonmark" lets editors write raw HTML (nh3 then sanitizes the body); no xhtml `/>`.
    _silence_block_rules()
    options = {"html": True, "typographer": True, "xhtmlOut": False, "maxNesting": MAX_NESTING, **_OFF}
    md = MarkdownIt("commonmark", {**options, "linkify": True}, renderer_cls=BodyRenderer)
    md.linkify = WebAddresses()  # for body_slips.note_marks: a bare address becomes a link
    md.core.ruler.at("normalize", _normalize)
    md.enable(["table", "strikethrough", "replacements"])
    md.core.ruler.at("replacements", typographer)  # replacements and smartquotes, tested faster
    if footnotes:
        md.use(footnote_plugin)
    if definitions:
        md.use(deflist_plugin)
    if attributes:
        md.use(attrs_plugin, after=("image",), allowed=_IMAGE_ATTRIBUTES)
    if callouts:
        # `::: note` ... `:::`, the other way to write a callout: one rule for the five kinds (a
        # rule each is a look at every line five times over).
        md.use(container_plugin, name="callout", validate=_callout_kind, render=_render_container)
    if jekyll_code:  # liquid.py: `{% highlight %}` blocks, which may interrupt a paragraph as a fence does
        md.block.ruler.before(
            "fence", "liquid_highlight", liquid_highlight, {"alt": ["paragraph", "blockquote", "list"]}
        )
    # body_slips.py: two hooks note where markdown-it meets a slip's mark; its core rule runs
    # before the footnote tail (which drops unused notes) and the typographer (text as written).
    md.block.ruler.at("code", indented_code)
    md.inline.ruler.push("sitegen_marks", note_marks)  # last: where no other rule took the mark
    md.core.ruler.after("inline", "sitegen_body_slips", body_slips)
    md.core.ruler.push("sitegen_heading_attributes", headings.heading_attributes)
    md.core.ruler.push("sitegen_callouts", rules.callouts)
    md.core.ruler.push("sitegen_headings", headings.nest_headings(make_slug))
    md.core.ruler.push("sitegen_toc", headings.table_of_contents)
    md.core.ruler.push("sitegen_references", rules.references)
    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    return md


def _callout_kind(params: str, *args: Any) -> bool:
    return params.strip().split(" ", 1)[0].lower() in rules.CALLOUTS


def _render_container(renderer: Any, tokens: list[Token], index: int, options: Any, env: dict) -> str:
    token = tokens[index]
    return callout(token.info.strip().split(" ", 1)[0].lower()) if token.nesting == 1 else "</div>\n"


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
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    return cleaner.clean
