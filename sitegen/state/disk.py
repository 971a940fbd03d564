"""The build's memory on disk: .sitegen-cache/state.json. JSON, not pickle: CI may restore a
cache that someone else wrote, and reading data must never run code. A cache that is corrupt,
foreign or from another version is ignored with a warning and the build starts afresh."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sitegen.state import BuildState, Window
from sitegen.state.bodies import (
    BodyFile,
    DamagedCache,
    Place,
    StoredBody,
    make_cache_folder,
    remove_other_body_files,
    save_bodies,
)
from sitegen.state.codec import decode_error, decode_item, encode_error, encode_item
from sitegen.state.files import FileRecord
from sitegen.state.renders import RenderMemory

CACHE_DIR = ".sitegen-cache"
# One encoder for every line: json.dumps with separators makes a new one each call (26,000
# lines at 10,000 posts: 4.8 -> 3.9 µs a line).
_line = json.JSONEncoder(separators=(",", ":")).encode
STATE_FILE = "state.json"
FORMAT = 6


# What decoding a damaged or crafted cache can raise (JSON too deep: RecursionError; a number
# too large for a time: OverflowError); the build then starts afresh.
_DAMAGED = (
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
    OSError,
    DamagedCache,
    OverflowError,
    RecursionError,
)


def load_state(site_dir: Path, salt: str) -> tuple[BuildState, str | None]:
    """The saved state, or an empty one and why the saved one could not be used."""
    path = site_dir / CACHE_DIR / STATE_FILE
    if path.parent.is_symlink() or path.is_symlink():  # a cache is the site's own folder, never a way out of it
        return BuildState(salt), f"the cache {path.parent} is a link; building afresh"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = json.loads(lines[0]) if lines else None
    except FileNotFoundError:
        return BuildState(salt), None
    except (OSError, ValueError, RecursionError) as exc:
        return BuildState(salt), f"the cache {path} is unreadable ({exc.__class__.__name__}); building afresh"
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("salt") != salt:
        return BuildState(salt), None  # another version of sitegen or another site.yaml: nothing holds
    try:
        return _decode(header, lines[1:], salt, path.parent), None
    except _DAMAGED as exc:
        return BuildState(salt), f"the cache {path} is damaged ({exc}); building afresh"


def store_bodies(site_dir: Path, state: BuildState) -> None:
    """Write the bodies of the items parsed anew into the cache's body file now, and keep only
    their place in memory: the render processes read each body when they show it. Otherwise
    they are forked from a parent holding every body (peak memory at 100,000 posts: 3,538 ->
    2,038 MiB, docs/performance.md). save_state() then finds them stored."""
    if not state.changed:
        return
    folder = _cache_folder(site_dir)
    items = [record.item for record in state.files.values() if record.item is not None]
    name, places = save_bodies(folder, items, state.bodies)  # type: ignore[arg-type]
    bodies: BodyFile | None = state.bodies  # type: ignore[assignment]
    if bodies is not None and name == bodies.path.name:
        bodies.grown()  # the new bodies were appended to it
    else:
        bodies = state.bodies = BodyFile(folder / name)
        for record in state.files.values():  # the lines read name places in the old file
            record.__dict__.pop("stored_line", None)
    for item in items:  # each keeps its identity: the assembled site lists it (reuse.py does the same)
        if not (isinstance(item.body, StoredBody) and item.body.file is bodies):
            item.__dict__["body"] = StoredBody(bodies, *places[id(item)])


def _cache_folder(site_dir: Path) -> Path:
    folder = site_dir / CACHE_DIR
    make_cache_folder(folder)
    return folder


def save_state(site_dir: Path, state: BuildState) -> None:
    """state.json and its bodies, so that a build killed at any moment leaves a whole state:
    bodies are appended (or written to a new file) first, state.json replaced last. A build
    that changed nothing writes nothing."""
    if not state.changed:
        return
    store_bodies(site_dir, state)  # most often done before rendering: nothing is left to write
    folder, name = site_dir / CACHE_DIR, state.bodies.path.name  # type: ignore[attr-defined]
    temp = folder / f".{STATE_FILE}.{os.getpid()}"
    with open(temp, "w", encoding="utf-8") as file:
        file.write(_line(_header(state, name)) + "\n")
        for path, record in state.files.items():
            file.write(_file_line(path, record) + "\n")
        renders = state.renders
        for path, reads in renders.reads.items():
            line = renders.stored.get(path) or _line([path, reads, renders.stamps[path]])
            file.write(line + "\n")
    # Unchanged first: a build stopped between the two keeps its body file, which the new
    # state.json may name (pipeline/__init__.py removes it only while changed is set).
    state.changed = False
    os.replace(temp, folder / STATE_FILE)
    remove_other_body_files(folder, keep=name)


def _file_line(path: str, record: FileRecord) -> str:
    """One file's record as a line of JSON: the line it was read from while the record and
    the place of its body are as they were (most of them: a build after one edit encodes one;
    store_bodies() forgets the lines when the bodies move to a new file), or the line a parsing
    process made (remember_line)."""
    stored = getattr(record, "stored_line", None)
    return stored if stored is not None else _line([path, *_encode_file(record)])


def remember_line(path: str, record: FileRecord) -> None:
    """In a parsing process, once its body is written (NewBodies): the record's line, made there
    rather than in the build's process after rendering, where it would be the serial end of a
    first build (10,000 files: 0.12 s)."""
    record.stored_line = _line([path, *_encode_file(record)])  # type: ignore[attr-defined]


def _header(state: BuildState, bodies: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "salt": state.salt,
        "bodies": bodies,
        "window": _encode_window(state.window),
        "files": len(state.files),
        "keys": state.renders.keys,
        "digests": state.renders.digests,
    }


def _decode(data: dict[str, Any], lines: list[str], salt: str, folder: Path) -> BuildState:
    name = str(data["bodies"])
    if "/" in name or not name.startswith("bodies-"):
        raise ValueError(f"unexpected body file {name!r}")
    bodies = BodyFile(folder / name)

    def stored(place: list[int]) -> StoredBody:
        return StoredBody(bodies, int(place[0]), int(place[1]))

    count = int(data["files"])
    files = {}
    for line, (path, *value) in zip(lines[:count], _json_lines(lines[:count]), strict=True):
        record = files[str(path)] = _decode_file(value, stored)
        record.stored_line = line  # type: ignore[attr-defined]
    state = BuildState(salt, files, _decode_renders(data, lines[count:]), bodies=bodies)
    state.window = _decode_window(data["window"])
    state.changed = False
    return state


def _decode_renders(data: dict[str, Any], lines: list[str]) -> RenderMemory:
    keys = [(str(kind), str(name)) for kind, name in data["keys"]]
    digests = [None if digest is None else str(digest) for digest in data["digests"]]
    if len(digests) != len(keys):
        raise ValueError("as many digests as keys expected")
    renders = RenderMemory(keys, digests)
    for line, (path, reads, (modified, size)) in zip(lines, _json_lines(lines), strict=True):
        if not isinstance(path, str) or not _numbers_below(reads, len(keys)):
            raise ValueError(f"the output {path!r} read keys that are not there")
        renders.reads[path], renders.stamps[path], renders.stored[path] = reads, (int(modified), int(size)), line
    return renders


def _numbers_below(reads: object, count: int) -> bool:
    """A list of key numbers: whole numbers (not true/false, not 0.5), each a key that is there."""
    if type(reads) is not list:
        return False
    return not reads or (set(map(type, reads)) == {int} and min(reads) >= 0 and max(reads) < count)


def _json_lines(lines: list[str]) -> list[Any]:
    """Every line at once: one call into the JSON decoder (a call a line: 0.10 -> 0.09 s at 10,000 files)."""
    return json.loads("[" + ",".join(lines) + "]")


def _encode_window(window: Window | None) -> list[Any] | None:
    if window is None:
        return None
    next_change = window.next_change.isoformat() if window.next_change else None
    return [list(window.key), window.now.isoformat(), next_change, list(window.assets)]


def _decode_window(value: list[Any] | None) -> Window | None:
    if value is None:
        return None
    (drafts, future), now, next_change, assets = value
    moment = datetime.fromisoformat(next_change) if next_change else None
    return Window((bool(drafts), bool(future)), datetime.fromisoformat(now), moment, tuple(map(str, assets)))


def _place(body: object) -> list[int]:
    assert isinstance(body, StoredBody | Place), "store_bodies() stores every body before the state is saved"
    return [body.offset, body.length]


def _encode_file(record: FileRecord) -> list[Any]:
    return [
        record.stamp,
        record.digest,
        encode_item(record.item, _place(record.item.body)) if record.item else None,
        [encode_error(error) for error in record.errors],
        [encode_error(error) for error in record.warnings],
        record.lookups,
        record.listed,
        record.known,
    ]


def _decode_file(value: list[Any], stored: Callable[[list[int]], StoredBody]) -> FileRecord:
    stamp, digest, item, errors, warnings, lookups, listed, known = value
    return FileRecord(
        stamp=tuple(int(part) for part in stamp) if stamp else None,  # type: ignore[arg-type]
        digest=str(digest),
        item=decode_item(item, stored) if item else None,
        errors=[decode_error(error) for error in errors],
        warnings=[decode_error(error) for error in warnings],
        lookups={str(path): bool(found) for path, found in lookups.items()},
        listed=bool(listed),
        known=str(known),
    )
