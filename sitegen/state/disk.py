"""The build's memory on disk: .sitegen-cache/state.json. JSON, not pickle: CI may restore a
cache that someone else wrote, and reading data must never run code. A cache that is corrupt,
foreign or from another version is ignored with a warning and the build starts afresh."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen.state import BuildState
from sitegen.state.bodies import BodyFile, DamagedCache, StoredBody, remove_other_body_files, save_bodies
from sitegen.state.codec import decode_error, decode_item, encode_error, encode_item
from sitegen.state.files import FileRecord
from sitegen.state.renders import RenderMemory

CACHE_DIR = ".sitegen-cache"
STATE_FILE = "state.json"
FORMAT = 3


def load_state(site_dir: Path, salt: str) -> tuple[BuildState, str | None]:
    """The saved state, or an empty one and why the saved one could not be used."""
    path = site_dir / CACHE_DIR / STATE_FILE
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return BuildState(salt), None
    except (OSError, ValueError) as exc:
        return BuildState(salt), f"the cache {path} is unreadable ({exc.__class__.__name__}); building afresh"
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("salt") != salt:
        return BuildState(salt), None  # another version of sitegen or another site.yaml: nothing holds
    try:
        return _decode(data, salt, path.parent), None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OSError, DamagedCache) as exc:
        return BuildState(salt), f"the cache {path} is damaged ({exc}); building afresh"


def save_state(site_dir: Path, state: BuildState) -> None:
    """state.json and its bodies, so that a build killed at any moment leaves a whole state:
    bodies are appended (or written to a new file) first, state.json replaced last."""
    folder = site_dir / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    items = [record.item for record in state.files.values() if record.item is not None]
    name, places = save_bodies(folder, items, state.bodies)  # type: ignore[arg-type]
    temp = folder / f".{STATE_FILE}.{os.getpid()}"
    temp.write_text(json.dumps(_encode(state, name, places), separators=(",", ":")), encoding="utf-8")
    os.replace(temp, folder / STATE_FILE)
    remove_other_body_files(folder, keep=name)


def _encode(state: BuildState, bodies: str, places: dict[int, list[int]]) -> dict[str, Any]:
    keys = sorted(state.renders.digests)
    index = {key: number for number, key in enumerate(keys)}
    return {
        "format": FORMAT,
        "salt": state.salt,
        "bodies": bodies,
        "files": {path: _encode_file(record, places) for path, record in state.files.items()},
        "keys": [list(key) for key in keys],
        "digests": [state.renders.digests[key] for key in keys],
        "renders": {
            path: [sorted(index[key] for key in reads), list(state.renders.stamps[path])]
            for path, reads in state.renders.reads.items()
        },
    }


def _decode(data: dict[str, Any], salt: str, folder: Path) -> BuildState:
    keys = [(str(kind), str(name)) for kind, name in data["keys"]]
    renders = RenderMemory(digests=dict(zip(keys, data["digests"], strict=True)))
    for path, (numbers, stamp) in data["renders"].items():
        renders.reads[str(path)] = frozenset(keys[number] for number in numbers)
        renders.stamps[str(path)] = (int(stamp[0]), int(stamp[1]))
    name = str(data["bodies"])
    if "/" in name or not name.startswith("bodies-"):
        raise ValueError(f"unexpected body file {name!r}")
    bodies = BodyFile(folder / name)

    def stored(place: list[int]) -> StoredBody:
        return StoredBody(bodies, int(place[0]), int(place[1]))

    files = {str(path): _decode_file(value, stored) for path, value in data["files"].items()}
    return BuildState(salt, files, renders, bodies=bodies)


def _encode_file(record: FileRecord, places: dict[int, list[int]]) -> list[Any]:
    return [
        record.stamp,
        record.digest,
        encode_item(record.item, places[id(record.item)]) if record.item else None,
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
