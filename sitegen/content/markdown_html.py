"""How a body's tokens become HTML: markdown-it-py's renderer with sitegen's rules for text,
code, headings, callouts and the table of contents.

Text is escaped as nh3 writes it (quotes stay quotes), so a body without raw HTML needs no
sanitizing pass. Tags without a rule of their own are written by `_tag`, markdown-it's
`renderToken` in one function: the same bytes (test_markdown.py compares the two on every
kind of token), 0.16 -> 0.11 ms a corpus body (`bench`-style timing of 600 bodies)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from sitegen.content import headings
from sitegen.content import markdown_rules as rules


class BodyRenderer(RendererHTML):
    """markdown-it's HTML renderer with one loop for block tokens and one for inline ones."""

    def __init__(self, parser: Any = None) -> None:
        super().__init__(parser)
        write = self.rules
        write["text"] = lambda tokens, index, options, env: escape_text(tokens[index].content)
        write["code_inline"] = lambda tokens, index, options, env: f"<code>{escape_text(tokens[index].content)}</code>"
        write["code_block"] = lambda tokens, index, options, env: _code(tokens[index].content, "")
        write["fence"] = lambda tokens, index, options, env: _code(tokens[index].content, tokens[index].info)
        write["heading_open"] = _heading_open
        write["heading_close"] = _heading_close
        write["callout_open"] = lambda tokens, index, options, env: callout(tokens[index].meta["kind"])
        write["callout_close"] = lambda tokens, index, options, env: "</div>\n"
        write["toc"] = lambda tokens, index, options, env: headings.render_toc(env["sitegen_headings"], escape_attr)
        write["toc_body"] = write["toc_end"] = lambda tokens, index, options, env: ""

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        """Block tokens or an inline token's children (block streams have no `text` tokens,
        inline ones no `inline` tokens, so one loop serves both)."""
        out: list[str] = []
        written = self.rules
        xhtml = options["xhtmlOut"]
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.render(token.children, options, env))
            elif kind == "text":  # most tokens: the rule above, without its call
                out.append(escape_text(token.content))
            elif kind in written:
                out.append(written[kind](tokens, index, options, env))
            else:
                out.append(_tag(tokens, index, token, xhtml))
        return "".join(out)

    renderInline = render

    def renderToken(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return _tag(tokens, idx, tokens[idx], options["xhtmlOut"])


def _tag(tokens: Sequence[Token], index: int, token: Token, xhtml: bool) -> str:
    """An opening, closing or empty tag with its attributes, as markdown-it's renderToken."""
    if token.hidden:  # a tight list's paragraph
        return ""
    nesting = token.nesting
    if nesting == -1:
        start = "</"
    elif token.block and index and tokens[index - 1].hidden:
        start = "\n<"  # a block after a tight list's paragraph starts on its own line
    else:
        start = "<"
    start += token.tag
    if token.attrs:
        start += "".join(f' {escapeHtml(key)}="{escapeHtml(str(value))}"' for key, value in token.attrs.items())
    if nesting == 0 and xhtml:
        start += " /"
    if not token.block:
        return start + ">"
    if nesting == 1 and index + 1 < len(tokens):
        following = tokens[index + 1]
        if following.type == "inline" or following.hidden or (following.nesting == -1 and following.tag == token.tag):
            return start + ">"  # the block holds inline content, or is empty
    return start + ">\n"


def _heading_open(tokens: list[Token], index: int, options: Any, env: dict) -> str:
    token = tokens[index]
    classes = token.attrGet("class")
    extra = f' class="{escape_attr(str(classes))}"' if classes else ""
    return f'<div class="heading">\n<{token.tag} id="{escape_attr(str(token.attrGet("id")))}"{extra}>'


def _heading_close(tokens: list[Token], index: int, options: Any, env: dict) -> str:
    """A visible link to the section after its heading, named for screen readers: inside the
    heading it would join the heading's own name ("Title Link to this section")."""
    ident, title = escape_attr(tokens[index].meta["ident"]), escape_text(tokens[index].meta["title"])
    return (
        f'</{tokens[index].tag}>\n<a class="heading-anchor" href="#{ident}"><span aria-hidden="true">#</span>'
        f'<span class="visually-hidden">Link to this section: {title}</span></a>\n</div>\n'
    )


def callout(kind: str) -> str:
    return f'<div class="callout callout-{kind}" role="note">\n<p class="callout-title">{rules.CALLOUTS[kind]}</p>\n'


def _code(content: str, info: str) -> str:
    language = info.strip().split(maxsplit=1)
    opening = f'<pre><code class="language-{escape_attr(language[0])}">' if language else "<pre><code>"
    return opening + escape_text(content) + "</code></pre>\n"


def escape_text(text: str) -> str:
    """As nh3 writes text: quotes stay quotes."""
    if "&" not in text and "<" not in text and ">" not in text and "\xa0" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def escape_attr(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")
