"""Stage 1: walk content/ into Sources (Markdown) and Assets (everything else)."""

from __future__ import annotations

from pathlib import Path

from .errors import ErrorLog
from .model import Asset, Source

CONTENT_DIR = "content"
DEFAULT_TYPES = {
    "news": "news",
    "events": "event",
    "calls": "call",
    "programmes": "programme",
    "pages": "page",
}


def load(site_dir: Path, log: ErrorLog) -> tuple[list[Source], list[Asset]]:
    root = site_dir / CONTENT_DIR
    if not root.is_dir():
        log.error(
            CONTENT_DIR,
            1,
            1,
            f"there is no {CONTENT_DIR}/ folder in {site_dir}",
            "create content/news/ and put Markdown files in it",
        )
        return [], []
    sources: list[Source] = []
    assets: list[Asset] = []
    for path in sorted(_visible_files(root)):
        content_path = path.relative_to(root).as_posix()
        if path.suffix.lower() in (".md", ".markdown"):
            source = _read_source(path, content_path, log)
            if source:
                sources.append(source)
        else:
            assets.append(Asset(content_path, path))
    return sources, assets


def _visible_files(root: Path):
    """Every file below root except hidden ones (.DS_Store, editor swap files, .git)."""
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if path.is_file() and not any(part.startswith(".") or part.endswith("~") for part in relative):
            yield path


def _read_source(path: Path, content_path: str, log: ErrorLog) -> Source | None:
    display = f"{CONTENT_DIR}/{content_path}"
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        log.error(display, line, col, _not_utf8(data, exc.start), "re-save the file with UTF-8 encoding in your editor")
        return None
    folder = content_path.split("/", 1)[0] if "/" in content_path else ""
    return Source(display, content_path, DEFAULT_TYPES.get(folder, "page"), text)


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
