"""The render stage's memory: what each output's rendering read, with the digest every key had,
and the one rule for reusing an output (nothing it read changed, and the file is as written).

Keys are numbered: an output's reads are the numbers of its keys, so that the memory of 16,000
outputs is lists of small numbers, read and written by the JSON codec's C code, and an output
whose rendering is unchanged keeps its line on disk as it was read (state/disk.py). Measured at
10,000 posts, one post edited: reading and saving this memory 0.28 -> 0.06 s (docs/performance.md)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field

from sitegen.render.dependencies import Digests
from sitegen.render.tracking import Key

OutputStamp = tuple[int, int]  # the output file's modification time (ns) and size, as written
Reads = Sequence[int]  # the numbers of the keys an output's rendering read


@dataclass
class RenderMemory:
    keys: list[Key] = field(default_factory=list)  # every key some output read, by its number
    digests: list[str | None] = field(default_factory=list)  # each key's digest when last compared
    reads: dict[str, Reads] = field(default_factory=dict)  # output path -> its keys' numbers
    stamps: dict[str, OutputStamp] = field(default_factory=dict)  # output path -> the file as written
    stored: dict[str, str] = field(default_factory=dict)  # output path -> its line on disk, while unchanged
    _numbers: dict[Key, int] | None = field(default=None, repr=False, compare=False)  # key -> its number

    def to_render(
        self,
        paths: Iterable[str],
        digests: Digests,
        output_dir: str,
        stable: frozenset[str] = frozenset(),
        suspects: Set[Key] = frozenset(),
    ) -> set[str]:
        """The outputs to render again: new ones, those whose reads changed, and those whose file
        in output/ is not as it was written (removed or changed by hand). Keys of the kinds in
        `stable` are known to be unchanged and not compared, but for the `suspects`."""
        changed = {
            number
            for number, (key, digest) in enumerate(zip(self.keys, self.digests, strict=True))
            if (key[0] not in stable or key in suspects) and digests[key] != digest
        }
        again = set()
        for path in paths:
            reads = self.reads.get(path)
            if reads is None or not changed.isdisjoint(reads) or _stamp(output_dir, path) != self.stamps.get(path):
                again.add(path)
        return again

    def numbered(self, reads: Set[Key]) -> list[int]:
        """An output's reads as the numbers of its keys (a key first read gets the next number).
        Looked up by the dict's own method, not a Python call a key: the build's process numbers
        every output's reads while the render processes work (~250,000 at 10,000 posts)."""
        if self._numbers is None:
            self._numbers = {key: number for number, key in enumerate(self.keys)}
        numbers = self._numbers
        if not numbers.keys() >= reads:  # a key first read in this build (a test in C, key by key)
            for key in reads:
                if key not in numbers:
                    numbers[key] = len(self.keys)
                    self.keys.append(key)
                    self.digests.append(_UNKNOWN)
        return sorted(map(numbers.__getitem__, reads))

    def remember(self, rendered: Mapping[str, tuple[Reads, OutputStamp]], outputs: Iterable[str]) -> None:
        """After a build: the renderings just made (their reads numbered()), and the reused ones,
        for exactly `outputs`."""
        for path, (reads, stamp) in rendered.items():
            self.reads[path], self.stamps[path] = reads, stamp
            self.stored.pop(path, None)
        keep = set(outputs)
        for gone in self.reads.keys() - keep:
            del self.reads[gone]
            self.stamps.pop(gone, None)
            self.stored.pop(gone, None)

    def record_digests(
        self,
        digests: Digests,
        stable: frozenset[str] = frozenset(),
        suspects: Set[Key] = frozenset(),
    ) -> None:
        """The digest of every key some output read. With `stable` kinds (the site was reused),
        only the other keys and the keys first read in this build can be new."""
        if not stable:
            self._forget_unread()
        for number, key in enumerate(self.keys):
            if key[0] not in stable or key in suspects or self.digests[number] is _UNKNOWN:
                self.digests[number] = digests[key]

    def _forget_unread(self) -> None:
        """Number the keys again once most of them are read by no output any more (their pages
        are gone): every output's line is then written anew."""
        read = set().union(*self.reads.values()) if self.reads else set()
        if len(read) * 2 >= len(self.keys):
            return
        renumber = {old: new for new, old in enumerate(sorted(read))}
        self.keys = [self.keys[old] for old in sorted(read)]
        self.digests = [self.digests[old] for old in sorted(read)]
        self.reads = {path: [renumber[old] for old in reads] for path, reads in self.reads.items()}
        self.stored.clear()
        self._numbers = None


_UNKNOWN = "\0unknown"  # a key first read in this build: its digest is recorded after it


def _stamp(output_dir: str, path: str) -> OutputStamp | None:
    try:
        info = os.stat(f"{output_dir}/{path}")
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def output_stamp(output_dir: str, path: str) -> OutputStamp | None:
    return _stamp(output_dir, path)
