"""The fast path of `sitegen build` with its cache: when the files changed since the last full
build are only Markdown files whose edits change what an item shows (its body, summary,
picture), not where it is listed (patch.shape), the last build's Site (snapshot.py) is patched
and only the outputs those items appear in are rendered again, with any output that is no
longer in output/ as it was written. Everything else is left as it is in output/.

Any doubt (a file added, removed or renamed, a listed field edited, a mistake, a template or
site.yaml changed, the clock past a moment that changes the site) returns None: the full build
runs, reports what it finds and writes a fresh snapshot. The output is byte for byte the full
build's (tests/test_editbuild.py).
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from sitegen.bodystore import BodyStore
from sitegen.content.config import SiteConfig
from sitegen.content.load import content_files, content_root, is_markdown, read_source
from sitegen.diskcache import CACHE_DIR, cache_salt, load_pickle, save_pickle
from sitegen.errors import ErrorLog, SourceError
from sitegen.model import Asset, Site
from sitegen.parallel import parse_one, render_only
from sitegen.patch import patch
from sitegen.render.outputs import make_environment
from sitegen.snapshot import EDITS, SNAPSHOT, Edits, Snapshot, file_stamp, output_stamp, shape_digest, template_stamps
from sitegen.urls import output_path
from sitegen.write import StagedWrite, WriteReport

MAX_EDITED = 200  # items edited since the full build: past this, a full build (and a fresh snapshot)
MAX_RENDERED = 300  # outputs to render: past this, the full build's processes do it sooner


@dataclass
class EditBuild:
    site: Site
    report: WriteReport
    warnings: list[SourceError]
    next_change: datetime | None


def build_edits(
    site_dir: Path, output_dir: Path, config: SiteConfig, flags: tuple[bool, bool], now: datetime
) -> EditBuild | None:
    folder = site_dir / CACHE_DIR
    salt = cache_salt(config)
    snapshot = _loaded(folder / SNAPSHOT, salt)
    if not isinstance(snapshot, Snapshot) or not _fits(snapshot, site_dir, output_dir, flags, now):
        return None
    edits = _loaded(folder / EDITS, salt)
    if not isinstance(edits, Edits) or edits.base != snapshot.name:
        edits = Edits(snapshot.name)
    files = _changed_files(site_dir, snapshot, edits)
    if files is None or len(edits.items.keys() | files[0].keys()) > MAX_EDITED:
        return None
    changed, assets = files
    fresh = _parse(changed, assets, snapshot, config)
    if fresh is None:
        return None
    render = _loaded(folder / "render.pickle", salt) or {}
    if render.get("output") != str(output_dir):
        return None
    site = _patched(snapshot, edits, fresh, assets, now)
    wanted = _outputs_of(site, snapshot, {entry[0].source for entry in fresh.values() if entry[0] is not None})
    everything = set(render["digests"])
    expected = {**render["stats"], **edits.outputs}
    root = str(output_dir)
    wanted |= {path for path in everything if output_stamp(f"{root}/{path}") != expected.get(path)}
    if len(wanted) > MAX_RENDERED:
        return None
    if BodyStore(folder, salt, load_pickle, save_pickle).file is None:  # bodies of unedited items, for feeds
        return None
    report = _render(site, config, site_dir, output_dir, folder, wanted, everything - wanted)
    _remember(edits, fresh, output_dir, wanted)
    save_pickle(folder / EDITS, salt, edits)
    warnings = [w for path in snapshot.stamps for w in edits.warnings.get(path, snapshot.warnings.get(path, []))]
    return EditBuild(site, report, warnings + snapshot.later_warnings, snapshot.next_change)


def items_by_type(site: Site) -> dict[str, int]:
    return dict(sorted(Counter(item.type for item in site.items).items()))


def _loaded(path: Path, salt: str) -> object:
    gc.disable()  # tens of thousands of new objects, none of them garbage: no pass is worth it
    try:
        return load_pickle(path, salt)
    finally:
        gc.enable()


def _fits(snapshot: Snapshot, site_dir: Path, output_dir: Path, flags: tuple[bool, bool], now: datetime) -> bool:
    if snapshot.output_dir != str(output_dir) or snapshot.flags != flags or now < snapshot.site.now:
        return False
    if snapshot.valid_until is not None and now >= snapshot.valid_until:
        return False
    return snapshot.templates == template_stamps(site_dir)


def _changed_files(site_dir: Path, snapshot: Snapshot, edits: Edits):
    """({content path: file} of the Markdown files changed since last time, the other files),
    or None if a file was added, removed or renamed."""
    root = content_root(site_dir, ErrorLog())
    if root is None:
        return None
    markdown: list[tuple[str, str]] = []
    assets: list[Asset] = []
    for content_path, path in content_files(root):
        if is_markdown(content_path):
            markdown.append((content_path, path))
        else:
            assets.append(Asset(content_path, Path(path)))
    if [p for p, _ in markdown] != list(snapshot.stamps) or [a.content_path for a in assets] != snapshot.assets:
        return None
    changed = {}
    for content_path, path in markdown:
        known = edits.stamps.get(content_path) or snapshot.stamps[content_path]
        try:
            if file_stamp(path) != known:
                changed[content_path] = path
        except OSError:
            return None
    return changed, assets


def _parse(changed: dict[str, str], assets: list[Asset], snapshot: Snapshot, config: SiteConfig):
    """{content path: (item, warnings)} for each changed file, or None if one has a mistake
    or now shows up somewhere else (or nowhere)."""
    known = set(snapshot.stamps) | {asset.content_path for asset in assets}
    fresh = {}
    for content_path, path in changed.items():
        stamp = file_stamp(path)  # before reading: a write during it shows next time
        log = ErrorLog()
        source = read_source(Path(path), content_path, log)
        if source is None or log.errors:
            return None
        item, errors, warnings, _asked, _listed = parse_one(source, config, known)
        if errors or (item is None) != (source.path not in snapshot.shapes):
            return None
        if item is not None and shape_digest(item) != snapshot.shapes[source.path]:
            return None
        fresh[content_path] = (item, log.warnings + warnings, stamp)
    return fresh


def _patched(snapshot: Snapshot, edits: Edits, fresh: dict, assets: list[Asset], now: datetime) -> Site:
    items = dict(edits.items)
    items.update({path: entry[0] for path, entry in fresh.items()})
    published = {item.source for item in snapshot.site.items}
    swaps = {item.source: item for item in items.values() if item is not None and item.source in published}
    return patch(snapshot.site, snapshot.index, swaps, assets, now)


def _outputs_of(site: Site, snapshot: Snapshot, sources: set[str]) -> set[str]:
    """Every output an item of `sources` appears in."""
    index, paths = snapshot.index, set()
    for source in sources:
        pages = set(index.pages.get(source, ()))
        for n in index.feeds.get(source, ()):
            feed = site.feeds[n]
            paths.update(output_path(feed.url(fmt)) for fmt in feed.formats)
            pages.update(index.pages_by_feed.get(n, ()))
        for n in index.calendars.get(source, ()):
            paths.add(output_path(site.calendars[n].url))
            pages.update(index.pages_by_calendar.get(n, ()))
        paths.update(output_path(site.pages[n].url) for n in pages)
    return paths


def _render(
    site: Site, config: SiteConfig, site_dir: Path, output_dir: Path, folder: Path, wanted: set[str], kept: set[str]
) -> WriteReport:
    env = make_environment(site_dir, config)
    if (folder / "templates").is_dir():
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder / "templates"))
    staged = StagedWrite(output_dir)
    try:
        render_only(site, config, env, site_dir, wanted, staged)
        return staged.commit(kept=kept)
    except BaseException:
        staged.abort()
        raise


def _remember(edits: Edits, fresh: dict, output_dir: Path, rendered: set[str]) -> None:
    for content_path, (item, warnings, stamp) in fresh.items():
        edits.items[content_path] = item
        edits.warnings[content_path] = warnings
        edits.stamps[content_path] = stamp
    for path in rendered:
        stamp = output_stamp(output_dir / path)
        if stamp is None:
            edits.outputs.pop(path, None)
        else:
            edits.outputs[path] = stamp
