"""The files and parse stages' memory: what each Markdown file gave when it was last parsed,
and the one rule for reusing it (its text, then what it looked up, unchanged)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Set
from dataclasses import dataclass, field
from functools import cached_property

from sitegen.errors import SourceError
from sitegen.model import Item

# modification time (ns), size, inode, change time (ns): `cp -p`, `touch -r` and an unpacked
# archive set the modification time back, but the change time only the kernel sets.
Stamp = tuple[int, int, int, int]
RACY_SECONDS = 2  # a file changed this soon after it was read may change again in the same tick


@dataclass
class FileRecord:
    """One Markdown file as it was parsed."""

    stamp: Stamp | None  # None: not to be trusted (changed just before it was read)
    digest: str  # of its text and the salt
    item: Item | None  # None: it had errors
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[SourceError] = field(default_factory=list)
    lookups: dict[str, bool] = field(default_factory=dict)  # content paths the parse asked about: found?
    listed: bool = False  # the parse looked at every file in content/ (a "did you mean" hint)
    known: str = ""  # known_digest() of content/ when it was parsed

    @cached_property  # asked of every file in each of a preview's rebuilds
    def item_digest(self) -> str:
        """What the item is made of: its text and what its parse found in content/."""
        looked_up = repr(sorted(self.lookups.items())) + ("*" + self.known if self.listed else "")
        return hashlib.blake2b(f"{self.digest}\0{looked_up}".encode(), digest_size=8).hexdigest()


@dataclass
class Listing:
    """content/'s files as the last build listed them (serve keeps it in memory)."""

    files: list[tuple[str, str]]  # (content path, file)
    clean: bool = True  # listing found no mistake (else it is made again, to report it again)
    links: bool | None = None  # some file is a symbolic link (its target can change unseen); None: not looked yet
    parts: object = None  # what the parse stage made of `files` (pipeline/parsing.py _parts), kept with them


def stamp_of(info: os.stat_result) -> Stamp | None:
    """A file's stamp, or None when it changed within RACY_SECONDS: its next change could keep
    the same time and size (git calls this the racy-clean problem). The change time counts too:
    a file put back with an old modification time (`cp -p`) may be put back again in one tick."""
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_SECONDS * 1_000_000_000:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)


def text_digest(text: str, salt: str) -> str:
    return hashlib.blake2b(f"{salt}\0{text}".encode(), digest_size=16).hexdigest()


def known_digest(known: Set[str]) -> str:
    """Of every path in content/: a parse that listed them all depends on each."""
    return hashlib.blake2b("\0".join(sorted(known)).encode(), digest_size=16).hexdigest()


def still_valid(record: FileRecord, known: Set[str], known_now: str) -> bool:
    """A parse is reused while every file it looked up is still there (or still missing) and,
    if it listed every file, no file was added or removed since."""
    if record.listed and record.known != known_now:
        return False
    return all((path in known) == found for path, found in record.lookups.items())


class Lookups:
    """`known` (every path in content/) as a parse sees it, noting what it asks."""

    def __init__(self, known: Set[str]):
        self.known, self.asked, self.listed = known, {}, False
        self.asked: dict[str, bool]

    def __contains__(self, path: object) -> bool:
        found = path in self.known
        self.asked[str(path)] = found
        return found

    def __iter__(self) -> Iterator[str]:
        self.listed = True
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)
