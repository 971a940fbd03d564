"""Warnings for editors about what makes a page hard to use with a screen reader or a
keyboard: alt text that says nothing, links that say "click here", skipped heading
levels, tables without headers. They never stop a build."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def heading_findings(headings: list[tuple[int, int]]) -> list[Finding]:
    """Skipped levels among (level as written, line) of a body's headings."""
    findings = []
    top = min((level for level, _line in headings), default=1)
    previous = top - 1  # the page title, one level above the body's top
    for level, line in headings:
        if level > previous + 1:
            findings.append(_heading_skip(line, previous, level, first=previous < top))
        previous = level
    return findings


def image_finding(alt: str, line: int) -> Finding | None:
    if not alt.strip():
        return Finding(
            line, "this image has no alt text", "write what it shows between the brackets: ![what it shows](file.jpg)"
        )
    problem = alt_text_problem(alt)
    return Finding(line, *problem) if problem else None


def link_finding(text: str, line: int) -> Finding | None:
    words = text.strip().lower().rstrip(".:!")
    if words not in _VAGUE_LINKS:
        return None
    return Finding(
        line,
        f"the link text “{words}” does not say where it goes",
        "use words that make sense alone, e.g. “the call for applications”",
    )


def table_finding(line: int) -> Finding:
    return Finding(line, "this table has no header cells", _TABLE_HINT)


def _heading_skip(line: int, previous: int, level: int, first: bool) -> Finding:
    after = f"before any `{'#' * (previous + 1)}`" if first else f"after `{'#' * previous}`"
    return Finding(
        line,
        f"heading level skipped: `{'#' * level}` {after}",
        f"use `{'#' * (previous + 1)}` here, so screen-reader users who move by headings miss nothing",
    )


_TABLE_HINT = "give the first row headers (in Markdown: the row above `| --- |`) so screen readers can name each column"


def empty_header_finding(line: int) -> Finding:
    return Finding(line, "this table's header row is empty", _TABLE_HINT)
