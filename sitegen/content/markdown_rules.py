"""sitegen's own rules for markdown-it-py, run once the parser has made its tokens: GitHub's
callouts (`> [!NOTE]`) and the body's links and images resolved against its file, each with its
line (from `token.map`); the headings' rules are in headings.py.

Each rule reads and writes `state.env`, the one body's notes: `sitegen_headings`,
`sitegen_references`, `sitegen_findings` (markdown-it keeps its own `references` there)."""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen.content.addresses import URL_SCHEMES
from sitegen.content.lint import (
    Finding,
    empty_header_finding,
    image_finding,
    link_finding,
    table_finding,
)
from sitegen.content.rawhtml import (
    images_without_alt,
    removed_by_policy,
    rewrite_addresses,
    second_main_headings,
    start_tags,
)

CALLOUTS = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"}
_ALERT = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.IGNORECASE)


def callouts(state: StateCore) -> None:
    """A quote that begins `[!NOTE]` (or TIP, IMPORTANT, WARNING, CAUTION) is a callout, as on
    GitHub: a box with its kind as a visible title."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "blockquote_open" or index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
            continue
        inline = tokens[index + 2]
        first = inline.children[0] if inline.children else None
        found = _ALERT.match(first.content) if first is not None and first.type == "text" else None
        if found is None or first is None:
            continue
        first.content = first.content[found.end() :]
        if not first.content and len(inline.children) > 1 and inline.children[1].type in ("softbreak", "hardbreak"):
            del inline.children[:2]
        token.type, token.meta = "callout_open", {"kind": found.group(1).lower()}
        closing_token(tokens, index, "blockquote_close").type = "callout_close"
        if not inline.children or all(child.type == "text" and not child.content for child in inline.children):
            tokens[index + 1].hidden = tokens[index + 3].hidden = True  # a title line alone: no empty <p>
            inline.children = []


def closing_token(tokens: list[Token], index: int, kind: str) -> Token:
    depth = 0
    for token in tokens[index:]:
        depth += token.nesting
        if depth == 0 and token.type == kind:
            return token
    raise ValueError("unbalanced tokens")


def references(state: StateCore) -> None:
    """Links and images resolved against the Markdown file (`env["sitegen_resolver"]`), each at
    its own line: the block's first line, plus the line breaks before it. An editor's own HTML
    is treated the same way (rawhtml.py); text is looked at for template syntax left in it."""
    findings = state.env["sitegen_findings"]
    for index, block in enumerate(state.tokens):
        line = block.map[0] + 1 if block.map else 1
        if block.type == "table_open":
            _table_findings(state.tokens, index, findings)
        elif block.type == "html_block":
            block.content = _raw_html(block.content, line, state.env)
        elif block.type == "inline" and block.children:
            if "[" in block.content or "<" in block.content:  # a link, an image or HTML needs one
                _inline_references(block.children, line, state.env)
            state.env["sitegen_resolver"].template_syntax(block.content, line)


def _inline_references(children: list[Token], line: int, env: dict) -> None:
    findings, resolver = env["sitegen_findings"], env["sitegen_resolver"]
    for position, token in enumerate(children):
        kind = token.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
        elif kind == "html_inline":
            token.content = _raw_html(token.content, line, env)
        elif kind == "image":
            alt = plain_text(token)
            address = resolver.resolve(str(token.attrGet("src") or ""), line, True)
            slip = None if address is None else _not_for_readers(address, line, is_image=True)
            if slip is not None:  # a data: or ftp: picture no browser of a reader shows
                findings.append(slip)
                address = None
            if address is None:  # nothing to show: its alt text, as a reader without images gets it
                token.type, token.content, token.children = "text", alt, None
            else:
                _set_address(token, "src", address)
            add_finding(findings, image_finding(alt, line))
        elif kind == "link_open":
            address = resolver.resolve(str(token.attrGet("href") or ""), line, False)
            slip = None if address is None else _not_for_readers(address, line, is_image=False)
            if slip is not None:  # an ftp: or ssh: link no reader's browser follows
                findings.append(slip)
                address = None
            if address is None:  # a dead link: its words alone
                token.hidden = closing_token(children, position, "link_close").hidden = True
            else:
                _set_address(token, "href", address)
            add_finding(findings, link_finding(_link_text(children, position), line))


def _raw_html(fragment: str, line: int, env: dict) -> str:
    policy, tags, attributes = env["sitegen_policy"]
    findings = env["sitegen_findings"]
    if "<table" in fragment and "<th" not in fragment:
        findings.append(table_finding(line))
    found = start_tags(fragment)
    findings.extend(images_without_alt(found, line))
    findings.extend(second_main_headings(found, line))
    findings.extend(removed_by_policy(found, line, policy, tags, attributes))
    return rewrite_addresses(fragment, found, line, env["sitegen_resolver"].resolve)


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _set_address(token: Token, name: str, address: str) -> None:
    """nh3's rule for every body: relative addresses pass, absolute ones only with a scheme
    readers' browsers open as a page or a mail (an `ftp:` link keeps its words, not its target)."""
    scheme = _SCHEME.match(address)
    if scheme is None or scheme.group(1).lower() in URL_SCHEMES:
        token.attrSet(name, address)
    elif name in token.attrs:
        del token.attrs[name]


def _not_for_readers(address: str, line: int, is_image: bool) -> Finding | None:
    """None for a file of the site or an address readers' browsers open (a picture: http(s); a
    link: also mailto and tel); else the editor's warning (nh3 would leave the tag without it)."""
    scheme = _SCHEME.match(address)
    if scheme is None or scheme.group(1).lower() in (("http", "https") if is_image else URL_SCHEMES):
        return None
    shown = address if len(address) <= 60 else address[:50] + "…"  # a data: address can be a whole file
    what, instead = ("image", "its alt text") if is_image else ("link", "its words alone")
    example = "![what it shows](../media/photo.jpg)" if is_image else "[the report](../media/report.pdf)"
    return Finding(
        line,
        f"the {what} `{shown}` is not a web address ({scheme.group(1)}:): shown as {instead}",
        f"put the file in content/media/ and write its path, e.g. {example}, or an address starting with https://",
    )


def nesting_finding(tokens: list[Token], limit: int) -> Finding | None:
    """Lists or quotes nested deeper than the parser goes: what is deeper is not shown."""
    deepest = max((token for token in tokens if token.level >= limit - 1), key=lambda t: t.level, default=None)
    if deepest is None:
        return None
    line = deepest.map[0] + 1 if deepest.map else 1
    return Finding(
        line,
        f"lists or quotes are nested more than {limit} levels deep here: what is deeper is not shown",
        "use fewer levels (a reader cannot follow that many either)",
    )


def add_finding(findings: list[Finding], finding: Finding | None) -> None:
    if finding is not None:
        findings.append(finding)


def _table_findings(tokens: list[Token], start: int, findings: list[Finding]) -> None:
    """A Markdown table always has a header row: it must say something."""
    table = tokens[start]
    line = table.map[0] + 1 if table.map else 1
    header = []
    for token in tokens[start:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            header.append(token.content.strip())
    if not any(header):
        findings.append(empty_header_finding(line))


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for token in children[start + 1 :]:
        if token.type == "link_close":
            break
        parts.append(token.content if token.type in ("text", "code_inline") else "")
    return "".join(parts)


def plain_text(token: Token) -> str:
    """What a screen reader gets for an image's alt text or a heading's words."""
    return "".join(child.content for child in token.children or () if child.type in ("text", "code_inline"))
