"""Stage 5: Outputs -> output/. Only files whose bytes changed are written (atomically,
one by one); files a previous build made and this one did not are removed. Nothing
that sitegen did not generate is ever touched."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".sitegen-manifest.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # written path -> (mtime_ns, size) as written


def write_outputs(
    outputs: dict[str, bytes | Path],
    output_dir: Path,
    known: dict[str, object] | None = None,
    kept: Collection[str] = (),
) -> WriteReport:
    """`known` is what this process wrote last time (path -> bytes, or a copied file's
    stat), kept by the caller across builds (`sitegen serve`): an output that matches it is
    trusted to be on disk unchanged and is not read back. Without it every file is compared.
    `kept` names outputs of this build that the caller found in output_dir already as they
    would be written (the on-disk cache, diskcache.py): they stay, untouched and unread."""
    output_dir.mkdir(parents=True, exist_ok=True)
    previous = set(known) if known else _read_manifest(output_dir)
    report = WriteReport(unchanged=len(kept))
    everything = outputs.keys() | set(kept) if kept else outputs.keys()
    for rel in sorted(outputs):
        data = outputs[rel]
        stamp = _stamp(data) if known is not None else None
        if known is not None and rel in known and _matches(known[rel], stamp):
            report.unchanged += 1
            continue
        target = output_dir / rel
        content = data.read_bytes() if isinstance(data, Path) else data
        if _same_bytes(target, content):
            report.unchanged += 1
        else:
            _atomic_write(target, content)
            report.written.append(rel)
        if known is not None:
            known[rel] = stamp
    for rel in sorted(previous - everything):
        if known is not None:
            known.pop(rel, None)
        target = output_dir / rel
        if target.is_file():
            target.unlink()
            report.removed.append(rel)
            _remove_empty_parents(target.parent, output_dir)
    if known is None or report.removed or previous != everything:
        _atomic_write(output_dir / MANIFEST, (json.dumps(sorted(everything), indent=0) + "\n").encode())
    return report


def _stamp(data: bytes | Path) -> object:
    """What identifies an output's content without reading it: the bytes themselves, or a
    copied file's path, modification time and size."""
    if isinstance(data, Path):
        info = data.stat()
        return (str(data), info.st_mtime_ns, info.st_size)
    return data


def _matches(before: object, now: object) -> bool:
    return before is now or before == now


def _read_manifest(output_dir: Path) -> set[str]:
    try:
        names = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    # Only plain relative paths: a tampered manifest must not delete outside output/.
    return {n for n in names if isinstance(n, str) and ".." not in n.split("/") and not n.startswith("/")}


def _same_bytes(target: Path, content: bytes) -> bool:
    try:
        return target.stat().st_size == len(content) and target.read_bytes() == content
    except OSError:
        return False


def _atomic_write(target: Path, content: bytes) -> None:
    """Write beside the target and rename over it: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".sitegen-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _remove_abandoned(output_dir: Path) -> None:
    """Folders a fresh build was writing when its process was killed (none of a build still running)."""
    for folder in output_dir.parent.glob(f".{output_dir.name}.sitegen-*"):
        pid = folder.name.rpartition("-")[2]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_all(fd: int, content: bytes) -> None:
    """All of content to fd (os.write may write less than it is given)."""
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


def _write_stamped(fd: int, content: bytes) -> tuple[int, int]:
    """write_all(); the file's (mtime_ns, size) once written."""
    write_all(fd, content)
    info = os.fstat(fd)
    return info.st_mtime_ns, info.st_size


def _remove_empty_parents(folder: Path, output_dir: Path) -> None:
    while folder != output_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


class StagedWrite:
    """write_outputs() for outputs that arrive in parts (parallel rendering), so that no part
    needs to be kept in memory: stage() compares each output with output/ and writes a changed
    one beside its target under a hidden temporary name; commit() renames them all into place,
    prunes and writes the manifest, and reports as write_outputs() does; abort() removes all
    that stage() made (a failed build leaves output/ as it was)."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir
        # No output folder yet: nothing to compare or keep whole, so the build is written into
        # a hidden folder beside it under the final names, and that folder renamed at the end
        # (one rename, not one per file).
        self.fresh = not output_dir.exists()
        self.root = output_dir.with_name(f".{output_dir.name}.sitegen-{os.getpid()}") if self.fresh else output_dir
        if self.fresh:
            _remove_abandoned(output_dir)
        self.staged: dict[str, str] = {}  # output path -> temporary file beside it (fresh: in self.root)
        self.unchanged: set[str] = set()
        # Each staged file's modification time and size, taken from its open file as it is
        # written (a rename keeps both): the cache records them without a stat per output.
        self.stamps: dict[str, tuple[int, int]] = {}
        self.created: list[Path] = []  # folders made for staged files, parents first
        self._made: set[str] = set()  # the same, as strings: nothing can be in them yet
        self._found: set[str] = set()  # folders that were there already
        self._count = 0

    def stage(self, outputs: dict[str, bytes | Path]) -> None:
        # ~16,000 outputs in a cold build of 10,000 posts: paths are strings and each folder is
        # checked once, not stat'ed again per file; a file in a folder this build made cannot
        # be there already, so it is not compared.
        root = str(self.root)
        for rel, data in outputs.items():
            target = f"{root}/{rel}"
            folder = target.rpartition("/")[0]
            content = data.read_bytes() if isinstance(data, Path) else data
            if self.fresh:
                self.staged[rel], self.stamps[rel] = self._write_new(folder, target, content)
                continue
            if folder not in self._made:
                if folder not in self._found and not self._make_folder(folder):
                    self._found.add(folder)
                if folder not in self._made and _same_bytes(Path(target), content):
                    self.unchanged.add(rel)
                    continue
            self.staged[rel], self.stamps[rel] = self._write_aside(folder, content)

    def handoff(self) -> tuple[dict[str, str], set[str], list[Path], dict[str, tuple[int, int]]]:
        """What this process staged since the last handoff, for the process that commits
        (parallel rendering: each process writes the outputs it renders); forgotten here."""
        handed = (self.staged, self.unchanged, self.created, self.stamps)
        self.staged, self.unchanged, self.created, self.stamps = {}, set(), [], {}
        return handed

    def adopt(self, handed: tuple[dict[str, str], set[str], list[Path], dict[str, tuple[int, int]]]) -> None:
        staged, unchanged, created, stamps = handed
        self.staged.update(staged)
        self.unchanged.update(unchanged)
        self.created.extend(created)
        self.stamps.update(stamps)

    def _write_new(self, folder: str, target: str, content: bytes) -> tuple[str, tuple[int, int]]:
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            return target, _write_stamped(fd, content)
        finally:
            os.close(fd)

    def _write_aside(self, folder: str, content: bytes) -> tuple[str, tuple[int, int]]:
        """A new hidden file in `folder` with `content`, readable by all as mkstemp + chmod 644
        made it; named by this process and a count (mkstemp's random names are slower)."""
        self._count += 1
        temp = f"{folder}/.sitegen-{os.getpid()}-{self._count}"  # by pid: several processes stage
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # left by an earlier process with the same id
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".sitegen-")
        try:
            os.fchmod(fd, 0o644)
            return temp, _write_stamped(fd, content)
        finally:
            os.close(fd)

    def commit(self, kept: Collection[str] = ()) -> WriteReport:
        if self.fresh:
            return self._commit_fresh()
        previous = _read_manifest(self.output_dir)
        report = WriteReport(unchanged=len(self.unchanged) + len(kept), stamps=self.stamps)
        for rel in sorted(self.staged):
            os.replace(self.staged[rel], self.output_dir / rel)
            report.written.append(rel)
        everything = self.staged.keys() | self.unchanged | set(kept)
        self.staged = {}
        for rel in sorted(previous - everything):
            target = self.output_dir / rel
            if target.is_file():
                target.unlink()
                report.removed.append(rel)
                _remove_empty_parents(target.parent, self.output_dir)
        _atomic_write(self.output_dir / MANIFEST, (json.dumps(sorted(everything), indent=0) + "\n").encode())
        return report

    def _commit_fresh(self) -> WriteReport:
        written, self.staged = sorted(self.staged), {}
        self.root.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.root / MANIFEST, (json.dumps(written, indent=0) + "\n").encode())
        try:
            os.rename(self.root, self.output_dir)
        except OSError:  # the output folder appeared meanwhile: move the files into it instead
            for rel in [*written, MANIFEST]:
                os.renames(self.root / rel, self.output_dir / rel)
        return WriteReport(written=written, stamps=self.stamps)

    def abort(self) -> None:
        if self.fresh:
            shutil.rmtree(self.root, ignore_errors=True)
            self.staged, self.stamps = {}, {}
            return
        for temp in self.staged.values():
            Path(temp).unlink(missing_ok=True)
        self.staged, self.stamps = {}, {}
        for folder in reversed(self.created):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        self.created = []

    def _make_folder(self, folder: str) -> bool:
        """Make `folder` and its missing parents; whether any was made."""
        try:
            os.mkdir(folder)
        except FileExistsError:
            return False  # a file there instead fails when the file is written, with its name
        except FileNotFoundError:
            self._make_folder(folder.rpartition("/")[0])
            os.mkdir(folder)
        self.created.append(Path(folder))
        self._made.add(folder)
        return True
