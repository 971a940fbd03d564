"""An editor's own HTML in a body, treated as Markdown is: its relative `src` and `href` are
resolved against the file (and a dead one dropped, an image then shown as its alt text), an
`<img>` without `alt` is named, and what the site's policy removes is named too, so that an
editor who pastes an iframe learns why it vanished and how `html:` in site.yaml allows it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from sitegen.content.addresses import URL_SCHEMES
from sitegen.content.htmlpolicy import SCRIPT_TAGS, HtmlPolicy
from sitegen.content.lint import Finding

_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "srcset"}


@dataclass(frozen=True)
class StartTag:
    """A start tag of an editor's HTML as a browser reads it (html.parser: a `>` inside a quoted
    value does not end it, a tag in a comment or a <script> is none)."""

    name: str
    attributes: list[tuple[str, str | None]]  # values with their character references decoded
    start: int  # where it begins in the fragment
    text: str  # as written
    line: int  # lines into the fragment (0: its first)


def start_tags(fragment: str) -> list[StartTag]:
    found = _Tags(fragment)
    found.feed(fragment)
    found.close()
    return found.tags


class _Tags(HTMLParser):
    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[StartTag] = []
        self._line_starts = [0, *(found.end() for found in re.finditer("\n", fragment))]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()  # of the tag's `<`: the parser moves on once it is handled
        start = self._line_starts[line - 1] + column
        self.tags.append(StartTag(tag, attrs, start, self.get_starttag_text() or "", line - 1))


def rewrite_addresses(
    fragment: str, tags: list[StartTag], line: int, resolve: Callable[[str, int, bool], str | None]
) -> str:
    """Each `<img src>` and `<a href>` resolved as a Markdown image or link would be."""
    parts, done = [], 0
    for tag in tags:
        if tag.name in ("img", "a"):
            parts += [fragment[done : tag.start], _rewritten(tag, line + tag.line, resolve)]
            done = tag.start + len(tag.text)
    return "".join([*parts, fragment[done:]]) if parts else fragment


def _rewritten(tag: StartTag, line: int, resolve: Callable[[str, int, bool], str | None]) -> str:
    text, is_image = tag.text, tag.name == "img"
    spans = list(_addresses(text))
    addresses = [resolve(html.unescape(_unquoted(text[start:end])), line, is_image) for _name, (start, end) in spans]
    if is_image and None in addresses:  # nothing to show: the picture's words instead
        return html.escape(dict(tag.attributes).get("alt") or "", quote=False)
    for (name, value), address in reversed(list(zip(spans, addresses, strict=True))):  # the spans before stay put
        if address is None:
            text = text[: name[0]].rstrip() + text[value[1] :]
        else:
            text = f'{text[: value[0]]}"{html.escape(address)}"{text[value[1] :]}'
    return text


def _unquoted(value: str) -> str:
    return value[1:-1] if value[:1] in ("'", '"') else value


# A tag's name, then each attribute, read as html.parser reads them (its attrfind_tolerant).
_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(r"""([^\s/>][^\s/=>]*)(?:\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")


def _addresses(text: str) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """The spans of each `src` and `href` attribute's name and value in a start tag."""
    found = _TAG_NAME.match(text)
    at = found.end() if found else len(text)
    while (attribute := _ATTRIBUTE.match(text, at)) and attribute.end() > at:
        if attribute.group(1).lower() in ("src", "href") and attribute.group(2) is not None:
            yield attribute.span(1), attribute.span(2)
        at = attribute.end()


def images_without_alt(tags: list[StartTag], line: int) -> list[Finding]:
    return [
        Finding(
            line + tag.line,
            "this image has no alt text",
            'add alt="what it shows" to the <img> (alt="" if it only decorates)',
        )
        for tag in tags
        if tag.name == "img" and all(name != "alt" for name, _value in tag.attributes)
    ]


def removed_by_policy(
    found: list[StartTag], line: int, policy: HtmlPolicy, tags: set[str], attributes: dict
) -> list[Finding]:
    """What nh3 will remove from this HTML under the site's policy, each at its line."""
    if not policy.sanitize:
        return []
    allowed_tags = tags | set(policy.extra_tags)
    extra = dict(policy.extra_attributes)
    findings = []
    for tag in found:
        name, at = tag.name, line + tag.line
        allowed = attributes.get("*", set()) | attributes.get(name, set()) | set(extra.get(name, ()))
        if name not in allowed_tags:
            findings.append(_removed_tag(tag, at, allowed))
            continue
        for attribute, value in tag.attributes:
            if attribute not in allowed:
                findings.append(_removed_attribute(name, attribute, at, style=value if attribute == "style" else ""))
            elif attribute in _URL_ATTRIBUTES and value and _bad_scheme(value):
                findings.append(_removed_attribute(name, attribute, at, value))
            elif attribute == "style" and value and (dropped := _dropped_style(value)):
                findings.append(_dropped_style_finding(name, dropped, at))
    return findings


def second_main_headings(tags: list[StartTag], line: int) -> list[Finding]:
    """An HTML `<h1>` (WordPress's heading block) is a second main heading on the page, whose
    own is the title: Markdown's headings are set under it, an editor's HTML is not."""
    return [
        Finding(
            line + tag.line,
            "this <h1> is a second main heading on the page (the title is its <h1>)",
            "write it as a section heading: ## Heading (or <h2>)",
        )
        for tag in tags
        if tag.name == "h1"
    ]


def _bad_scheme(value: str) -> bool:
    scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return scheme is not None and scheme.group(1).lower() not in URL_SCHEMES


_NEVER = "a body never runs script: put it in the site's own templates/, or remove it"


def _removed_tag(tag: StartTag, line: int, allowed: set[str]) -> Finding:
    """The hint allows the element with the attributes it needs (an iframe with its `src`,
    `title` and `allow`), or it would be kept empty."""
    name = tag.name
    needed = sorted({attribute for attribute, _ in tag.attributes if _may_allow(attribute)} - allowed)
    also = f", allow_attributes: {{{name}: [{', '.join(needed)}]}}" if needed else ""
    hint = (
        _NEVER
        if name in SCRIPT_TAGS
        else f"if the site wants it, allow it in site.yaml: html: {{allow_tags: [{name}]{also}}}"
    )
    return Finding(line, f"the <{name}> element is removed from the page: the site does not allow it in a body", hint)


def _may_allow(attribute: str) -> bool:
    return not (attribute.startswith("on") or attribute in ("srcdoc", "style", "markdown"))


def _removed_attribute(name: str, attribute: str, line: int, value: str = "", style: str | None = "") -> Finding:
    what = f"`{attribute}={value}`" if value else f"`{attribute}`"
    if value:
        hint = "use an http(s), mailto or tel address"
    elif attribute == "markdown":  # Kramdown's (Jekyll): read the Markdown inside this element
        hint = (
            f'remove markdown="1", and leave a blank line after <{name}> and before </{name}>: '
            "the Markdown between is then read"
        )
    elif not _may_allow(attribute) and attribute != "style":
        hint = _NEVER
    elif attribute == "style" and style and _dropped_style(style):
        hint = _STYLE_HINT
    else:
        hint = f"if the site wants it, allow it in site.yaml: html: {{allow_attributes: {{{name}: [{attribute}]}}}}"
    return Finding(line, f"the attribute {what} of <{name}> is removed from the page", hint)


# A style keeps its text-align alone (markdown.py's cleaner): colours, fonts and sizes pasted from
# a word processor or an old theme are the site stylesheet's to set.
_KEPT_STYLE = {"text-align"}
_STYLE_HINT = "the site's stylesheet sets colours, fonts and sizes: remove the style (only text-align is ever kept)"


def _dropped_style(style: str) -> list[str]:
    """The properties nh3 drops from a style: each but `text-align` (as written: nh3 keeps no
    `TEXT-ALIGN`). Comments, quoted text and `url(...)` may hold a `;` that ends nothing."""
    declarations = _STYLE_NOISE.sub("", style).split(";")
    names = (declaration.partition(":")[0].strip() for declaration in declarations)
    return sorted({name for name in names if name and name not in _KEPT_STYLE})


_STYLE_NOISE = re.compile(r"/\*.*?\*/|\"[^\"]*\"|'[^']*'|\([^()]*\)", re.DOTALL)


def _dropped_style_finding(name: str, dropped: list[str], line: int) -> Finding:
    listed = ", ".join(f"`{prop}`" for prop in dropped)
    return Finding(line, f"the style {listed} of <{name}> is removed from the page", _STYLE_HINT)
