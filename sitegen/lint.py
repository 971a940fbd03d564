"""Warnings for editors about what makes a page hard to use with a screen reader or a
keyboard: alt text that says nothing, links that say "click here", skipped heading
levels, tables without headers. They never stop a build."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

_VAGUE_LINKS = {"click here", "here", "read more", "more", "link", "this link", "click", "this page", "more info"}
_FILE_NAME = re.compile(r"^[\w.-]+\.(jpe?g|png|gif|svg|webp|avif|tiff?)$", re.IGNORECASE)
_REDUNDANT_START = re.compile(r"^(an? )?(image|picture|photo|photograph|graphic) of\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    line: int  # in the body, 1-based
    message: str
    hint: str


def alt_text_problem(alt: str) -> tuple[str, str] | None:
    """(message, hint) when alt text does not say what a picture shows."""
    text = alt.strip()
    if _FILE_NAME.match(text):
        return f"the alt text `{text}` is a file name", "describe what the picture shows, in a sentence"
    if _REDUNDANT_START.match(text):
        return (
            f"the alt text starts with “{text.split(' of')[0]} of”",
            "screen readers already say it is an image: start with what it shows",
        )
    return None


def lint_body(tokens: list[Token]) -> list[Finding]:
    findings: list[Finding] = []
    levels = [_written_level(t) for t in tokens if t.type == "heading_open"]
    previous = min(levels, default=1) - 1  # the page title, one level above the body's top
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "heading_open":
            level = _written_level(token)
            if level > previous + 1:
                findings.append(_heading_skip(line, previous, level, first=previous < min(levels)))
            previous = level
        elif token.type == "inline":
            findings.extend(_inline_findings(token, line))
        elif token.type == "thead_open":
            findings.extend(_empty_header(tokens, index, line))
        elif token.type == "html_block" and "<table" in token.content and "<th" not in token.content:
            findings.append(Finding(line, "this table has no header cells", _TABLE_HINT))
    return findings


def _written_level(heading: Token) -> int:
    """The level the editor wrote (`###` is 3; a line of = or - under the text is 1 or 2),
    whatever level markdown.py nests it at in the page."""
    return {"=": 1, "-": 2}.get(heading.markup[:1], len(heading.markup))


def _heading_skip(line: int, previous: int, level: int, first: bool) -> Finding:
    after = f"before any `{'#' * (previous + 1)}`" if first else f"after `{'#' * previous}`"
    return Finding(
        line,
        f"heading level skipped: `{'#' * level}` {after}",
        f"use `{'#' * (previous + 1)}` here, so screen-reader users who move by headings miss nothing",
    )


_TABLE_HINT = "give the first row headers (in Markdown: the row above `| --- |`) so screen readers can name each column"


def _inline_findings(block: Token, line: int) -> list[Finding]:
    findings = []
    children = block.children or []
    for index, child in enumerate(children):
        at = line + sum(1 for c in children[:index] if c.type in ("softbreak", "hardbreak"))
        if child.type == "image":
            problem = (
                alt_text_problem(child.content)
                if child.content.strip()
                else (
                    "this image has no alt text",
                    "write what it shows between the brackets: ![what it shows](file.jpg)",
                )
            )
            if problem:
                findings.append(Finding(at, *problem))
        elif child.type == "link_open":
            text = _link_text(children, index).strip().lower().rstrip(".:!")
            if text in _VAGUE_LINKS:
                findings.append(
                    Finding(
                        at,
                        f"the link text “{text}” does not say where it goes",
                        "use words that make sense alone, e.g. “the call for applications”",
                    )
                )
    return findings


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for child in children[start + 1 :]:
        if child.type == "link_close":
            break
        parts.append(child.content)
    return "".join(parts)


def _empty_header(tokens: list[Token], start: int, line: int) -> list[Finding]:
    cells = []
    for token in tokens[start:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            cells.append(token.content.strip())
    return [] if any(cells) else [Finding(line, "this table's header row is empty", _TABLE_HINT)]
