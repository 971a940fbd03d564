"""The build's memory between runs, on disk: `.sitegen-cache/` in the site folder.

- parse-<0-f>.pickle: each Markdown file's Item without its body (and its mistakes), under a key made of the file's
  path, type and text and of everything else parsing reads: sitegen's own code, the versions of
  the libraries that shape the HTML, and site.yaml. An entry is used while every file it looked
  up in content/ (images, linked files) still does or does not exist, as before. The entries are
  in 16 files by the key's first digit, so that an edit rewrites a sixteenth of them. The bodies
  are apart (bodystore.py: written by the processes that parse them, read only for outputs
  rendered again).
- files.pickle: each Markdown file's size, modification and change times and inode, with its
  parse key: a file that has all four as before is not even read (its inode change time moves
  with every write, and no tool sets it back).
- templates/: Jinja's compiled templates (its FileSystemBytecodeCache, keyed by their source).
- render.pickle: for each output written, a digest of its key (fingerprint.py: everything its
  rendering reads, with items named by their parse key) and the file's size and time as written.
  An output whose digest is the same and whose file in output/ is untouched is not rendered
  again nor compared byte for byte: it is kept.
- site.pickle, site-edits.pickle: the assembled site, for the next build's fast path
  (snapshot.py, editbuild.py).

The big files (the snapshot, the changed shards, a new body file) are written by render processes
as tasks beside the rendering (writers()); save() puts them in place, discard() removes them.
A cold build (no cache, or `--no-cache`) and a cached one write the same bytes
(tests/test_diskcache.py). Only a successful build saves the cache. The cache is trusted like the
site's own files: delete the folder to start afresh.
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen.bodystore import BodyAppender, BodyStore, Location, stored_item, without_body
from sitegen.content.config import SiteConfig
from sitegen.content.load import CONTENT_DIR, default_type, read_source
from sitegen.errors import ErrorLog, SourceError
from sitegen.fingerprint import Keys, Same, TemplateKeys
from sitegen.model import Item, Site, Source
from sitegen.parallel import Parsed, map_sources, parse_one
from sitegen.patch import SiteIndex
from sitegen.snapshot import EDITS, SNAPSHOT, Snapshot, file_stamp, output_stamp, shapes_of, valid_until, write_snapshot
from sitegen.write import WriteReport

CACHE_DIR = ".sitegen-cache"
FORMAT = 3
SHARDS = "0123456789abcdef"
_LIBRARIES = ("markdown-it-pyrs", "nh3", "jinja2", "feedgen", "icalendar", "pyyaml", "python-slugify")


@functools.cache
def code_version() -> str:
    """sitegen's own code and the libraries that shape its output: a change to any starts afresh."""
    import importlib.metadata  # ~30 ms to import, and needed only here

    digest = hashlib.blake2b(f"{FORMAT} {sys.version}".encode(), digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.hexdigest()


def cache_salt(config: SiteConfig) -> str:
    """What every file of the cache is tied to: a file saved under another salt is not read."""
    return f"{code_version()} {config!r}"


class DiskCache:
    def __init__(self, site_dir: Path, config: SiteConfig, output_dir: Path):
        self.folder = site_dir / CACHE_DIR
        self.site_dir = site_dir
        self.output_dir = output_dir
        self.salt = cache_salt(config)
        self.bodies = BodyStore(self.folder, self.salt, load_pickle, save_pickle)
        self.parsed: dict[str, Parsed] = {}
        for shard in SHARDS:
            for key, (fields, *rest) in (load_pickle(self.folder / f"parse-{shard}.pickle", self.salt) or {}).items():
                if fields is None or self.bodies.has(key):  # (an entry without its body is parsed again)
                    self.parsed[key] = (None if fields is None else stored_item(fields, key), *rest)
        render = load_pickle(self.folder / "render.pickle", self.salt) or {}
        same_output = render.get("output") == str(output_dir)
        self.digests: dict[str, bytes] = render.get("digests", {}) if same_output else {}
        self.stats: dict[str, tuple[int, int]] = render.get("stats", {}) if same_output else {}
        self.files: dict[str, tuple[tuple[int, ...], str]] = load_pickle(self.folder / "files.pickle", self.salt) or {}
        self.stamps: dict[str, tuple[int, ...]] = {}  # content path -> its stamp as this build read it
        self.new_files: dict[str, tuple[tuple[int, ...], str]] = {}
        self.tokens: dict[int, str] = {}  # id(item) -> its parse key, for this build
        self.parsed_now = 0  # files parsed by this build (the others came from the cache)
        self._changed_shards: set[str] = set(SHARDS)
        self.warnings: dict[str, list[SourceError]] = {}  # content path -> what parsing it warned
        self._site: tuple | None = None  # the site this build assembled, for the next one (remember_site)
        self._aside = _Aside(self.folder, os.urandom(4).hex())  # this build's files, until save()
        self.appender = BodyAppender(self.folder, self._aside.build)
        self._made_folder = False  # by this build: a failed one removes it again

    # --- load ----------------------------------------------------------------------------

    def read(self, path: str, content_path: str, log: ErrorLog) -> Source | None:
        """load.py's reader: a file unchanged since its entry was made is known by its key;
        any other is left unread, for a parsing process to read (parse()). A file the cache
        has never seen is not even stat'ed here: the parsing process takes its stamp."""
        display, kind = f"{CONTENT_DIR}/{content_path}", default_type(content_path)
        known = self.files.get(content_path)
        if known is None:
            return Source(display, content_path, kind, "", unread=True)
        try:
            stamp = file_stamp(path)
        except OSError:
            return read_source(path, content_path, log)
        self.stamps[content_path] = stamp  # taken before reading: a write during it shows next time
        if known[0] == stamp and known[1] in self.parsed:
            return Source(display, content_path, kind, "", known[1])
        return Source(display, content_path, kind, "", unread=True)

    # --- parse ---------------------------------------------------------------------------

    def parse(self, sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog, jobs: int) -> list:
        """Items for `sources`, from the cache where it still holds; the others are read (if
        unread) and parsed on `jobs` processes."""
        known_key = _known_key(known)
        keys: list[str | None] = [None if s.unread else s.cache_key or self._source_key(s) for s in sources]
        todo = [n for n, key in enumerate(keys) if key is None or not self._holds(key, known, known_key)]
        work = functools.partial(self._read_and_parse, config=config, known=known, known_key=known_key)
        entries: dict[str, Parsed] = {}
        if todo:
            self._make_folder()  # for the bodies
        done = map_sources(work, [sources[n] for n in todo], jobs)
        for n, (key, entry, read_errors, body, stamp) in zip(todo, done, strict=True):
            log.errors.extend(read_errors)
            if stamp is not None:
                self.stamps.setdefault(sources[n].content_path, stamp)
            keys[n] = key
            if key is not None and entry is not None:
                entries[key] = entry
            if body is not None:
                self.bodies.add(key, body)
        fresh = set(entries)
        self.parsed_now = len(fresh)
        items = []
        for key in keys:
            if key is None:
                continue  # unreadable: read_errors say why
            entry = entries.get(key) or self.parsed[key]
            entries[key] = entry
            item, errors, warnings = entry[0], entry[1], entry[2]
            log.errors.extend(errors)
            log.warnings.extend(warnings)
            if item is not None:
                items.append(item)
                self.tokens[id(item)] = key
        self._changed_shards = {key[0] for key in (entries.keys() ^ self.parsed.keys()) | fresh}
        self.parsed = entries
        read = [(source, key) for source, key in zip(sources, keys, strict=True) if key is not None]
        self.warnings = {source.content_path: list(entries[key][2]) for source, key in read}
        self.new_files = {
            source.content_path: (self.stamps[source.content_path], key)
            for source, key in read
            if source.content_path in self.stamps
        }
        return items

    def _holds(self, key: str, known: set[str], known_key: str) -> bool:
        return _still_valid(self.parsed.get(key), known, known_key)

    def _read_and_parse(self, source: Source, config: SiteConfig, known: set[str], known_key: str) -> tuple:
        """(parse key, new cache entry or None if the cache's holds, errors reading the file,
        where its body was written, the file's stamp if read here); in a parsing process. A file
        known unchanged is read too: its entry no longer holds (a file it links to went)."""
        read_errors: list[SourceError] = []
        stamp = None
        if source.unread or source.cache_key:
            log, path = ErrorLog(), self.site_dir / source.path
            with contextlib.suppress(OSError):  # read_source() says what is wrong
                stamp = file_stamp(path)  # before reading: a write during it shows next time
            found = read_source(path, source.content_path, log)
            if found is None:
                return None, None, log.errors, None, None
            source, read_errors = found, log.errors
        key = self._source_key(source)
        if self._holds(key, known, known_key):
            return key, None, read_errors, None, stamp
        item, errors, warnings, asked, listed = parse_one(source, config, known)
        body = None
        if item is not None:  # its body goes to this process's body file, not back with the item
            body = self.appender.append(item.body_html)
            item = stored_item(without_body(item), key)
        return key, (item, errors, warnings, asked, listed, known_key if listed else None), read_errors, body, stamp

    def _source_key(self, source: Source) -> str:
        digest = hashlib.blake2b(self.salt.encode(), digest_size=16)
        for part in (source.path, source.content_path, source.default_type, source.text):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    # --- assemble ------------------------------------------------------------------------

    def remember_site(self, site: Site, items: list[Item], assets: list[str], later: list[SourceError], **how) -> None:
        """The assembled site and what a fast build checks it by (snapshot.py); `how`: the
        output folder, the flags and the templates' stamps, taken before rendering."""
        self._site = (site, items, assets, later, how)

    def _snapshot(self) -> Snapshot:
        site, items, assets, later, how = self._site
        until, next_change = valid_until(items, site.now, how["closing_soon_days"])
        return Snapshot(
            name=os.urandom(8).hex(),
            output_dir=how["output_dir"],
            flags=how["flags"],
            templates=how["templates"],
            site=site,
            index=SiteIndex(site),
            shapes=shapes_of(items),
            stamps={path: entry[0] for path, entry in self.new_files.items()},
            assets=assets,
            warnings=self.warnings,
            later_warnings=later,
            valid_until=until,
            next_change=next_change,
        )

    # --- render --------------------------------------------------------------------------

    def plan(self, site: Site, env: jinja2.Environment) -> Plan:
        return Plan(self, Keys(site, TemplateKeys().start(env)))

    def templates(self) -> jinja2.BytecodeCache | None:
        """Jinja's compiled templates (keyed by each template's source), once a build has succeeded."""
        folder = self.folder / "templates"
        return jinja2.FileSystemBytecodeCache(str(folder)) if folder.is_dir() else None

    # --- save ----------------------------------------------------------------------------

    def writers(self) -> list[Callable[[], object]]:
        """The cache's big files, as tasks a render process can do while the others render
        (parallel.render_in_parallel): the snapshot of the site and, when the body file is
        written anew, the bodies. save() puts what they wrote in place; discard() removes it."""
        self._make_folder()
        tasks: list[Callable[[], object]] = [self._write_shards]
        if self._site:
            tasks.append(self._write_snapshot)
        if self.bodies.needs_new_file(self._live_keys()):
            self._aside.bodies = f"bodies-{self._aside.build}-all.bin"
            tasks.append(self._write_bodies)
        return tasks

    def _write_shards(self) -> list[tuple[str, Path]]:
        """The parse cache's shards that changed, each to a temporary file: (its name, where it goes)."""
        written = []
        for shard in SHARDS:
            path = self.folder / f"parse-{shard}.pickle"
            if shard in self._changed_shards or not path.is_file():
                entries = {key: entry for key, entry in self.parsed.items() if key[0] == shard}
                temp = self._aside.path(f"parse-{shard}")
                save_pickle(temp, self.salt, {key: (_fields(item), *rest) for key, (item, *rest) in entries.items()})
                written.append((str(temp), path))
        return written

    def _write_snapshot(self) -> bool:
        return write_snapshot(self._aside.path("site"), self.salt, self._snapshot(), self.tokens)

    def _write_bodies(self) -> dict[str, Location]:
        assert self._aside.bodies is not None
        return self.bodies.write_file(self._live_keys(), self._aside.bodies)

    def _live_keys(self) -> list[str]:
        return [key for key, entry in self.parsed.items() if entry[0] is not None]

    def save(self, digests: dict[str, bytes], kept: Iterable[str], report: WriteReport, aside: list) -> None:
        """After a successful write (`report`): remember each output's digest and its file as
        written; `aside`: what the writers() returned, in their order."""
        stats = {path: self.stats[path] for path in kept if path in self.stats}
        for path in set(digests) - stats.keys():
            stamp = report.stamps.get(path) or output_stamp(self.output_dir / path)
            if stamp is not None:
                stats[path] = stamp
        (self.folder / "templates").mkdir(parents=True, exist_ok=True)
        _ignore_in_git(self.folder)
        for name in (SNAPSHOT, EDITS):  # they describe the site before this build
            (self.folder / name).unlink(missing_ok=True)
        results = iter(aside)
        for temp, path in next(results):
            os.replace(temp, path)
        snapshot_written = bool(next(results)) if self._site else False
        self.bodies.save(self._live_keys(), next(results) if self._aside.bodies else None)
        if self.new_files != self.files:
            save_pickle(self.folder / "files.pickle", self.salt, self.new_files)
        render = {"output": str(self.output_dir), "digests": digests, "stats": stats}
        if digests != self.digests or stats != self.stats or report.written:
            save_pickle(self.folder / "render.pickle", self.salt, render)
        if snapshot_written:  # last: it names bodies by the keys saved above
            os.replace(self._aside.path("site"), self.folder / SNAPSHOT)

    def _make_folder(self) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True)
            self._made_folder = True
        _ignore_in_git(self.folder)

    def discard(self) -> None:
        """After a failed build: remove what its processes wrote (bodies, files written aside),
        and the cache folder itself if this build made it."""
        if self._made_folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        for temp in self.folder.glob(self._aside.path("*").name):
            temp.unlink(missing_ok=True)
        self.appender.discard()


@dataclass
class _Aside:
    """Names for the files the writers write, until save() puts them in place."""

    folder: Path
    build: str  # random: this build's temporary files
    bodies: str | None = None  # the name of the new body file, if one is written

    def path(self, name: str) -> Path:
        return self.folder / f".tmp-{self.build}-{name}"


class Plan:
    """The render plan for one build (see parallel.RenderPlan)."""

    def __init__(self, cache: DiskCache, keys: Keys):
        self.keys, self.cache = keys, cache
        self.has_history = bool(cache.digests)
        self._salt = hashlib.blake2b(cache.salt.encode("utf-8", "surrogatepass"), digest_size=32).digest()
        self._nonce = os.urandom(16).hex()  # what an unnamed object becomes: equal to nothing saved
        self._dispatch = {**copyreg.dispatch_table, Same: self._reduce_same}

    def digest(self, key: object) -> bytes:
        """Hash of the key pickled without memo (equal values, equal bytes, however shared),
        with every item named by its parse key (a Same compares by identity only)."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.fast = True
        pickler.dispatch_table = self._dispatch
        pickler.dump(key)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=16, key=self._salt).digest()

    def unchanged(self, path: str, digest: bytes) -> bool:
        cache = self.cache
        if cache.digests.get(path) != digest or path not in cache.stats:
            return False
        return output_stamp(cache.output_dir / path) == cache.stats[path]

    def _reduce_same(self, same: Same) -> tuple:
        token = self.cache.tokens.get(id(same.obj)) if isinstance(same.obj, Item) else None
        return (str, (f"item {token}" if token else f"unnamed {self._nonce} {id(same.obj)}",))


def _fields(item: Item | None) -> dict | None:
    return None if item is None else without_body(item)


def _still_valid(entry: Parsed | None, known: set[str], known_key: str) -> bool:
    if entry is None:
        return False
    if entry[4]:  # it listed every file (a "did you mean"): valid only for the same files
        return entry[5] == known_key
    return all((path in known) == found for path, found in entry[3].items())


def _known_key(known: set[str]) -> str:
    return hashlib.blake2b("\0".join(sorted(known)).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def load_pickle(path: Path, salt: str) -> Any:
    try:
        with path.open("rb") as handle:
            found_salt = pickle.load(handle)
            if found_salt != salt:
                return None
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None


def save_pickle(path: Path, salt: str, value: object) -> None:
    """Written beside `path` and renamed: a build that stops halfway leaves the old file whole."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(salt, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _ignore_in_git(folder: Path) -> None:
    ignore = folder / ".gitignore"
    if not ignore.is_file():
        ignore.write_text("# sitegen's build cache: safe to delete\n*\n", encoding="utf-8")
