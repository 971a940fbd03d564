"""What an editor is told about the addresses in a body. Each slip is a warning at the link's
line and column, with a hint, and the item is still published: the link shows its words
alone (an image its alt text), so readers never meet a dead link (addresses.py)."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection

from sitegen.content.addresses import FILE_ENDINGS, Reference  # FILE_ENDINGS: what names a file, not a site
from sitegen.errors import ErrorLog

SUGGESTIONS = 10  # per file: each lists content/, so a file of n missing images cost n times content/
REF_HINT = "check the file name; a path is relative to this file, or from content/ if it starts with /"
_SHOWN = {False: "shown as its words alone", True: "shown as its alt text"}


def warn_about_references(
    path: str, body: str, body_line: int, references: list[Reference], known: Collection[str], log: ErrorLog
) -> None:
    missing = 0  # a "did you mean" lists content/: for the first few missing files of a file only
    for ref in references:
        if not ref.problem:
            continue
        missing += ref.problem == "missing"
        message, hint = _words(ref, known if missing <= SUGGESTIONS else ())
        line, col = locate(body, ref.raw, ref.line)
        log.warn(path, body_line + line - 1, col, message, hint)


def _words(ref: Reference, known: Collection[str]) -> tuple[str, str]:
    what, shown = ("image" if ref.is_image else "link"), _SHOWN[ref.is_image]
    raw, problem = ref.raw, ref.problem
    if problem == "template":
        return f"`{raw}` is template syntax from another site generator: shown as written", template_hint(raw)
    if problem == "template-address":
        message = f"the {what} `{raw}` holds template syntax from another site generator: {shown}"
        return message, template_hint(raw, "write the address itself (e.g. /media/logo.png), or remove it")
    if problem == "bare-site":
        return f"the {what} `{raw}` has no `https://`: {shown}", f"did you mean https://{raw}?"
    if problem == "parentheses":
        inner = raw.strip()[1:-1].strip()
        return f"the {what} `{raw}` is in doubled parentheses", f"write it once: [words]({inner})"
    if problem == "old-address":
        return (
            f"the {what} `{raw}` is an old `.html` address, not a file in content/: {shown}",
            "link to the Markdown file of that item instead (e.g. ../news/2015-02-13-name.md)",
        )
    if problem == "own-host":
        return (
            f"the image `{raw}` is at this site's own address, where the build publishes no "
            f"content/{ref.content_path}: shown from the old address while it answers",
            "download the picture into content/ (beside this file, or into content/media/) and name it there",
        )
    if problem == "outside":
        return f"the {what} `{raw}` points outside content/: {shown}", REF_HINT
    target = ref.content_path or raw
    looked = f"content/{target} and {target}" if target.startswith("static/") else f"content/{target}"
    message = f"the {what} `{raw}` does not exist (looked for {looked}): {shown}"
    return message, _mail_hint(raw) or ref_hint(raw, target, known)


_TO_THE_FILE = "link to the Markdown file itself instead: [words]({name}) from a file in its folder"
# Jekyll's Liquid tags and Hugo's shortcodes by name, with what a Markdown file says instead.
_TAG_HINTS = {
    "highlight": "a code block: a line of ```{first} before the code, and a line of ``` after it",
    "endhighlight": "the end of a code block: a line of ```",
    "raw": "remove it: sitegen shows a body's text as written",
    "endraw": "remove it: sitegen shows a body's text as written",
    "post_url": "link to the post's Markdown file instead: [words]({name}.md) from a post in its folder",
    "link": _TO_THE_FILE,
    "ref": _TO_THE_FILE,
    "relref": _TO_THE_FILE,
    "include": "paste in what `{first}` held, or remove it",
    "comment": "the other generator hid the text up to its end; sitegen publishes it: delete the words, or write "
    "them in an HTML comment, <!-- … -->",
    "endcomment": "remove it, and delete the hidden words before it, or put them in an HTML comment, <!-- … -->",
    "figure": "write the picture in Markdown: ![{alt}]({src}){caption}",
    "notice": "a callout: write `> [!NOTE]` on a line of its own, then each line of the text after `> `",
    "/notice": "the end of the callout: remove it",
    "/highlight": "the end of a code block: a line of ```",
    "tweet": "write a link to the post instead: [the post](https://…)",
    "instagram": "write a link to the post instead: [the post](https://…)",
    "gist": "write a link to the gist instead, or paste its code between lines of ```",
    "youtube": "write a link to the video instead: [the video](https://www.youtube.com/watch?v={first})",
    "vimeo": "write a link to the video instead: [the video](https://vimeo.com/{first})",
}
# Possessive `*+` and `++`: the tag's name is taken once, so a line of spaces that no `}}` closes
# costs a linear scan, not one that grows with the cube of its length (a review timed 2.5 s for
# 800 spaces). The text after the first KB of a tag is no part of its hint.
_TAG = re.compile(r"\{(?:%|\{[<%])-?\s*+(/?\w++)(.*?)-?(?:%|[>%]\})\}", re.DOTALL)
_ATTRIBUTE = re.compile(r"""(?<![\w-])(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_HINT_INPUT = 1000
_NAMING = {"post_url", "include", "youtube", "vimeo", "link", "ref", "relref"}  # hints that name what it named
_GENERAL = "replace it with what it stood for (a link, an address, a picture), or remove it"


def template_hint(raw: str, otherwise: str = "") -> str:
    found = _TAG.search(raw[:_HINT_INPUT])
    if not found or found.group(1) not in _TAG_HINTS:
        return otherwise or _GENERAL
    tag, arguments = found.group(1), found.group(2).strip()
    named = {match.group(1): next(part for part in match.groups()[1:] if part is not None)
             for match in _ATTRIBUTE.finditer(arguments)}  # fmt: skip
    positional = [part.strip("\"'") for part in arguments.split() if "=" not in part]
    first = named.get("id") or (positional[0] if positional else "")
    if (tag in _NAMING and not first) or (tag == "figure" and not named.get("src")):
        return otherwise or _GENERAL  # nothing named that the hint could show
    name = posixpath.basename(first)
    name += "" if "." in name or tag == "post_url" else ".md"  # Hugo's ref names a page without `.md`
    alt = named.get("alt") or named.get("title") or "what it shows"
    caption = f", and its caption as the next paragraph: {named['caption']}" if named.get("caption") else ""
    return _TAG_HINTS[tag].format(first=first, name=name, src=named.get("src"), alt=alt, caption=caption)


# `office@example.org`, not `photo@2x.png`: a mail address written without `mailto:`.
_MAIL = re.compile(r"[^\s@/:]+@[^\s@/:]+\.([A-Za-z]{2,})").fullmatch


def _mail_hint(raw: str) -> str:
    found = _MAIL(raw) if "@" in raw else None
    if found is None or found.group(1).lower() in FILE_ENDINGS:
        return ""
    return f"an email address starts with `mailto:`: did you mean `mailto:{raw}`?"


def ref_hint(ref: str, target: str, known: Collection[str]) -> str:
    """A "did you mean" for a file of a similar name in the same folder, else the general rule."""
    if f"static/{target}" in known:  # Hugo and Jekyll publish static/ at the site's root
        return f"the file is static/{target}, which is published at /static/{target}: write that address"
    folder, name = posixpath.split(target)
    beside, elsewhere = [], []
    for path in known:
        (beside if posixpath.dirname(path) == folder else elsewhere).append(path)
    close = difflib.get_close_matches(name, [posixpath.basename(path) for path in beside], n=1, cutoff=0.6)
    if close:
        return f"did you mean `{posixpath.join(posixpath.dirname(ref), close[0])}`?"
    same_name = sorted(path for path in elsewhere if posixpath.basename(path) == name)
    if same_name:  # an exporter's images/ folder beside the post, say
        return f"did you mean `/{same_name[0]}`? (a path that starts with / is from content/)"
    return REF_HINT


def locate(body: str | list[str], raw: str, line: int) -> tuple[int, int]:
    """Body line and column of an address: the parser gives the line, this finds the column.
    `body` may be given as its lines (split once for all of a body's addresses)."""
    lines = body if isinstance(body, list) else body.splitlines()
    for index in range(line - 1, len(lines)):
        for needle, shift in ((f"({raw}", 1), (raw, 0)):
            col = lines[index].find(needle)
            if col >= 0:
                return index + 1, col + shift + 1
    return line, 1
