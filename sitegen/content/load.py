"""Stage 1: walk content/ into Sources (Markdown) and Assets (everything else): only files that
may be published (files.py: no hidden files, no links out of the site, no script in assets)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sitegen.content.config import load_config
from sitegen.content.files import is_hidden, publishable_files, visible_paths
from sitegen.errors import BuildFailed, ErrorLog
from sitegen.model import Asset, Source
from sitegen.urls import is_markdown_name

__all__ = ["is_hidden", "load", "visible_paths"]

CONTENT_DIR = "content"
DEFAULT_TYPES = {
    "news": "news",
    "events": "event",
    "calls": "call",
    "programmes": "programme",
    "pages": "page",
}


def load(site_dir: Path, log: ErrorLog, read: Reader | None = None) -> tuple[list[Source], list[Asset]]:
    root = content_root(site_dir, log)
    if root is None:
        return [], []
    return classify(content_files(root, log), read or read_source, log)


def content_root(site_dir: Path, log: ErrorLog) -> Path | None:
    root = site_dir / CONTENT_DIR
    if not root.is_dir():
        log.error(
            CONTENT_DIR,
            1,
            1,
            f"there is no {CONTENT_DIR}/ folder in {site_dir}",
            "create content/news/ and put Markdown files in it",
        )
        return None
    return root


Reader = Callable[[str, str, ErrorLog], "Source | None"]  # (file, content path, log)


def content_files(root: Path, log: ErrorLog | None = None) -> list[tuple[str, str]]:
    """(content path, file) for every file below root that may be published, in the order
    builds take them; the content path is what path.relative_to(root).as_posix() gives,
    without Path objects. A link out of the site or an asset with script is an error at the
    file in `log` (without a log, all of them are raised at once as BuildFailed)."""
    site_dir = root.parent
    return publishable_files(root, site_dir, log, cache(lambda: html_assets_allowed(site_dir)))


def html_assets_allowed(site_dir: Path) -> bool:
    """site.yaml's `html_assets`, read only when content/ holds an HTML file."""
    try:
        return load_config(site_dir)[0].html_assets
    except BuildFailed:
        return False


def classify(files: list[tuple[str, str]], read: Reader, log: ErrorLog) -> tuple[list[Source], list[Asset]]:
    """Markdown files become Sources (read by `read`), every other file an Asset."""
    sources: list[Source] = []
    assets: list[Asset] = []
    for content_path, file in files:
        if is_markdown(content_path):
            source = read(file, content_path, log)
            if source:
                sources.append(source)
        else:
            assets.append(Asset(content_path, Path(file)))
    return sources, assets


def is_markdown(path: Path | str) -> bool:
    return is_markdown_name(str(path))


def read_source(path: Path | str, content_path: str, log: ErrorLog) -> Source | None:
    display = f"{CONTENT_DIR}/{content_path}"
    with open(path, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)  # counted past it
        line, col = _position(data, offset)
        log.error(display, line, col, _not_utf8(data, offset), "re-save the file with UTF-8 encoding in your editor")
        return None
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or "\ufffe" in text or "\uffff" in text:
        errors = len(log.errors)
        text = _check_characters(display, text, log)  # ~4 us for the test above, ~20 us for this scan
        if len(log.errors) > errors:
            return None  # the front matter cannot be read as written: YAML would only say so again
    return Source(display, content_path, default_type(content_path), text)


# Control characters XML cannot hold: a feed or calendar with one is broken for every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The same control characters as bytes: in UTF-8 each is one byte that no other character uses.
_CONTROL_BYTES = bytes(code for code in range(0x20) if code not in b"\t\n\r")


def _check_characters(display: str, text: str, log: ErrorLog) -> str:
    """Invisible characters pasted from word processors, each at its line and column. In the
    front matter one is an error (it would change a title or a date); in the body a warning,
    and it is left out of what is published (the file itself is not changed), but for Word's
    line and page breaks between two words, which become one space: the words stay apart."""
    body_starts = _body_start(text)
    spaced = {at for found in _BETWEEN_WORDS.finditer(text, body_starts) for at in range(*found.span())}
    for match in _NOT_XML.finditer(text):
        before = text[: match.start()]
        line, col = before.count("\n") + 1, match.start() - before.rfind("\n")
        code = f"U+{ord(match.group()):04X}"
        hint = "delete it (it often comes from copying text out of a word processor)"
        if match.start() < body_starts:
            log.error(display, line, col, f"the invisible control character {code} cannot be published", hint)
        elif match.start() in spaced:
            hint = "replace it with a space or a line break (it is a word processor's line or page break)"
            log.warn(display, line, col, f"the invisible control character {code} is shown as a space", hint)
        else:
            log.warn(display, line, col, f"the invisible control character {code} is left out of the page", hint)
    body = _BETWEEN_WORDS.sub(" ", text[body_starts:])  # never at a line's start: no indent is made of it
    return text[:body_starts] + _NOT_XML.sub("", body)


# Word's line break (Shift+Enter, U+000B) and page break (U+000C) between two words.
_BETWEEN_WORDS = re.compile(r"(?<=\S)[\x0b\x0c]+(?=\S)")


def _body_start(text: str) -> int:
    """Where the body begins: after the closing `---` of the front matter (0 without one)."""
    if not text.startswith("---"):
        return 0
    end = text.find("\n---", 3)
    return len(text) if end < 0 else end + 4


def default_type(content_path: str) -> str:
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return DEFAULT_TYPES.get(folder, "page")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as an editor counts) of a byte offset in a
    file that is valid UTF-8 up to that offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    before = data[line_start:offset].decode("utf-8-sig" if line_start == 0 else "utf-8")
    return data.count(b"\n", 0, offset) + 1, len(before) + 1


def _not_utf8(data: bytes, offset: int) -> str:
    """Name the byte and what it probably was: most such files are Windows-1252 (Latin-1)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the file is UTF-16 text, not UTF-8"
    byte = data[offset]
    guess = bytes([byte]).decode("cp1252", errors="replace")
    known = guess.isprintable() and guess != "\ufffd"
    probably = f", probably `{guess}` saved as Latin-1/Windows-1252" if known else ""
    return f"the file is not UTF-8 text (byte 0x{byte:02x}{probably})"
