"""Stage 1: walk content/ into Sources (Markdown) and Assets (everything else)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from sitegen.errors import ErrorLog
from sitegen.model import Asset, Source

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
    return classify(content_files(root), read or read_source, log)


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


def content_files(root: Path) -> list[tuple[str, str]]:
    """(content path, file) for every visible file below root, in the order builds take them;
    the content path is what path.relative_to(root).as_posix() gives, without Path objects."""
    prefix = len(str(root)) + 1
    return [(path[prefix:].replace(os.sep, "/"), path) for path in visible_paths(str(root))]


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
    return str(path).lower().endswith((".md", ".markdown"))


def is_hidden(name: str) -> bool:
    """.DS_Store, editor swap and backup files, .git: never content."""
    return name.startswith(".") or name.endswith("~")


def visible_files(root: Path) -> Iterator[Path]:
    """Every file below root except hidden ones and those in hidden folders (symbolic links
    to folders are not followed)."""
    return map(Path, visible_paths(str(root)))


def visible_paths(root: str) -> Iterator[str]:
    """visible_files() as strings (listing 100,000 files makes no Path object), in the order
    Path objects sort: each folder's entries by name, a folder's files where its name falls
    ("a/b" before "a-c"). No sort of the whole list: comparing Paths made sorting 100,000
    files take ~2 s, and comparing their split parts ~0.3 s."""
    with os.scandir(root) as listing:
        entries = sorted((entry for entry in listing if not is_hidden(entry.name)), key=_name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from visible_paths(entry.path)
        elif entry.is_file():
            yield entry.path


def _name(entry: os.DirEntry) -> str:
    return entry.name


def read_source(path: Path | str, content_path: str, log: ErrorLog) -> Source | None:
    display = f"{CONTENT_DIR}/{content_path}"
    with open(path, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        log.error(display, line, col, _not_utf8(data, exc.start), "re-save the file with UTF-8 encoding in your editor")
        return None
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or "\ufffe" in text or "\uffff" in text:
        _check_characters(display, text, log)  # ~4 us for the test above, ~20 us for this scan
    return Source(display, content_path, default_type(content_path), text)


# Control characters XML cannot hold: a feed or calendar with one is broken for every reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The same control characters as bytes: in UTF-8 each is one byte that no other character uses.
_CONTROL_BYTES = bytes(code for code in range(0x20) if code not in b"\t\n\r")


def _check_characters(display: str, text: str, log: ErrorLog) -> None:
    """Invisible characters pasted from word processors, each at its line and column."""
    for match in _NOT_XML.finditer(text):
        before = text[: match.start()]
        line, col = before.count("\n") + 1, match.start() - before.rfind("\n")
        log.error(
            display,
            line,
            col,
            f"the invisible control character U+{ord(match.group()):04X} cannot be published",
            "delete it (it often comes from copying text out of a word processor)",
        )


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
