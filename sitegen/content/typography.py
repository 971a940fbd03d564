"""Curly quotes, dashes, ellipses and (c): markdown-it's `replacements` and `smartquotes` rules
in the place of the first, with their test of each paragraph written as substring searches.

markdown-it tests a paragraph with regular expressions that have no literal start, so the
engine looks at each of its characters: 90 µs of a corpus body's 1.3 ms, for paragraphs most of
which hold nothing to replace. `in` finds the same marks by skipping ahead (0.84 -> 0.19 M
instructions a corpus body, callgrind). The replacing itself is markdown-it's own code;
test_markdown_html.py compares the HTML with markdown-it's rules on every case they handle."""

from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.rules_core.replacements import SCOPED_ABBR_RE, replace_rare, replace_scoped
from markdown_it.rules_core.smartquotes import process_inlines


def typographer(state: StateCore) -> None:
    """Both rules, one after the other as in markdown-it's chain (replacements, smartquotes)."""
    if not state.md.options.typographer:
        return
    inlines = [token for token in state.tokens if token.type == "inline" and token.children is not None]
    for token in inlines:
        text = token.content
        if "(" in text and SCOPED_ABBR_RE.search(text):  # (c), (tm), (r) in any case
            replace_scoped(token.children)  # type: ignore[arg-type]
        if _has_rare_mark(text):
            replace_rare(token.children)  # type: ignore[arg-type]
    for token in inlines:
        if "'" in token.content or '"' in token.content:
            process_inlines(token.children, state)  # type: ignore[arg-type]


def _has_rare_mark(text: str) -> bool:
    """markdown-it's RARE_RE (`\\+-|\\.\\.|\\?\\?\\?\\?|!!!!|,,|--`) as substrings."""
    return "--" in text or ".." in text or "+-" in text or ",," in text or "????" in text or "!!!!" in text
