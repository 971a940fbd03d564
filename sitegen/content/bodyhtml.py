"""A body's HTML from markdown-it-pyrs's syntax tree, in one walk that also notes what the
build needs from the body: its headings (nested under the page's h1, with ids), its links and
images (rewritten by the caller), the text of its first paragraphs and the editor's
accessibility warnings.

The HTML is written the way nh3 writes HTML (`<br>`, quotes in text left alone), and the same
block layout as markdown-it-py gave, so a body without raw HTML needs no sanitizing pass:
everything in it was escaped here, and link schemes are checked here as nh3 checks them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it_pyrs import Node

from sitegen.content.lint import (
    Finding,
    empty_header_finding,
    heading_findings,
    image_finding,
    link_finding,
    table_finding,
)

# resolve(url, line, is_image) -> the address to write
Resolver = Callable[[str, int, bool], str]

_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_NEEDS_ESCAPE = re.compile('[&<>"\xa0]')
# A character escape_text changes reaches a text node only from the source (as written, as an
# entity `&...;` or escaped `\<`; the typographer adds none): a body without one skips escaping.
_NBSP = "\xa0".encode()
_SIMPLE_TAGS = {"em": ("<em>", "</em>"), "strong": ("<strong>", "</strong>"), "strikethrough": ("<s>", "</s>")}
_TEXT = ("text", "text_special")
_NO_NEW_LINE_AFTER_TEXT = ("fence", "code_block", "html_block")
_INLINE = frozenset(
    {"text", "text_special", "softbreak", "hardbreak", "em", "strong", "strikethrough", "code_inline"}
    | {"link", "autolink", "image", "html_inline", "footnote_ref", "footnote_inline"}
)
_ALIGN = {"left", "center", "right"}
_BLOCKS = {"root", "paragraph", "heading", "lheading", "bullet_list", "ordered_list", "list_item", "blockquote"}
_BLOCKS |= {"fence", "code_block", "html_block", "hr", "table", "thead", "tbody", "trow", "tcell", "definition"}
_BLOCKS |= {"footnote_container", "footnote_def", "footnote_ref_anchor"}
KNOWN_NODES = _INLINE | _BLOCKS  # every node type the parser gives with the plugins markdown.py enables


def escape_text(text: str) -> str:
    """As nh3 writes text: quotes stay quotes."""
    if not _NEEDS_ESCAPE.search(text):  # most text: one C scan, no copies
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def escape_attr(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    return escape_text(text).replace('"', "&quot;")


def allowed_url(url: str) -> bool:
    """nh3's rule: relative addresses pass; absolute ones only with a scheme we allow."""
    scheme = _SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in _URL_SCHEMES


def plain_text(node: Node) -> str:
    """What a screen reader gets for an image's alt text or a link's words."""
    parts: list[str] = []
    for child in node.children:
        name = child.name
        if name in ("text", "text_special"):
            parts.append(child.meta["content"])
        elif name in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(plain_text(child))
    return "".join(parts)


@dataclass
class _Heading:
    at: int  # index of its opening tag in the output
    close_at: int
    written: int  # the level the editor wrote
    line: int
    title: str  # its text, for the id


@dataclass
class BodyHtml:
    html: str
    has_raw_html: bool  # an editor's own HTML is in it: it needs nh3
    first_paragraphs: list[str]  # words of the top-level paragraphs, for the excerpt
    findings: list[Finding] = field(default_factory=list)


class BodyWriter:
    """One body: call write(tree) once."""

    def __init__(self, source: bytes, resolve: Resolver, slug: Callable[[str], str], excerpt_chars: int) -> None:
        self.out: list[str] = []
        self.source = source
        self.resolve = resolve
        self.slug = slug
        self.escaping = b"&" in source or b"<" in source or b">" in source or _NBSP in source  # C scans
        self._line_at, self._line = 0, 1  # the last offset line_of counted up to, and its line
        self.findings: list[Finding] = []
        self.headings: list[_Heading] = []
        self.has_raw_html = False
        self.excerpt_chars = excerpt_chars
        self.excerpt_words: list[str] = []
        self.excerpt_length = 0
        self.collecting: list[str] | None = None  # text of the top-level paragraph being written
        self.footnotes: dict[int, list[str]] = {}  # def id -> the ids of its references, in order
        self.footnote_number: dict[int, int] = {}

    def write(self, root: Node) -> BodyHtml:
        # Each read of a node's name, children or meta builds a new Python object in
        # markdown-it-pyrs, so every node's name is read once and handed down with it.
        for child in root.children:
            name = child.name
            if name == "paragraph" and self.excerpt_length <= self.excerpt_chars:
                self._top_paragraph(child)
            else:
                self._block(child, name)
        self._finish_headings()
        self.findings.sort(key=lambda finding: finding.line)  # stable: in the order of the text
        return BodyHtml("".join(self.out), self.has_raw_html, self.excerpt_words, self.findings)

    def line_of(self, node: Node, fallback: int = 1) -> int:
        """Counts new lines from the last node asked about: nodes are asked about in the order
        of the text, so a body is scanned about once however many links it has."""
        srcmap = node.srcmap
        if not srcmap:
            return fallback
        at = srcmap[0]
        if at < self._line_at:
            self._line_at, self._line = 0, 1
        self._line += self.source.count(b"\n", self._line_at, at)
        self._line_at = at
        return self._line

    # Blocks

    def _top_paragraph(self, node: Node) -> None:
        self.collecting = []
        self._block(node, "paragraph")
        words = "".join(self.collecting).split()
        self.collecting = None
        self.excerpt_words.extend(words)
        self.excerpt_length += sum(map(len, words)) + len(words)

    def _blocks(self, nodes: list[Node]) -> None:
        """In a tight list item, text comes without a paragraph around it: each run of inline
        nodes is written as one."""
        out = self.out
        start = 0
        for index, node in enumerate(nodes):
            name = node.name
            if name in _INLINE:
                continue
            if start < index:
                self._inlines(nodes[start:index])
                if name not in _NO_NEW_LINE_AFTER_TEXT:
                    out.append("\n")  # (markdown-it wrote those three without the new line)
            start = index + 1
            self._block(node, name)
        if start < len(nodes):
            self._inlines(nodes[start:])

    def _block(self, node: Node, name: str) -> None:
        out = self.out
        if name == "paragraph":
            out.append("<p>")
            self._inlines(node.children)
            out.append("</p>\n")
        elif name in ("heading", "lheading"):
            self._heading(node)
        elif name in ("bullet_list", "ordered_list"):
            self._list(node, name)
        elif name == "blockquote":
            children = node.children
            out.append("<blockquote>\n" if children else "<blockquote>")
            self._blocks(children)
            out.append("</blockquote>\n")
        elif name in ("fence", "code_block"):
            self._code(node.meta)
        elif name == "html_block":
            self.has_raw_html = True
            content = node.meta["content"]
            out.append(content)
            if "<table" in content and "<th" not in content:
                self.findings.append(table_finding(self.line_of(node)))
        elif name == "hr":
            out.append("<hr>\n")
        elif name == "table":
            self._table(node)
        elif name == "footnote_container":
            self._footnotes(node)
        elif name != "definition":  # a link reference definition writes nothing
            self._blocks(node.children)

    def _list(self, node: Node, name: str) -> None:
        out = self.out
        if name == "ordered_list":
            start = node.meta.get("start", 1)
            out.append("<ol>\n" if start == 1 else f'<ol start="{start}">\n')
        else:
            out.append("<ul>\n")
        for item in node.children:
            children = item.children
            # markdown-it's layout: a new line after the opening tag unless text follows it
            out.append("<li>" if not children or children[0].name in _INLINE else "<li>\n")
            self._blocks(children)
            out.append("</li>\n")
        out.append("</ol>\n" if name == "ordered_list" else "</ul>\n")

    def _heading(self, node: Node) -> None:
        title_parts: list[str] = []
        at = len(self.out)
        self.out.append("")  # the opening tag, once the levels of all headings are known
        self._inlines(node.children, title_parts)
        self.headings.append(_Heading(at, len(self.out), node.meta["level"], self.line_of(node), "".join(title_parts)))
        self.out.append("")

    def _finish_headings(self) -> None:
        """The body's top level becomes h2 and a level never skips (lint warns the editor);
        every heading gets an id from its text, unique in the page."""
        if not self.headings:
            return
        written = [heading.written for heading in self.headings]
        self.findings[:0] = heading_findings([(h.written, h.line) for h in self.headings])
        shift = 2 - min(written)
        previous = 1
        slugs: set[str] = set()
        for heading in self.headings:
            previous = min(heading.written + shift, previous + 1, 6)
            ident = _unique(self.slug(heading.title), slugs)
            self.out[heading.at] = f'<h{previous} id="{escape_attr(ident)}">'
            self.out[heading.close_at] = f"</h{previous}>\n"

    def _code(self, meta: dict) -> None:
        language = str(meta.get("info", "")).strip().split(maxsplit=1)
        opening = f'<pre><code class="language-{escape_attr(language[0])}">' if language else "<pre><code>"
        self.out.append(opening + escape_text(meta["content"]) + "</code></pre>\n")

    def _table(self, node: Node) -> None:
        alignments = node.meta.get("alignments", [])
        out = self.out
        out.append("<table>\n")
        for part in node.children:
            part_name = part.name
            cell_tag = "th" if part_name == "thead" else "td"
            openings = [f'<{cell_tag} style="text-align:{a}">' if a in _ALIGN else f"<{cell_tag}>" for a in alignments]
            opening, closing = f"<{cell_tag}>", f"</{cell_tag}>\n"
            rows = part.children
            out.append(f"<{part_name}>\n")
            for row in rows:
                out.append("<tr>\n")
                for column, cell in enumerate(row.children):
                    out.append(openings[column] if column < len(openings) else opening)
                    self._inlines(cell.children)
                    out.append(closing)
                out.append("</tr>\n")
            out.append(f"</{part_name}>\n")
            if part_name == "thead" and not any(plain_text(cell).strip() for cell in rows[0].children):
                self.findings.append(empty_header_finding(self.line_of(node)))
        out.append("</table>\n")

    # Inline

    def _inlines(self, nodes: list[Node], title: list[str] | None = None) -> None:
        """Text and soft breaks, most of a body's nodes, written here without a call each."""
        out = self.out
        collecting = self.collecting  # (changes only between top-level blocks)
        escaping = self.escaping
        for node in nodes:
            name = node.name
            if name in _TEXT:
                content = node.meta["content"]
                out.append(escape_text(content) if escaping else content)
                if title is not None:
                    title.append(content)
                if collecting is not None:
                    collecting.append(content)
            elif name == "softbreak":
                out.append("\n")
                if collecting is not None:
                    collecting.append(" ")
            else:
                self._inline(node, name, title)

    def _inline(self, node: Node, name: str, title: list[str] | None) -> None:
        out = self.out
        if name in _SIMPLE_TAGS:
            opening, closing = _SIMPLE_TAGS[name]
            out.append(opening)
            self._inlines(node.children, title)
            out.append(closing)
        elif name in ("link", "autolink"):
            self._link(node, title)
        elif name == "hardbreak":
            out.append("<br>\n")
            if self.collecting is not None:
                self.collecting.append(" ")
        elif name == "code_inline":
            code = self._code_text(node)
            out.append(f"<code>{escape_text(code)}</code>")
            if title is not None:
                title.append(code)
            if self.collecting is not None:
                self.collecting.append(code)
        elif name == "image":
            self._image(node)
        elif name == "html_inline":
            self.has_raw_html = True
            out.append(node.meta["content"])
        elif name == "footnote_ref":
            self._footnote_ref(node.meta)
        else:  # footnote_inline, and any node type a later parser adds: keep its words
            self._inlines(node.children, title)

    def _code_text(self, node: Node) -> str:
        """Code as written: markdown-it-pyrs runs its typographer inside code spans too
        (`...` became `…`), so the text is taken from the source instead."""
        spans = [child.srcmap for child in node.children]
        if not spans or None in spans:
            return plain_text(node)
        start, end = spans[0][0], spans[-1][1]  # type: ignore[index]
        try:
            return self.source[start:end].decode().replace("\n", " ")
        except UnicodeDecodeError:  # a source map off by some bytes, seen only in fuzzed input
            return plain_text(node)

    def _link(self, node: Node, title: list[str] | None) -> None:
        meta = node.meta
        line = self.line_of(node)
        href = self.resolve(meta["url"], line, False)
        attributes = f' href="{escape_attr(href)}"' if allowed_url(href) else ""
        if "title" in meta:
            attributes += f' title="{escape_attr(meta["title"])}"'
        self.out.append(f"<a{attributes}>")
        children = node.children
        self._inlines(children, title)
        self.out.append("</a>")
        only = children[0] if len(children) == 1 else None  # most links: one text, already in hand
        text = only.meta["content"] if only is not None and only.name == "text" else plain_text(node)
        finding = link_finding(text, line)
        if finding:
            self.findings.append(finding)

    def _image(self, node: Node) -> None:
        meta = node.meta
        line = self.line_of(node)
        src = self.resolve(meta["url"], line, True)
        alt = plain_text(node)
        attributes = f' src="{escape_attr(src)}"' if allowed_url(src) else ""
        attributes += f' alt="{escape_attr(alt)}"'
        if "title" in meta:
            attributes += f' title="{escape_attr(meta["title"])}"'
        self.out.append(f"<img{attributes}>")
        finding = image_finding(alt, line)
        if finding:
            self.findings.append(finding)

    # Footnotes: numbered in the order they are first referred to, as markdown-it-py numbers them

    def _footnote_ref(self, meta: dict) -> None:
        def_id = meta["def_id"]
        number = self.footnote_number.setdefault(def_id, len(self.footnote_number) + 1)
        refs = self.footnotes.setdefault(def_id, [])
        ref_id = f"{number}:{len(refs)}" if refs else str(number)
        refs.append(ref_id)
        self.out.append(f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{ref_id}">[{ref_id}]</a></sup>')

    def _footnotes(self, node: Node) -> None:
        definitions = {d.meta["def_id"]: d for d in node.children if d.name == "footnote_def"}
        used = sorted((number, def_id) for def_id, number in self.footnote_number.items() if def_id in definitions)
        if not used:
            return
        self.out.append('<hr class="footnotes-sep">\n<section class="footnotes">\n<ol class="footnotes-list">\n')
        for number, def_id in used:
            self.out.append(f'<li id="fn{number}" class="footnote-item">')
            self._footnote_body(definitions[def_id], self.footnotes[def_id])
            self.out.append("</li>\n")
        self.out.append("</ol>\n</section>\n")

    def _footnote_body(self, definition: Node, refs: list[str]) -> None:
        backrefs = "".join(f' <a href="#fnref{ref}" class="footnote-backref">\u21a9\ufe0e</a>' for ref in refs)
        blocks = [child for child in definition.children if child.name != "footnote_ref_anchor"]
        if blocks and blocks[-1].name == "paragraph":
            self._blocks(blocks[:-1])
            self.out.append("<p>")
            self._inlines(blocks[-1].children)
            self.out.append(backrefs + "</p>\n")
        else:
            self._blocks(blocks)
            self.out.append(backrefs)


def _unique(slug: str, taken: set[str]) -> str:
    unique, number = slug, 1
    while unique in taken:
        unique, number = f"{slug}-{number}", number + 1
    taken.add(unique)
    return unique
