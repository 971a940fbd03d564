"""What archives moved in from WordPress, Jekyll and Hugo, and text pasted from Word, leave in a
body that CommonMark reads otherwise than the editor meant: shortcodes, paragraphs indented into
code, Word's bullets, footnotes without their text (or never referred to), Kramdown's attribute
lists, link addresses with a space. Each is a `Finding` at its line with the fix; the body is
published as CommonMark reads it, but for a `[caption]`'s markers (left out, so its picture and
words read as they did) and a shortcode's quotes (kept straight, as written). A bare `http://`
or `https://` address in the text becomes a link, as on GitHub and in Hugo.

The findings are made by one core rule, `body_slips`, after markdown-it's inline parsing and
before its footnote tail and typographer (so the text is as written). It looks only where two
hooks noted a mark while markdown-it read the body anyway: `note_marks`, the inline chain's last
rule, called only at a `[`, `{` or `:` that no other rule took (a link's brackets, an image's
braces never reach it), and `indented_code`, markdown-it's code-block rule. So a body without
slips pays a few µs for them, and linkify-it runs only at a `://` in the text itself, never
at a link's own address (docs/performance.md has the figures)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from linkify_it import LinkifyIt
from markdown_it.rules_block.code import code
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.linkify import linkify
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from sitegen.content.addresses import SPACED_LINK, TEMPLATE_SYNTAX
from sitegen.content.lint import Finding
from sitegen.content.references import template_hint
from sitegen.content.shortcodes import shortcodes, shortcodes_in_html

_MARKED, _CODE = "sitegen_marked", "sitegen_indented_code"  # the hooks' notes in the body's env
_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_KRAMDOWN = re.compile(r"\{:[^{}\n]*\}")
_TITLE = re.compile(r"(.*?)\s+(\"[^\"]*\"|'[^']*')")
# Word's bullets at a line's start (two patterns: one that starts with `\n` is searched for by it).
_FIRST_BULLET = re.compile(r"[ \t]*([•·▪–])[ \t]").match
_BULLET_LINE = re.compile(r"\n[ \t]*([•·▪–])[ \t]")
_LATER_BULLET = _BULLET_LINE.search


class WebAddresses(LinkifyIt):
    """linkify-it for the addresses that begin `http://` or `https://`: not `www.` or
    `example.org` alone (finding those would cost every body a search of its whole text), not
    an email address, not `ftp:` (no reader's browser opens it)."""

    def __init__(self) -> None:
        super().__init__({"ftp:": None, "//": None, "mailto:": None}, {"fuzzy_link": False, "fuzzy_email": False})

    def match_at_start(self, text: str) -> Any:
        """An address ends before a `[`: `[embed]https://…[/embed]`'s marker is not part of it."""
        found = super().match_at_start(text)
        if found is not None and "[" in found.url:
            found.url = found.url[: found.url.index("[")]
            return found if found.url.partition("://")[2] else None
        return found


def note_marks(state: StateInline, silent: bool) -> bool:
    """The inline chain's last rule: a `[` or `{` here is one no link, image, footnote or
    attribute list took, so the paragraph is noted for body_slips; at a `:`, markdown-it's
    linkify rule (kept from an address inside brackets: a shortcode's attribute)."""
    char = state.src[state.pos]
    if char == ":":  # `://` first: most colons in text are no address (a time, a list's lead)
        if not state.src.startswith("://", state.pos):
            return False
        pending = state.pending
        return pending.rfind("[") <= pending.rfind("]") and linkify(state, silent)
    if char in "[{" and not silent:
        state.env.setdefault(_MARKED, set()).add(id(state.src))
    return False


def indented_code(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's code-block rule, noting the line of each block it makes."""
    if not state.is_code_block(start):
        return False  # markdown-it's own first test, for nearly every block
    found = code(state, start, end, silent)
    if found and not silent:
        state.env.setdefault(_CODE, []).append(start + 1)
    return found


def body_slips(state: StateCore) -> None:
    """Every slip's finding; the paragraphs the hooks noted, their shortcodes taken apart."""
    src, env = state.src, state.env
    findings: list[Finding] = env["sitegen_findings"]
    findings.extend(map(_indented_code, env.get(_CODE, ())))
    refs = env["footnotes"].get("refs", {}) if "footnotes" in env else {}
    if -1 in refs.values():  # a note's label that no `[^label]` took
        findings.extend(_unused_footnotes(state.tokens, refs))
    bullets = (
        not src.isascii()  # Python knows it without a look: an ASCII body holds none of Word's bullets
        and ("•" in src or "·" in src or "▪" in src or "–" in src)
        and bool(_FIRST_BULLET(src) or _LATER_BULLET(src))
    )
    html = "<" in src and "[" in src
    marked = env.get(_MARKED, ())
    if not (bullets or html or marked):
        return  # nearly every body
    opened: set[str] = set()  # the body's shortcodes so far: their closing markers are not named again
    tokens = state.tokens
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "html_block" and html and "[" in token.content:
            findings.extend(shortcodes_in_html(token.content, line))
        elif token.type == "inline" and token.children:
            if bullets and _paragraph_outside_lists(tokens, index):
                findings.extend(_word_bullets(token.content, line))
            if id(token.content) in marked:
                token.children = _text_slips(token.children, line, findings, opened)


def _paragraph_outside_lists(tokens: list[Token], index: int) -> bool:
    """A paragraph's text, but not a list item's first (`- • x`: a list already)."""
    return tokens[index - 1].type == "paragraph_open" and (index < 2 or tokens[index - 2].type != "list_item_open")


def _indented_code(line: int) -> Finding:
    """Every indented code block: editors mean text by an indent (a converter's, or Word's
    tab), and code written by someone who knows Markdown reads the same fenced."""
    return Finding(
        line,
        "this text is indented by four spaces (or a tab): shown as code",
        "remove the indent for text, or fence code with a line of ``` above and below it",
    )


def _unused_footnotes(tokens: list[Token], refs: dict[str, int]) -> Iterator[Finding]:
    """A footnote's text that no `[^label]` refers to, which the footnote plugin leaves out."""
    for token in tokens:
        if token.type == "footnote_reference_open" and refs.get(":" + token.meta["label"]) == -1:
            label = token.meta["label"]
            yield Finding(
                token.map[0] + 1 if token.map else 1,
                f"footnote [^{label}] is never referred to in the text: its words are not shown",
                f"write [^{label}] where the note belongs, or remove the note",
            )


def _word_bullets(text: str, line: int) -> list[Finding]:
    """`•`, `·` or `▪` at a line's start; `–` at two lines' (one may begin a wrapped sentence's
    last words)."""
    found = list(_BULLET_LINE.finditer("\n" + text))
    if not found or (found[0].group(1) == "–" and len(found) < 2):
        return []
    first = found[0]
    return [
        Finding(
            line + text.count("\n", 0, first.start(1) - 1),
            f"the lines starting with `{first.group(1)}` are one paragraph, not a list",
            "write each point on its own line starting with `- `",
        )
    ]


def _text_slips(children: list[Token], line: int, findings: list[Finding], opened: set[str]) -> list[Token]:
    """The children of one paragraph, with each slip in its text named, and shortcodes taken
    apart from the text around them (a caption's markers left out)."""
    kept: list[Token] = []
    for child in children:
        kind, text = child.type, child.content
        if kind in ("softbreak", "hardbreak"):
            line += 1
        elif kind == "html_inline":
            line += text.count("\n")
        elif kind == "text" and ("[" in text or "{" in text):
            if "[^" in text:
                findings.extend(_undefined_footnotes(text, line))
            if "{:" in text:
                findings.extend(_kramdown(text, line))
            if "](" in text:
                findings.extend(_spaced_links(text, line))
            kept.extend(shortcodes(child, line, opened, findings))
            continue
        kept.append(child)
    return kept


def _undefined_footnotes(text: str, line: int) -> Iterator[Finding]:
    for found in _UNDEFINED_FOOTNOTE.finditer(text):
        label = found.group(1)
        yield Finding(
            line,
            f"footnote [^{label}] has no text: shown as written",
            f"add `[^{label}]: …` with the note's words on a line of its own at the end",
        )


def _kramdown(text: str, line: int) -> Iterator[Finding]:
    for found in _KRAMDOWN.finditer(text):
        written = found.group()
        hint = (
            "for a table of contents write [[toc]] on a line of its own"
            if "toc" in written
            else "sitegen reads `{.class}` right after an image (![…](x.jpg){.wide}) and `{#id .class}` at the "
            "end of a heading (see the README's Markdown section); elsewhere remove it"
        )
        yield Finding(line, f"`{written}` is a Kramdown attribute list: shown as text", hint)


def _spaced_links(text: str, line: int) -> Iterator[Finding]:
    for found in SPACED_LINK.finditer(text):
        words, address = found.groups()
        image = found.start() > 0 and text[found.start() - 1] == "!"
        bang = "!" if image else ""
        if TEMPLATE_SYNTAX.search(address):  # Jekyll's `({{ site.baseurl }}/about/)`: its spaces are the tag's
            yield _template_address(found.group(), bang, words, address, line)
            continue
        titled = _TITLE.fullmatch(address.strip())
        fixed = f"<{titled.group(1)}> {titled.group(2)}" if titled else f"<{address.strip()}>"
        yield Finding(
            line,
            f"`{bang}{found.group()}` is not {'an image' if image else 'a link'}: its address has a space",
            f"write the address in angle brackets: {bang}[{words}]({fixed})",
        )


def _template_address(written: str, bang: str, words: str, address: str, line: int) -> Finding:
    """The address without the other generator's tags, when something is left (`/about/`), else
    what the tag stood for (`{% post_url 2019-05-07-name %}`: that post's file)."""
    rest = TEMPLATE_SYNTAX.sub("", address).strip()
    leads = TEMPLATE_SYNTAX.match(address.strip()) is not None  # `{{ site.baseurl }}/about/`, not `/news/{{ slug }}/`
    hint = f"write the address itself: {bang}[{words}]({rest})" if leads and rest.startswith("/") else ""
    told = f"is not {'an image' if bang else 'a link'}: its address holds template syntax from another site generator"
    return Finding(line, f"`{bang}{written}` {told}", hint or template_hint(address))
