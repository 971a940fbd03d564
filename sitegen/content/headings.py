"""sitegen's rules for a body's headings, run once markdown-it-py has made its tokens: heading
attributes (`## Title {#id .class}`), headings nested under the page's title with ids unique in
the page (`env["sitegen_headings"]`), and a table of contents where the editor writes `[[toc]]`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.rules_core import StateCore

from sitegen.content.lint import heading_findings
from sitegen.content.markdown_rules import closing_token, plain_text

_HEADING_ATTRS = re.compile(r"\s*\{((?:\s*[#.][\w-]+)+)\s*\}\s*$")
_TOC = re.compile(r"\[\[?toc\]?\]", re.IGNORECASE)


@dataclass
class Heading:
    level: int  # as shown, nested under the page's h1
    written: int  # as the editor wrote it
    line: int
    text: str
    ident: str


def heading_attributes(state: StateCore) -> None:
    """`## Title {#id .class}`: the braces go, the id and classes stay on the heading."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        last = inline.children[-1] if inline.children else None
        found = _HEADING_ATTRS.search(last.content) if last is not None and last.type == "text" else None
        if found is None or last is None:
            continue
        last.content = last.content[: found.start()]
        inline.content = _HEADING_ATTRS.sub("", inline.content)
        for part in found.group(1).split():
            if part.startswith("#"):
                token.attrSet("id", part[1:])
            else:
                token.attrJoin("class", part[1:])


def nest_headings(slug: Callable[[str], str]) -> Callable[[StateCore], None]:
    """The body's top level becomes h2 and a level never skips (lint.py warns the editor);
    every heading gets an id from its text (or its `{#id}`), unique in the page."""

    def rule(state: StateCore) -> None:
        tokens = state.tokens
        opened = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
        if not opened:
            return
        written = [int(tokens[index].tag[1]) for index in opened]
        shift, previous, used = 2 - min(written), 1, set()
        headings = state.env.setdefault("sitegen_headings", [])
        for index, level in zip(opened, written, strict=True):
            previous = min(level + shift, previous + 1, 6)
            opening, text = tokens[index], plain_text(tokens[index + 1])
            ident = _unique(str(opening.attrGet("id") or slug(text) or "section"), used)
            opening.attrSet("id", ident)
            closing = closing_token(tokens, index, "heading_close")
            opening.tag = closing.tag = f"h{previous}"
            closing.meta = {"ident": ident, "title": text}  # for the link to the section after it
            line = opening.map[0] + 1 if opening.map else 1
            headings.append(Heading(previous, level, line, text, ident))
        state.env["sitegen_findings"].extend(heading_findings([(h.written, h.line) for h in headings]))

    return rule


def _unique(ident: str, used: set[str]) -> str:
    found, count = ident, 1
    while found in used:
        found, count = f"{ident}-{count}", count + 1
    used.add(found)
    return found


def table_of_contents(state: StateCore) -> None:
    """A paragraph of `[[toc]]` (or `[TOC]`) alone becomes the list of the body's sections."""
    tokens = state.tokens
    if not _TOC.search(state.src):
        return  # one scan of the text, not a look at each paragraph
    for index in range(len(tokens) - 2):
        inline = tokens[index + 1]
        alone = inline.type == "inline" and _TOC.fullmatch(inline.content.strip())
        if tokens[index].type == "paragraph_open" and alone:
            tokens[index].type, tokens[index].tag, tokens[index].nesting = "toc", "", 0
            inline.type, inline.children, inline.content = "toc_body", [], ""
            tokens[index + 2].type, tokens[index + 2].nesting, tokens[index + 2].hidden = "toc_end", 0, True


def render_toc(headings: list[Heading], escape: Callable[[str], str]) -> str:
    """Nested lists of the h2 and h3 sections, in a navigation landmark of its own."""
    shown = [heading for heading in headings if heading.level <= 3]
    if not shown:
        return ""
    parts, depth = ['<nav class="toc" aria-label="Contents">\n<ol>\n'], 2
    for number, heading in enumerate(shown):
        if heading.level > depth:
            parts.append("<ol>\n")
        elif heading.level < depth:
            parts.append("</li>\n</ol>\n</li>\n")
        elif number:
            parts.append("</li>\n")
        depth = heading.level
        parts.append(f'<li><a href="#{escape(heading.ident)}">{escape(heading.text)}</a>')
    parts.append("</li>\n" + "</ol>\n</li>\n" * (depth - 2) + "</ol>\n</nav>\n")
    return "".join(parts)
