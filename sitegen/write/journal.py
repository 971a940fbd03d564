"""The journal of the write stage: how a staged build is put in place in output/ (`put_in_place`),
finished after a kill (`recover`), and remembered (the manifest of the files sitegen wrote).
Each step can be done again, so a build killed at any moment is completed by the next command."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path

MANIFEST = ".sitegen-manifest.json"
JOURNAL = ".sitegen-journal.json"


def recover(output_dir: Path) -> None:
    """Finish what a killed build began: a staging folder with a journal is put in place (the
    build had decided to commit), one without is removed (it had not). Folders of builds still
    running are left to them."""
    for folder in sorted(output_dir.parent.glob(f".{output_dir.name}.sitegen-*")):
        pid = folder.name.rpartition("-")[2]
        if not pid.isdigit() or (_running(int(pid)) and int(pid) != os.getpid()):
            continue
        journal = _read_json(folder / JOURNAL)
        if isinstance(journal, dict) and output_dir.is_dir():
            put_in_place(output_dir, folder, journal)
        shutil.rmtree(folder, ignore_errors=True)


def put_in_place(
    output_dir: Path, root: Path, journal: dict, listed_before: AbstractSet[str] | None = None
) -> list[str]:
    """Remove the files no longer made (first: a file may become a folder and back), move the
    staged files in, write the manifest. Each step can be done again (`recover`)."""
    removed = []
    for rel in _plain_paths(journal.get("remove", [])):
        target = output_dir / rel
        if is_inside(output_dir, target) and (target.is_file() or target.is_symlink()):
            target.unlink()
            removed.append(rel)
            _remove_empty_parents(target.parent, output_dir)
    for rel in _plain_paths(journal.get("write", [])):
        source = root / rel
        if source.is_file() and is_inside(output_dir, output_dir / rel):
            target = output_dir / rel
            if target.is_dir() and not any(p.is_file() or p.is_symlink() for p in target.rglob("*")):
                shutil.rmtree(target)  # a folder of sitegen's emptied by the removals above
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    if "all" in journal:  # else the manifest stays as it is
        listed = sorted(_plain_paths(journal["all"]))
        before = read_manifest(output_dir) if listed_before is None else listed_before
        if set(listed) != before:
            write_json(output_dir / MANIFEST, listed, root)
    return removed


def read_manifest(output_dir: Path) -> AbstractSet[str]:
    """The files sitegen wrote in output/ (a set not to change). The last one read is kept while
    the file is as it was (serve reads it at each rebuild: 16,500 names, ~10 ms)."""
    path = output_dir / MANIFEST
    try:
        info = path.stat()
    except OSError:
        return frozenset()
    global _last_manifest
    # ctime too: a rewrite in place with the same size and a time set back still changes it.
    stamp = (str(path), info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    last = _last_manifest  # one tuple, read and replaced whole
    if last[0] != stamp:
        names = _read_json(path)
        last = _last_manifest = (stamp, frozenset(_plain_paths(names if isinstance(names, list) else [])))
    return last[1]


_last_manifest: tuple[object, frozenset[str]] = (None, frozenset())  # the file's stamp, its names


# Relative paths of non-empty parts that do not start with a dot: no `..`, no absolute path,
# no hidden file. A tampered manifest or journal must not reach outside output/ nor touch
# .git/ or .htaccess.
_PLAIN = re.compile(r"[^/.\x00][^/\x00]*(?:/[^/.\x00][^/\x00]*)*")


def _plain_paths(names: Iterable[object]) -> list[str]:
    return [name for name in names if isinstance(name, str) and _PLAIN.fullmatch(name)]


def is_inside(output_dir: Path, target: Path) -> bool:
    """Whether target's folder is output/ or below it once every link is followed."""
    real_root = os.path.realpath(output_dir)
    folder = os.path.realpath(target.parent)
    return folder == real_root or folder.startswith(real_root + os.sep)


def write_json(target: Path, value: object, scratch: Path) -> None:
    """Written in `scratch` (never inside output/) and renamed into place."""
    scratch.mkdir(parents=True, exist_ok=True)
    temp = scratch / f".sitegen-temp-{os.getpid()}"
    temp.write_text(json.dumps(value, indent=0) + "\n", encoding="utf-8")
    os.chmod(temp, 0o644)
    os.replace(temp, target)


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True  # or PermissionError: another user's process


def _remove_empty_parents(folder: Path, output_dir: Path) -> None:
    while folder != output_dir and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
