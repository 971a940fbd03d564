"""Stage 5: outputs -> output/. A build's files are staged in a hidden folder beside output/
(never inside it: a deploy must not publish half a build) and put in place at the end, along a
journal: after a build is killed at any moment, output/ holds the last site, the new one, or a
state the next sitegen command completes first (`recover`, write/journal.py). Only files whose bytes changed are
written. Nothing sitegen did not write is replaced or removed (a file not in its manifest, a
CNAME placed by hand, is an error when the build would write it), nor anything through a link."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import BuildFailed, SourceError
from sitegen.write.journal import (
    JOURNAL,
    MANIFEST,
    is_inside,
    put_in_place,
    read_manifest,
    recover,
    write_json,
)

__all__ = ["JOURNAL", "MANIFEST", "StagedWrite", "WriteReport", "close_for_writing", "read_manifest", "recover"]

OutputStamp = tuple[int, int]  # modification time (ns) and size of a file as written


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    stamps: dict[str, OutputStamp] = field(default_factory=dict)  # written path -> stamp as written


def write_outputs(outputs: dict[str, bytes | Path], output_dir: Path) -> WriteReport:
    """Stage and commit in one go (tests, small tools)."""
    staged = StagedWrite(output_dir)
    try:
        staged.stage(outputs)
        return staged.commit()
    except BaseException:
        staged.abort()
        raise


# Held from a build's journal to its last file in place: `sitegen serve`, stopping, waits for it and lets none begin.
_PUTTING_IN_PLACE = threading.Lock()
_CLOSED: set[Path] = set()  # output folders no build may be put in place in any more


def close_for_writing(output_dir: Path) -> None:
    with _PUTTING_IN_PLACE:
        _CLOSED.add(output_dir)


class StagedWrite:
    """stage() writes each output whose bytes differ from output/ into the staging folder, as it
    comes (several processes may stage into it); commit() puts them in place, prunes what earlier
    builds made and this one did not, and writes the manifest; abort() forgets everything."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        recover(output_dir)
        self.fresh = not output_dir.exists()  # then the staging folder is renamed to output/ at the end
        self.root = output_dir.with_name(f".{output_dir.name}.sitegen-{os.getpid()}")
        self.staged: set[str] = set()
        self.unchanged: set[str] = set()
        self.stamps: dict[str, OutputStamp] = {}
        self._made: set[str] = set()
        self.journal: dict | None = None  # written: the build is put in place whatever happens

    def stage(self, outputs: dict[str, bytes | Path]) -> None:
        for rel, data in outputs.items():
            content = data.read_bytes() if isinstance(data, Path) else data
            if not self.fresh and _same_bytes(self.output_dir / rel, content):
                self.unchanged.add(rel)
                continue
            self.stamps[rel] = self._write(rel, content)
            self.staged.add(rel)

    def handoff(self) -> tuple[set[str], set[str], dict[str, OutputStamp]]:
        """What this process staged since the last handoff, for the process that commits."""
        handed = (self.staged, self.unchanged, self.stamps)
        self.staged, self.unchanged, self.stamps = set(), set(), {}
        return handed

    def adopt(self, handed: tuple[set[str], set[str], dict[str, OutputStamp]]) -> None:
        staged, unchanged, stamps = handed
        self.staged |= staged
        self.unchanged |= unchanged
        self.stamps.update(stamps)

    def commit(self, kept: Collection[str] = ()) -> WriteReport:
        everything = self.staged | self.unchanged | set(kept)
        if self.fresh:
            return self._commit_fresh(everything)
        previous = read_manifest(self.output_dir)
        gone = previous - everything
        problems = _unsafe(self.output_dir, (self.staged | self.unchanged) - previous, gone)
        if problems:
            raise BuildFailed(problems)
        journal: dict[str, list[str]] = {"write": sorted(self.staged), "remove": sorted(gone)}
        if everything != previous:  # the manifest changes (most rebuilds of a preview add no file)
            journal["all"] = sorted(everything)
        with _PUTTING_IN_PLACE:
            if self.output_dir in _CLOSED:  # the preview is stopping: its last site stays
                self.abort()
                return WriteReport([], 0, [], {})
            write_json(self.root / JOURNAL, journal, self.root)
            self.journal = journal
            removed = put_in_place(self.output_dir, self.root, journal, previous)
            shutil.rmtree(self.root, ignore_errors=True)
        return WriteReport(sorted(self.staged), len(everything) - len(self.staged), removed, self.stamps)

    def abort(self) -> None:
        """Forget what was staged; stopped (Ctrl-C) after its journal, put it in place whole."""
        if self.journal is not None:
            with contextlib.suppress(OSError):  # else the next build's recover() finishes it
                recover(self.output_dir)
            return
        shutil.rmtree(self.root, ignore_errors=True)
        self.staged, self.unchanged, self.stamps = set(), set(), {}

    def _commit_fresh(self, everything: set[str]) -> WriteReport:
        self.root.mkdir(parents=True, exist_ok=True)
        write_json(self.root / MANIFEST, sorted(everything), self.root)
        try:
            os.rename(self.root, self.output_dir)  # one rename: output/ appears whole
        except OSError:  # output/ appeared meanwhile (another build): put the files in it instead
            journal = {"write": sorted(self.staged), "remove": [], "all": sorted(everything)}
            put_in_place(self.output_dir, self.root, journal)
            shutil.rmtree(self.root, ignore_errors=True)
        return WriteReport(sorted(self.staged), 0, [], self.stamps)

    def _write(self, rel: str, content: bytes) -> OutputStamp:
        """The mode is set again only when it is not 0o644 (a chmod by path after each write cost
        2.5 µs of a page's ~25 µs write, 5,000 files on tmpfs)."""
        target = f"{self.root}/{rel}"
        folder = target.rpartition("/")[0]
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            info = os.fstat(fd)  # the stamp the build's memory records, without another stat
            if info.st_mode & 0o777 != 0o644:  # a umask or a default ACL took some away: for everyone
                os.fchmod(fd, 0o644)  # (its time and size, the stamp, stay as they are)
        finally:
            os.close(fd)
        return info.st_mtime_ns, info.st_size


def _unsafe(output_dir: Path, new: set[str], gone: AbstractSet[str]) -> list[SourceError]:
    """Outputs put where sitegen did not write before: a file there or in the way of a folder
    is someone's (but those of sitegen's this build removes, `gone`), and a link in the way would
    lead outside output/. Found before the journal: once written, it is put in place whole."""
    problems = []
    for rel in sorted(new):
        target = output_dir / rel
        in_the_way = _in_the_way(output_dir, rel, gone)
        if not is_inside(output_dir, target):
            message, hint = f"output/{rel} lies behind a link that leads outside output/", _LINK_HINT
        elif in_the_way is not None:
            message, hint = f"output/{in_the_way} was not written by sitegen and would be replaced", _OWNED_HINT
        else:
            continue
        problems.append(SourceError(str(target), 1, 1, message, hint))
    return problems


def _in_the_way(output_dir: Path, rel: str, gone: AbstractSet[str]) -> str | None:
    """Someone's file where `rel` goes, in a folder there, or where one of its folders must be."""
    target = output_dir / rel
    if target.is_dir() and not target.is_symlink():
        inside = [path.relative_to(output_dir).as_posix() for path in target.rglob("*") if not path.is_dir()]
        return next((name for name in inside if name not in gone), None) if inside else rel
    if target.exists() or target.is_symlink():
        return rel
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        path = output_dir / folder
        if (path.is_file() or path.is_symlink()) and not path.is_dir():
            return None if folder in gone else folder
        if not path.exists():
            break
    return None


_LINK_HINT = "sitegen writes nothing through links: replace the link in output/ with a folder"
_OWNED_HINT = "move it out of output/ (put it in static/ or content/ to publish it with every build)"


def _same_bytes(target: Path, content: bytes) -> bool:
    try:
        return target.stat().st_size == len(content) and target.read_bytes() == content
    except OSError:
        return False
