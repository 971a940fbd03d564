"""The render stage's memory: what each output's rendering read, with the digest every key had,
and the one rule for reusing an output (nothing it read changed, and the file is as written)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

from sitegen.render.dependencies import Digests
from sitegen.render.tracking import Key

OutputStamp = tuple[int, int]  # the output file's modification time (ns) and size, as written


@dataclass
class RenderMemory:
    reads: dict[str, frozenset[Key]] = field(default_factory=dict)  # output path -> keys its rendering read
    stamps: dict[str, OutputStamp] = field(default_factory=dict)  # output path -> the file as written
    digests: dict[Key, str | None] = field(default_factory=dict)  # every read key -> its digest then

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
            key
            for key, digest in self.digests.items()
            if (key[0] not in stable or key in suspects) and digests[key] != digest
        }
        again = set()
        for path in paths:
            reads = self.reads.get(path)
            if reads is None or not reads.isdisjoint(changed) or _stamp(output_dir, path) != self.stamps.get(path):
                again.add(path)
        return again

    def remember(self, rendered: Mapping[str, tuple[frozenset[Key], OutputStamp]], outputs: Iterable[str]) -> None:
        """After a build: the renderings just made, and the reused ones, for exactly `outputs`."""
        for path, (reads, stamp) in rendered.items():
            self.reads[path], self.stamps[path] = reads, stamp
        keep = set(outputs)
        for gone in self.reads.keys() - keep:
            del self.reads[gone]
            self.stamps.pop(gone, None)

    def record_digests(
        self,
        digests: Digests,
        stable: frozenset[str] = frozenset(),
        suspects: Set[Key] = frozenset(),
        rendered: Iterable[str] = (),
    ) -> None:
        """The digest of every key some output read. With `stable` kinds (the site was reused),
        only the other keys and those the outputs just `rendered` read can be new."""
        if stable:
            known = self.digests
            fresh = {key for path in rendered for key in self.reads[path] if key not in known}
            for key in [key for key in known if key[0] not in stable or key in suspects] + list(fresh):
                known[key] = digests[key]
            return
        every = set().union(*self.reads.values()) if self.reads else set()
        self.digests = {key: digests[key] for key in every}


def _stamp(output_dir: str, path: str) -> OutputStamp | None:
    try:
        info = os.stat(f"{output_dir}/{path}")
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def output_stamp(output_dir: str, path: str) -> OutputStamp | None:
    return _stamp(output_dir, path)
