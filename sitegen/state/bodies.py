"""Item bodies in the build's memory on disk: one file of texts, one after another, read only
when an output that shows a body is rendered again. Measured at 10,000 posts: the bodies are
~80 MB of the state; with them in state.json a build after one edit spent ~1.2 s writing and
reading JSON, without them ~0.2 s (docs/performance.md)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sitegen.model import Item


class DamagedCache(OSError):
    """A stored body is not where the state says it is, or not text: an OSError, as a file
    that cannot be read, so that the render stage does not take it for a template's mistake."""


class BodyFile:
    """An open file of bodies. Opened at once: a newer build may replace it on disk while
    items of this one still point into it (the open file stays readable)."""

    def __init__(self, path: Path, writable: bool = False):
        self.path = path
        # Not through a link, nor anything but a file: a cache may be someone else's (a pull
        # request can add one), and its bodies are published.
        self.fd = os.open(path, (os.O_RDWR if writable else os.O_RDONLY) | os.O_NOFOLLOW | os.O_NONBLOCK)
        info = os.fstat(self.fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(self.fd)
            raise DamagedCache(f"{path} is not a file")
        self.size = info.st_size

    def grown(self) -> None:
        """Bodies were appended to the file: they may be read too."""
        self.size = os.fstat(self.fd).st_size

    def read(self, offset: int, length: int) -> str:
        data = os.pread(self.fd, length, offset)  # pread: forked workers share the descriptor safely
        if len(data) != length:
            raise DamagedCache(f"{self.path} is shorter than its state says")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise DamagedCache(f"{self.path} holds a body that is not UTF-8") from None


class StoredBody:
    """An item's body, read from its file each time it is shown (each is shown about once)."""

    __slots__ = ("file", "length", "offset")

    def __init__(self, file: BodyFile, offset: int, length: int):
        if offset < 0 or length < 0 or offset + length > file.size:
            raise DamagedCache(f"a body lies outside {file.path}")
        self.file, self.offset, self.length = file, offset, length

    def read(self) -> str:
        return self.file.read(self.offset, self.length)


def make_cache_folder(folder: Path) -> bool:
    """The cache's folder, ignored by git (it is the machine's, not the site's): whether it was
    made now."""
    made = not folder.is_dir()
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return made


def next_body_file(folder: Path) -> Path:
    """A new, empty body file, numbered past every body file in the folder: a name in use is
    never emptied, so the state.json on disk (of the last successful build, when this build
    fails or is killed, or when its own state could not be used) keeps the bodies it names."""
    number = max([0, *(_number(path) for path in folder.glob("bodies-*.txt"))]) + 1
    while True:
        path = folder / f"bodies-{number}.txt"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            return path
        except FileExistsError:  # another build made it meanwhile
            number += 1


class NewBodies:
    """A new body file that the parsing processes write the bodies they parse into, so that the
    bodies never travel back to the build's process through a pipe, nor are written by it
    alone while the others wait (10,000 posts: see docs/performance.md). Opened before they are
    forked (`open`, once there is a file to parse): they inherit the open file and the shared
    end of what is taken, and each run of files takes a place of its own with pwrite, so no
    two runs (and no other build, which makes a file of its own number) write over each other."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file: BodyFile | None = None  # read by the render stage, in this process and its forks
        self._end: Any = None
        self._made_folder = False

    def open(self) -> None:
        self._made_folder = make_cache_folder(self.folder)
        self.file = BodyFile(next_body_file(self.folder), writable=True)
        # Bytes taken: shared memory with its lock, inherited by the forked parsing processes.
        methods = multiprocessing.get_all_start_methods()
        self._end = multiprocessing.get_context("fork" if "fork" in methods else None).Value("q", 0)

    def write(self, items: Sequence[Item]) -> None:
        """In a parsing process: write the items' bodies, each item keeping only its place."""
        assert self.file is not None
        data = [item.body.encode("utf-8") for item in items]  # type: ignore[union-attr]
        size = sum(map(len, data))
        with self._end.get_lock():
            offset = self._end.value
            self._end.value += size
        _write_at(self.file.fd, b"".join(data), offset)
        for item, body in zip(items, data, strict=True):
            item.__dict__["body"] = Place(offset, len(body))
            offset += len(body)

    def stored(self, place: Place) -> StoredBody:
        """In the build's process: the body a parsing process wrote at `place`."""
        assert self.file is not None
        if place.offset + place.length > self.file.size:
            self.file.grown()
        return StoredBody(self.file, place.offset, place.length)

    def discard(self) -> None:
        """The build failed before its state was saved: no state names the file."""
        if self.file is not None:
            os.close(self.file.fd)
            self.file.path.unlink(missing_ok=True)
        if self._made_folder:  # a build that fails leaves nothing behind (its compiled templates too)
            shutil.rmtree(self.folder, ignore_errors=True)  # the build holds the site's lock (lock.py)


class Place:
    """Where a parsing process wrote a body (NewBodies); made a StoredBody on its way back."""

    __slots__ = ("length", "offset")

    def __init__(self, offset: int, length: int):
        self.offset, self.length = offset, length

    def __reduce__(self) -> tuple:
        return Place, (self.offset, self.length)

    def read(self) -> str:
        raise RuntimeError("a body's place is read before the build's process took it back")


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _number(path: Path) -> int:
    number = path.stem.rpartition("-")[2]
    return int(number) if number.isdigit() else 0


def save_bodies(folder: Path, items: Iterable[Item], current: BodyFile | None) -> tuple[str, dict[int, list[int]]]:
    """Write the bodies of `items` that are not yet in `current` after its end, or every body
    into a new file once more than half of `current` is bodies no item uses any more. Returns
    the file's name and (offset, length) by id(item)."""
    items = list(items)
    kept = [item for item in items if isinstance(item.body, StoredBody) and item.body.file is current]
    live = sum(item.body.length for item in kept)  # type: ignore[union-attr]
    if current is not None and current.size - live <= live:
        return current.path.name, _append(current.path, items, current)
    path = next_body_file(folder)
    return path.name, _append(path, items, None)


def _append(path: Path, items: list[Item], current: BodyFile | None) -> dict[int, list[int]]:
    places: dict[int, list[int]] = {}
    with open(path, "ab") as file:
        end = file.tell()
        for item in items:
            body = item.body
            if isinstance(body, StoredBody) and body.file is current:
                places[id(item)] = [body.offset, body.length]
                continue
            data = item.body_html.encode("utf-8")
            file.write(data)
            places[id(item)] = [end, len(data)]
            end += len(data)
    return places


def remove_other_body_files(folder: Path, keep: str) -> None:
    for path in folder.glob("bodies-*.txt"):
        if path.name != keep:
            path.unlink(missing_ok=True)
