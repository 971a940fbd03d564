"""The disk cache's item bodies, kept apart from the items: a second build unpickles 10,000
items without their 80 MB of HTML, and reads a body only when an output that shows it is
rendered again (its own page, a feed).

`bodies-<n>.bin` holds the bodies as UTF-8, one after another; `bodies.pickle` says where each
parse key's body is. A build appends the bodies it parsed; once more than half of the file
belongs to entries that are gone, the live ones are copied to a new file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from .model import Item

INDEX = "bodies.pickle"

Loader = Callable[[Path, str], Any]
Dumper = Callable[[Path, str, object], None]
Written = tuple[str, dict[str, tuple[int, int]], int]  # a new file's name, where each body is, its size


class StoredItem(Item):
    """An Item from the disk cache whose body is read from the store the first time it is used."""

    store: ClassVar[BodyStore | None] = None

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance lacks: its body, until first asked for.
        key = self.__dict__.get("_body_key")
        if name != "body_html" or key is None or StoredItem.store is None:
            raise AttributeError(name)
        body = StoredItem.store.get(key)
        object.__setattr__(self, "body_html", body)
        return body


def without_body(item: Item) -> dict:
    return {name: value for name, value in item.__dict__.items() if name not in ("body_html", "_body_key")}


def stored_item(fields: dict, key: str) -> StoredItem:
    item = StoredItem.__new__(StoredItem)
    item.__dict__.update(fields)
    item.__dict__["_body_key"] = key
    return item


class BodyStore:
    def __init__(self, folder: Path, salt: str, load: Loader, dump: Dumper):
        self.folder, self.salt, self._dump = folder, salt, dump
        index = load(folder / INDEX, salt) or {}
        self.file: str | None = index.get("file")
        self.where: dict[str, tuple[int, int]] = index.get("where", {})  # key -> (offset, length)
        self.size: int = index.get("size", 0)  # bytes of the file the index covers
        if self.file is None or not (folder / self.file).is_file():
            self.file, self.where, self.size = None, {}, 0
        self._fd: int | None = None
        self._fd_pid = 0
        StoredItem.store = self

    def has(self, key: str) -> bool:
        return key in self.where

    def get(self, key: str) -> str:
        offset, length = self.where[key]
        return os.pread(self._open(), length, offset).decode("utf-8", "surrogatepass")

    def _open(self) -> int:
        if self._fd is None or self._fd_pid != os.getpid():  # a forked worker opens its own
            assert self.file is not None
            self._fd, self._fd_pid = os.open(self.folder / self.file, os.O_RDONLY), os.getpid()
        return self._fd

    def save(self, items: Mapping[str, Item], written: Written | None = None) -> None:
        """After a successful build: every parse key it used, with its item. `written`: what
        write_file() returned, if a worker already wrote the new file (see needs_new_file)."""
        if written is not None:
            self._adopt(*written)
        elif self.needs_new_file(items):
            self._adopt(*self.write_file(items))
        else:
            self._append({key: item for key, item in items.items() if key not in self.where})
        self._dump(self.folder / INDEX, self.salt, {"file": self.file, "where": self.where, "size": self.size})

    def needs_new_file(self, items: Mapping[str, Item]) -> bool:
        """Whether there is no file yet or more than half of it belongs to entries that are gone."""
        live_bytes = sum(self.where[key][1] for key in items if key in self.where)
        return self.file is None or self.size - live_bytes > live_bytes

    @staticmethod
    def new_file_name() -> str:
        return f"bodies-{os.urandom(4).hex()}.bin"

    def write_file(self, items: Mapping[str, Item], name: str | None = None) -> Written:
        """A new file with the bodies of `items`: its name, where each body is, its size."""
        name = name or self.new_file_name()
        where, size = {}, 0
        with open(self.folder / name, "wb") as handle:
            for key, item in items.items():
                body = item.body_html.encode("utf-8", "surrogatepass")
                where[key] = (size, len(body))
                handle.write(body)
                size += len(body)
        return name, where, size

    def _append(self, fresh: Mapping[str, Item]) -> None:
        if not fresh:
            return
        assert self.file is not None
        with open(self.folder / self.file, "ab") as handle:
            handle.seek(self.size)
            handle.truncate()  # bytes a failed build appended after the indexed ones
            for key, item in fresh.items():
                body = item.body_html.encode("utf-8", "surrogatepass")
                self.where[key] = (self.size, len(body))
                handle.write(body)
                self.size += len(body)

    def _adopt(self, name: str, where: dict[str, tuple[int, int]], size: int) -> None:
        for old in self.folder.glob("bodies-*.bin"):  # the file before, and any a failed build wrote
            if old.name != name:
                old.unlink(missing_ok=True)
        self.file, self.where, self.size, self._fd = name, where, size, None
