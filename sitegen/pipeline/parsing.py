"""Stages 1 and 2 with the build's memory: list content/, then parse each Markdown file unless
its last parse still holds (state/files.py decides), on every core for a big site."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.config import CONFIG_FILE, SiteConfig
from sitegen.content.files import is_hidden, publishable_files
from sitegen.content.load import CONTENT_DIR, content_files, content_root, is_markdown, read_source
from sitegen.content.parse import parse_source
from sitegen.errors import ErrorLog
from sitegen.model import Asset, Item
from sitegen.pipeline.workers import chunks, fork_map, jobs_for
from sitegen.render.environment import THEME_DIR
from sitegen.state import BuildState
from sitegen.state.bodies import NewBodies, Place
from sitegen.state.disk import remember_line
from sitegen.state.files import FileRecord, Listing, Lookups, Stamp, known_digest, stamp_of, still_valid, text_digest

LARGEST_RUN = 256  # files: a run's records, bodies included, are held and sent back at once


@dataclass
class Parsed:
    items: list[Item]
    assets: list[Asset]
    item_digests: dict[str, str]  # item source -> digest of its text and what it looked up
    parsed: int  # files parsed anew (the rest came from the build's memory)


@dataclass
class _Job:
    """What every parsing process needs, inherited when it is forked."""

    config: SiteConfig
    known: set[str]
    known_now: str
    salt: str
    previous: dict[str, FileRecord]
    bodies: NewBodies | None  # where the bodies parsed anew are written (a build with a cache on disk)


_job: _Job | None = None


def parse_content(
    site_dir: Path,
    config: SiteConfig,
    state: BuildState,
    log: ErrorLog,
    jobs: int | None,
    changed: Collection[Path] | None = None,
    listing: Listing | None = None,
    bodies: NewBodies | None = None,
) -> Parsed:
    """`changed`: the files a watcher saw change since `listing` was made (serve), or None.
    `bodies`: a new body file for the bodies parsed anew, which becomes the state's."""
    global _job
    root = content_root(site_dir, log)
    named = _named_edits(site_dir, listing, changed)
    if named is None or listing is None:
        listing = _list(root, log)
    known, known_now, markdown, assets = _parts(listing)
    statics = static_assets(site_dir, log)
    if statics:  # a body's `/static/logo.png` names a file of static/, published there
        static_paths = {asset.content_path for asset in statics if not is_markdown(asset.content_path)}  # no item
        known, known_now = known | static_paths, known_now + known_digest(static_paths)
    _job = _Job(config, known, known_now, state.salt, state.files, None)
    records: dict[str, FileRecord] = {}
    todo = []
    for content_path, file in markdown:
        unnamed = named is not None and content_path not in named
        record = _job.previous.get(content_path) if unnamed else _unchanged(content_path, file)
        if unnamed and record is not None and record.known != known_now and not still_valid(record, known, known_now):
            record = None  # a file of static/ it named was added or removed
        if record is None or record.stamp is None:  # racy: its stamp cannot tell, so its text is read
            todo.append((content_path, file))
        else:
            records[content_path] = record
    if bodies is not None and todo:
        bodies.open()
        _job.bodies = bodies
    workers = jobs_for(jobs, len(todo))
    for done in fork_map(_parse_files, chunks(todo, workers, largest=LARGEST_RUN), workers):
        records.update((path, _as_record(path, record)) for path, record in done)
    _job = None
    if bodies is not None and bodies.file is not None:  # the parsing processes wrote the bodies
        state.bodies = bodies.file
    files_now = {path: records[path] for path, _ in markdown}  # in file order; deleted files gone
    state.changed |= bool(todo) or files_now.keys() != state.files.keys()
    state.files, state.listing = files_now, listing
    return _collect(state.files, assets + statics, log, parsed=len(todo))


def _parts(listing: Listing) -> tuple[set[str], str, list[tuple[str, str]], list[Asset]]:
    """The listing's paths, their digest, its Markdown files and its assets: made once for a
    listing (serve uses one until a file is added or removed; 20,000 files: ~10 ms a rebuild)."""
    if listing.parts is None:
        files = listing.files
        known = {content_path for content_path, _ in files}
        markdown = [(path, file) for path, file in files if is_markdown(path)]
        assets = [Asset(path, Path(file)) for path, file in files if not is_markdown(path)]
        listing.parts = (known, known_digest(known), markdown, assets)
    return listing.parts  # type: ignore[return-value]


def _list(root: Path | None, log: ErrorLog) -> Listing:
    before = len(log.errors) + len(log.warnings)
    files = content_files(root, log) if root else []
    return Listing(files, clean=root is not None and len(log.errors) + len(log.warnings) == before)


def _named_edits(site_dir: Path, listing: Listing | None, changed: Collection[Path] | None) -> set[str] | None:
    """The Markdown files the watcher named, if that is all that changed in content/: each was
    a plain file in content/ at the last listing and still is, and no file there is a link
    (a link's target changes unseen). Then content/ lists the same files and no other file
    there needs a look. None: every file is looked at (no watcher; a file added, removed or
    moved; a folder; a link; a picture or other asset, whose checks run again; a path the
    watcher names that is none of the site's folders)."""
    if changed is None or listing is None or not listing.clean or _has_links(listing):
        return None
    root, listed, named = site_dir / CONTENT_DIR, dict(listing.files), set()
    for path in changed:
        if not path.is_relative_to(root):
            if _read_by_every_build(path, site_dir):
                continue
            return None
        rel = path.relative_to(root).as_posix()
        if any(is_hidden(part) for part in rel.split("/")):
            continue  # an editor's swap or backup file: never content
        file = listed.get(rel)
        if file is None or not is_markdown(rel) or os.path.islink(file) or not os.path.isfile(file):
            return None
        named.add(rel)
    return named


def _has_links(listing: Listing) -> bool:
    if listing.links is None:  # once per listing, when serve first names a file
        listing.links = any(os.path.islink(file) for _, file in listing.files)
    return listing.links


def _read_by_every_build(path: Path, site_dir: Path) -> bool:
    """site.yaml, templates and static files: every build reads them again."""
    if path == site_dir / CONFIG_FILE or path.is_relative_to(THEME_DIR):
        return True
    return any(path.is_relative_to(site_dir / folder) for folder in ("templates", "static"))


def static_assets(site_dir: Path, log: ErrorLog) -> list[Asset]:
    """The theme's static/ files, then the site's (which win by name), published under static/:
    as content/, never a hidden file, a link out of the site or an asset with script."""
    found: dict[str, Asset] = {}
    for root, base in ((THEME_DIR / "static", THEME_DIR), (site_dir / "static", site_dir)):
        if root.is_dir():
            for rel, file in publishable_files(root, base, log):
                found["static/" + rel] = Asset("static/" + rel, Path(file))
    return list(found.values())


def _unchanged(content_path: str, file: str) -> FileRecord | None:
    """The file's last parse, if the file has the same stamp and what it looked up is the same."""
    assert _job is not None
    record = _job.previous.get(content_path)
    if record is None or record.stamp is None:
        return None
    try:
        stamp = stamp_of(os.stat(file))
    except OSError:
        return None
    if stamp != record.stamp or not still_valid(record, _job.known, _job.known_now):
        return None
    return record


def _parse_files(files: Sequence[tuple[str, str]]) -> list[tuple[str, FileRecord | _Unchanged]]:
    assert _job is not None
    done = [(content_path, _parse_file(content_path, file)) for content_path, file in files]
    if _job.bodies is not None:
        _job.bodies.write([found.item for _, found in done if isinstance(found, FileRecord) and found.item])
        for content_path, found in done:
            if isinstance(found, FileRecord):
                remember_line(content_path, found)
    return done


@dataclass(frozen=True)
class _Unchanged:
    """A file read again and found as it was last parsed: only its new stamp goes back (sending
    the record would send a copy of its item, no longer the one whose body is remembered)."""

    stamp: Stamp | None


def _as_record(content_path: str, found: FileRecord | _Unchanged) -> FileRecord:
    assert _job is not None
    if isinstance(found, _Unchanged):
        return dataclasses.replace(_job.previous[content_path], stamp=found.stamp)
    if found.item is not None and isinstance(found.item.body, Place):
        found.item.__dict__["body"] = _job.bodies.stored(found.item.body)  # type: ignore[union-attr]
    return found


def _parse_file(content_path: str, file: str) -> FileRecord | _Unchanged:
    """Read the file; parse it unless its text and lookups are those of its last parse."""
    assert _job is not None
    log = ErrorLog()
    stamp = stamp_of(os.stat(file))
    source = read_source(file, content_path, log)
    digest = text_digest(source.text if source else "", _job.salt)
    previous = _job.previous.get(content_path)
    unchanged = previous is not None and previous.digest == digest and not log.errors and not previous.errors
    if unchanged and still_valid(previous, _job.known, _job.known_now):  # type: ignore[arg-type]
        return _Unchanged(stamp)
    lookups = Lookups(_job.known)
    item = parse_source(source, _job.config, lookups, log) if source else None  # type: ignore[arg-type]
    return FileRecord(stamp, digest, item, log.errors, log.warnings, lookups.asked, lookups.listed, _job.known_now)


def _collect(records: dict[str, FileRecord], assets: list[Asset], log: ErrorLog, parsed: int) -> Parsed:
    items, item_digests = [], {}
    for record in records.values():
        log.errors.extend(record.errors)
        log.warnings.extend(record.warnings)
        if record.item is not None:
            items.append(record.item)
            item_digests[record.item.source] = record.item_digest
    return Parsed(items, assets, item_digests, parsed)
