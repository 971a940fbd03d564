"""WordPress's shortcodes in a body (`[caption]`, `[gallery ids="1,2"]`, `[embed]...[/embed]`):
named with what Markdown writes instead, and set apart from the text around them: a caption's
markers are left out (its picture and words read as they did), the others are shown as written
with their quotes straight. body_slips.py finds the paragraphs that may hold one; the excerpt
leaves them out of a summary (`without_shortcodes`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from sitegen.content.lint import Finding

# WordPress's own shortcodes (and the caption's old name): these are named even alone, `[gallery]`.
_WORDPRESS = {"audio", "caption", "embed", "gallery", "playlist", "video", "wp_caption"}
_CAPTIONS = {"caption", "wp_caption"}  # markers around a picture and its words: left out
_SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)(\s[^\[\]\n]*)?\](?![(\[])")
_ATTRIBUTE = re.compile(r"[\w-]=")
_MEDIA_HINT = "write a link to it instead, e.g. [the recording](https://…)"
_SHORTCODE_HINTS = {
    "caption": "write the picture as ![what it shows](../media/x.jpg) and its caption as the next "
    "paragraph, or give the item its picture with `image:` in the front matter",
    "gallery": "write the gallery's pictures one per line: ![what it shows](../media/x.jpg)",
    "embed": _MEDIA_HINT,
    "video": _MEDIA_HINT,
    "audio": _MEDIA_HINT,
    "playlist": _MEDIA_HINT,
}


def shortcodes(child: Token, line: int, opened: set[str], findings: list[Finding]) -> list[Token]:
    """The text token as tokens: text, and each shortcode as `text_special` (markdown-it's
    escapes: the typographer leaves its quotes straight; text_join makes it text again)."""
    text, parts, start = child.content, [], 0
    for found in _SHORTCODE.finditer(text):
        closing, name, attributes = _parts(found)
        if not _is_shortcode(closing, name, attributes) or text[found.start() - 1 : found.start()] == "!":
            continue
        left_out = name in _CAPTIONS
        if not closing or name not in opened:
            findings.append(_shortcode_finding(found.group(), name, closing, line, left_out))
        opened.add(name)
        parts.append(_text(child, "text", text[start : found.start()]))
        if not left_out:
            parts.append(_text(child, "text_special", found.group()))
        start = found.end()
    if not parts:
        return [child]
    parts.append(_text(child, "text", text[start:]))
    return [part for part in parts if part.content]


def without_shortcodes(text: str) -> str:
    """The text without the shortcodes the build names (for the excerpt: markers, not words)."""
    if "[" not in text:
        return text
    return _SHORTCODE.sub(lambda found: "" if _is_shortcode(*_parts(found)) else found.group(), text)


def _parts(found: re.Match[str]) -> tuple[str, str, str]:
    return found.group(1), found.group(2).lower(), found.group(3) or ""


def _is_shortcode(closing: str, name: str, attributes: str) -> bool:
    if closing:
        return not attributes.strip()
    return bool(_ATTRIBUTE.search(attributes)) or (name in _WORDPRESS and attributes.strip() in ("", "/"))


def _shortcode_finding(written: str, name: str, closing: str, line: int, left_out: bool) -> Finding:
    shown = f"[{closing}{name} …]" if len(written) > len(name) + 2 + len(closing) else written
    fate = "left out, its picture and words shown" if left_out else "shown as text"
    hint = _SHORTCODE_HINTS.get(name.removeprefix("wp_"), "replace it with what it stood for (a link, a picture, text)")
    return Finding(line, f"the WordPress shortcode `{shown}` is {fate}: sitegen has no shortcodes", hint)


def shortcodes_in_html(html: str, line: int) -> Iterator[Finding]:
    """Shortcodes in an editor's HTML block: named, and left as they are (nh3 writes the block)."""
    for found in _SHORTCODE.finditer(html):
        closing, name, attributes = _parts(found)
        if not closing and _is_shortcode(closing, name, attributes):
            at = line + html.count("\n", 0, found.start())
            yield _shortcode_finding(found.group(), name, closing, at, left_out=False)


def _text(like: Token, kind: str, content: str) -> Token:
    token = Token(kind, "", 0)
    token.content, token.level = content, like.level
    return token
