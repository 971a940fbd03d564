"""The disk cache's item bodies, kept apart from the items: no process but the one that parsed
an item holds its body in memory (at 100,000 posts, 900 MB), a second build unpickles the items
without their HTML, and a body is read only when an output that shows it is rendered (its own
page, a feed).

Each parsing process appends the bodies it parses to a file of its own,
`bodies-<build>-<pid>.bin` (BodyAppender), and sends back where each one is; `bodies.pickle`
says, for every parse key, which file and which bytes. A build that fails removes its files; one
that succeeds keeps them and forgets the files no entry uses any more. Once more than half of
the bytes belong to entries that are gone, or there are more than MAX_FILES files, the live
bodies are copied into one new file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from sitegen.model import Item
from sitegen.write import write_all

INDEX = "bodies.pickle"
MAX_FILES = 16

Loader = Callable[[Path, str], Any]
Dumper = Callable[[Path, str, object], None]
Location = tuple[str, int, int]  # file name, offset, length


class StoredItem(Item):
    """An Item whose body is read from the store each time it is used: it is not kept on the
    item, because almost every body is used once (its own page; a feed's few newest read it a
    few times more). Kept, the bodies of 100,000 posts took 900 MB more of each rendering
    process by the end of the build (and were copied into the forked ones as they were set)."""

    store: ClassVar[BodyStore | None] = None

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance lacks: its body.
        key = self.__dict__.get("_body_key")
        if name != "body_html" or key is None or StoredItem.store is None:
            raise AttributeError(name)
        return StoredItem.store.get(key)


def without_body(item: Item) -> dict:
    return {name: value for name, value in item.__dict__.items() if name not in ("body_html", "_body_key")}


def stored_item(fields: dict, key: str) -> StoredItem:
    item = StoredItem.__new__(StoredItem)
    item.__dict__.update(fields)
    item.__dict__["_body_key"] = key
    return item


class BodyAppender:
    """The bodies one build parses, each process appending to its own file."""

    def __init__(self, folder: Path, build: str):
        self.folder, self.build = folder, build
        self._fd: int | None = None
        self._pid = 0
        self._name = ""
        self._size = 0

    def append(self, body: str) -> Location:
        if self._fd is None or self._pid != os.getpid():  # a forked process writes a file of its own
            self._pid = os.getpid()
            self._name = f"bodies-{self.build}-{self._pid}.bin"
            self._fd = os.open(self.folder / self._name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            self._size = 0
        data = body.encode("utf-8", "surrogatepass")
        write_all(self._fd, data)
        where = (self._name, self._size, len(data))
        self._size += len(data)
        return where

    def discard(self) -> None:
        for path in self.folder.glob(f"bodies-{self.build}-*.bin"):
            path.unlink(missing_ok=True)


class BodyStore:
    def __init__(self, folder: Path, salt: str, load: Loader, dump: Dumper):
        self.folder, self.salt, self._dump = folder, salt, dump
        index = load(folder / INDEX, salt) or {}
        self.where: dict[str, Location] = index.get("where", {})
        if not all((folder / name).is_file() for name in self.files()):
            self.where = {}
        self.fresh: dict[str, Location] = {}  # this build's bodies, until save()
        self._fds: dict[str, int] = {}
        self._fd_pid = 0
        StoredItem.store = self

    @property
    def file(self) -> str | None:
        """A file of the store, if it has any."""
        return next(iter(self.files()), None)

    def files(self) -> set[str]:
        return {entry[0] for entry in self.where.values()}

    def has(self, key: str) -> bool:
        return key in self.where

    def add(self, key: str, location: Location) -> None:
        self.fresh[key] = location

    def get(self, key: str) -> str:
        name, offset, length = self.fresh.get(key) or self.where[key]
        return os.pread(self._open(name), length, offset).decode("utf-8", "surrogatepass")

    def _open(self, name: str) -> int:
        if self._fd_pid != os.getpid():  # a forked worker opens its own
            self._fds, self._fd_pid = {}, os.getpid()
        fd = self._fds.get(name)
        if fd is None:
            fd = self._fds[name] = os.open(self.folder / name, os.O_RDONLY)
        return fd

    def needs_new_file(self, keys: Iterable[str]) -> bool:
        """Whether more than half of the bytes are dead, or the bodies are in too many files."""
        live = [self.fresh.get(key) or self.where.get(key) for key in keys]
        live_bytes = sum(entry[2] for entry in live if entry)
        all_bytes = sum(entry[2] for entry in self.where.values()) + sum(entry[2] for entry in self.fresh.values())
        files = {entry[0] for entry in live if entry}
        return all_bytes - live_bytes > live_bytes or len(files) > MAX_FILES

    def write_file(self, keys: Iterable[str], name: str) -> dict[str, Location]:
        """The bodies of `keys` copied into one new file: where each one is there."""
        where: dict[str, Location] = {}
        size = 0
        with open(self.folder / name, "wb") as handle:
            for key in keys:
                data = self.get(key).encode("utf-8", "surrogatepass")
                where[key] = (name, size, len(data))
                handle.write(data)
                size += len(data)
        return where

    def save(self, keys: Iterable[str], rewritten: dict[str, Location] | None = None) -> None:
        """After a successful build: the bodies of the parse keys it used, from `rewritten`
        (write_file's answer) or where they are; the files no key uses any more are removed."""
        if rewritten is not None:
            self.where = rewritten
        else:
            known = {**self.where, **self.fresh}
            self.where = {key: known[key] for key in keys if key in known}
        self.fresh = {}
        used = self.files()
        for path in self.folder.glob("bodies-*.bin"):
            if path.name not in used:
                self._forget(path)
        self._dump(self.folder / INDEX, self.salt, {"where": self.where})

    def _forget(self, path: Path) -> None:
        fd = self._fds.pop(path.name, None)
        if fd is not None and self._fd_pid == os.getpid():
            os.close(fd)
        path.unlink(missing_ok=True)
