"""The last full build's assembled site on disk, for the fast path of the next `sitegen build`
(editbuild.py), which patches it instead of loading, parsing and assembling every file.

- site.pickle (a full build writes it): the Site with its items stored without their bodies
  (bodystore.py has those), where each item appears (patch.SiteIndex), each parsed item's shape,
  each Markdown file's stamp (size, times, inode), the warnings, and until when the clock leaves
  the site as it is.
- site-edits.pickle (fast builds write it): what they changed since: the edited items (whole,
  with their bodies), their stamps and warnings, and the stamps of the outputs they rewrote.

Both are tied to the cache's salt (sitegen's code, its libraries, site.yaml) and site-edits to
one site.pickle by a random name; a full build removes both before it saves anything else.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.bodystore import stored_item, without_body
from sitegen.content.load import visible_paths
from sitegen.errors import SourceError
from sitegen.model import Item, Site
from sitegen.patch import SiteIndex, shape
from sitegen.render.outputs import THEME_DIR
from sitegen.site.timeline import moments

SNAPSHOT = "site.pickle"
EDITS = "site-edits.pickle"

Stamp = tuple[int, ...]


@dataclass
class Snapshot:
    name: str  # random: the edits file names the snapshot it builds on
    output_dir: str
    flags: tuple[bool, bool]  # drafts, future
    templates: tuple  # every template file with its stamp
    site: Site
    index: SiteIndex
    shapes: dict[str, bytes]  # item source -> shape_digest(), for every parsed item (drafts too)
    stamps: dict[str, Stamp]  # content path -> stamp, for every Markdown file, in load order
    assets: list[str]  # content paths of the other files
    warnings: dict[str, list[SourceError]]  # content path -> what parsing it warned
    later_warnings: list[SourceError]  # assemble's
    valid_until: datetime | None  # the first moment at which the clock changes the site (drafts too)
    next_change: datetime | None  # the same without drafts: what the build reports


@dataclass
class Edits:
    """What fast builds changed since the snapshot named `base`."""

    base: str
    items: dict[str, Item | None] = field(default_factory=dict)  # content path -> its item now
    stamps: dict[str, Stamp] = field(default_factory=dict)
    warnings: dict[str, list[SourceError]] = field(default_factory=dict)
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # output path -> (mtime_ns, size)


def file_stamp(path: Path | str) -> Stamp:
    """What changes whenever a file is written: a file whose four are as before is not read
    (its inode change time moves with every write, and no tool sets it back)."""
    info = os.stat(path)
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def output_stamp(path: Path | str) -> tuple[int, int] | None:
    """An output file's modification time and size as written (None: it is not there): one
    that has both as recorded is trusted to hold what was written."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def template_stamps(site_dir: Path) -> tuple:
    """Every template file (the site's, then the theme's) with its stamp: a change to any means
    templates may render differently."""
    found = []
    for folder in (site_dir / "templates", THEME_DIR / "templates"):
        if folder.is_dir():
            found.extend((path, file_stamp(path)) for path in visible_paths(str(folder)))
    return tuple(found)


def valid_until(items: Iterable[Item], now: datetime, closing_soon_days: int) -> tuple[datetime | None, ...]:
    """(first moment after `now` that changes the site, the same counting published items only)."""
    ahead = [(m, item.draft) for item in items for m in moments(item, closing_soon_days) if m > now]
    return min((m for m, _ in ahead), default=None), min((m for m, draft in ahead if not draft), default=None)


def shape_digest(item: Item) -> bytes:
    """patch.shape() hashed: a tenth of its size, as the snapshot is loaded by every fast build."""
    return hashlib.blake2b(shape(item).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def shapes_of(items: Iterable[Item]) -> dict[str, bytes]:
    return {item.source: shape_digest(item) for item in items}


def write_snapshot(path: Path, salt: str, snapshot: Snapshot, keys: dict[int, str]) -> bool:
    """Pickle `snapshot` to `path`, each item as its parse key and fields without the body
    (`keys`: id(item) -> parse key). False, and no file, if an item has no key."""
    try:
        with path.open("wb") as handle:
            pickle.dump(salt, handle, protocol=pickle.HIGHEST_PROTOCOL)
            _ItemsWithoutBodies(handle, keys).dump(snapshot)
        return True
    except _NoKey:
        path.unlink(missing_ok=True)
        return False


class _NoKey(Exception):
    pass


class _ItemsWithoutBodies(pickle.Pickler):
    def __init__(self, handle, keys: dict[int, str]):
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self.keys = keys

    def reducer_override(self, obj):
        if not isinstance(obj, Item):
            return NotImplemented
        key = obj.__dict__.get("_body_key") or self.keys.get(id(obj))
        if key is None:
            raise _NoKey(obj.source)
        return stored_item, (without_body(obj), key)
