"""A body's excerpt, the summary shown in listings, feeds and the page's description when the
front matter gives none: the text of its first paragraphs, cut at a word; or, where the editor
put WordPress's, Hugo's and Jekyll's divider `<!--more-->`, everything before it, whole.

Paragraphs written as HTML count as Markdown's do (a WordPress export's body is often HTML
alone); a shortcode's markers are no words of the text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser

from markdown_it.token import Token

from sitegen.content.shortcodes import without_shortcodes

EXCERPT_CHARS = 180
_DIVIDER = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)


def excerpt(tokens: Sequence[Token], body: str, limit: int = EXCERPT_CHARS) -> str:
    """Text of the first top-level paragraphs (not lists, quotes or tables), cut at a word;
    all the text before a `<!--more-->`, not cut."""
    divided = "<!--" in body and any(_is_divider(token) for token in tokens)  # most bodies: no look
    words: list[str] = []
    length = 0
    for text in _paragraph_texts(tokens):
        if text is None:  # the divider
            return " ".join(words)
        found = without_shortcodes(text).split()
        words.extend(found)
        length += sum(map(len, found)) + len(found)
        if length > limit and not divided:
            break
    return cut_at_word(" ".join(words), limit)


def cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def _is_divider(token: Token) -> bool:
    if token.type == "html_block":
        return _DIVIDER.search(token.content) is not None
    return token.type == "inline" and "<!--" in token.content and _DIVIDER.search(token.content) is not None


def _paragraph_texts(tokens: Sequence[Token]) -> Iterable[str | None]:
    """Each top-level paragraph's text in order, and None where the divider stands."""
    inside = False
    for token in tokens:
        kind = token.type
        if kind == "footnote_block_open":
            return
        if kind == "paragraph_open":
            inside = token.level == 0
        elif kind == "paragraph_close":
            inside = False
        elif kind == "inline" and inside:
            yield from _inline_text(token)
        elif kind == "html_block" and token.level == 0:
            yield from _html_paragraphs(token.content)


def _inline_text(token: Token) -> Iterable[str | None]:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and _DIVIDER.fullmatch(child.content.strip()):
            yield "".join(parts)
            yield None
            return
    yield "".join(parts)


def _html_paragraphs(html: str) -> Iterable[str | None]:
    reader = _Paragraphs()
    reader.feed(html)
    reader.close()
    yield from reader.found


class _Paragraphs(HTMLParser):
    """The text of each `<p>` in an editor's HTML (a figure's caption, a script, a div's other
    text: not the body's words), and None at a `<!--more-->`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str | None] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "p":
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None:
            self.found.append("".join(self._text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        if self._text:  # a paragraph a blank line cut in two (Markdown ends an HTML block there)
            self.found.append("".join(self._text))

    def handle_comment(self, data: str) -> None:
        if _DIVIDER.fullmatch(f"<!--{data}-->"):
            self.found.append(None)
