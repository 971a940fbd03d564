"""An editor's own HTML in a body, treated as Markdown is: its relative `src` and `href` are
resolved against the file (and a dead one dropped, an image then shown as its alt text), an
`<img>` without `alt` is named, and what the site's policy removes is named too, so that an
editor who pastes an iframe learns why it vanished and how `html:` in site.yaml allows it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from sitegen.content.htmlpolicy import SCRIPT_TAGS, HtmlPolicy
from sitegen.content.lint import Finding

_ADDRESS = re.compile(r"""(\s(?:src|href)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_TAG = re.compile(r"<(img|a)\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\salt\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "srcset"}


def rewrite_addresses(fragment: str, line: int, resolve: Callable[[str, int, bool], str | None]) -> str:
    """Each `<img src>` and `<a href>` resolved as a Markdown image or link would be."""

    def tag(found: re.Match[str]) -> str:
        text, is_image = found.group(), found.group(1).lower() == "img"
        at = line + fragment.count("\n", 0, found.start())
        for attribute in _ADDRESS.finditer(text):
            raw = html.unescape(attribute.group(2).strip("\"'"))
            address = resolve(raw, at, is_image)
            if address is None and is_image:  # nothing to show: the picture's words instead
                alt = _ALT.search(text)
                return html.escape(html.unescape(alt.group(1).strip("\"'")), quote=False) if alt else ""
            replacement = "" if address is None else f'{attribute.group(1)}"{html.escape(address)}"'
            text = text.replace(attribute.group(), replacement, 1)
        return text

    return _TAG.sub(tag, fragment)


def images_without_alt(fragment: str, line: int) -> list[Finding]:
    return [
        Finding(
            line + fragment.count("\n", 0, found.start()),
            "this image has no alt text",
            'add alt="what it shows" to the <img> (alt="" if it only decorates)',
        )
        for found in _TAG.finditer(fragment)
        if found.group(1).lower() == "img" and not _ALT.search(found.group())
    ]


def removed_by_policy(fragment: str, line: int, policy: HtmlPolicy, tags: set[str], attributes: dict) -> list[Finding]:
    """What nh3 will remove from this HTML under the site's policy, each at its line."""
    if not policy.sanitize:
        return []
    seen = _Tags()
    seen.feed(fragment)
    seen.close()
    allowed_tags = tags | set(policy.extra_tags)
    extra = dict(policy.extra_attributes)
    findings = []
    for name, found, offset in seen.found:
        at = line + offset
        if name not in allowed_tags:
            findings.append(_removed_tag(name, at))
            continue
        allowed = attributes.get("*", set()) | attributes.get(name, set()) | set(extra.get(name, ()))
        for attribute, value in found:
            if attribute not in allowed:
                findings.append(_removed_attribute(name, attribute, at))
            elif attribute in _URL_ATTRIBUTES and value and _bad_scheme(value):
                findings.append(_removed_attribute(name, attribute, at, value))
    return findings


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs, self.getpos()[0] - 1))


def _bad_scheme(value: str) -> bool:
    scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return scheme is not None and scheme.group(1).lower() not in ("http", "https", "mailto", "tel")


_NEVER = "a body never runs script: put it in the site's own templates/, or remove it"


def _removed_tag(name: str, line: int) -> Finding:
    hint = (
        _NEVER
        if name in SCRIPT_TAGS
        else f"if the site wants it, allow it in site.yaml: html: {{allow_tags: [{name}]}}"
    )
    return Finding(line, f"the <{name}> element is removed from the page: the site does not allow it in a body", hint)


def _removed_attribute(name: str, attribute: str, line: int, value: str = "") -> Finding:
    what = f"`{attribute}={value}`" if value else f"`{attribute}`"
    if value:
        hint = "use an http(s), mailto or tel address"
    elif attribute.lower().startswith("on") or attribute.lower() == "srcdoc":
        hint = _NEVER
    else:
        hint = f"if the site wants it, allow it in site.yaml: html: {{allow_attributes: {{{name}: [{attribute}]}}}}"
    return Finding(line, f"the attribute {what} of <{name}> is removed from the page", hint)
