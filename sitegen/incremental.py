"""Rebuilder: the same build as pipeline.build(), done again and again by `sitegen serve`,
redoing only what changed since the last good build. Its output is byte for byte what a
clean build writes (tests/test_incremental.py compares them for every kind of change).

    files    re-read only the files named as changed (or, without names, those whose
             size or time changed)                                   FileCache below
    parse    ParseCache: a file is parsed again when it or a file it looks up changed
    assemble patch.py when only what items show changed; else assemble() in full
    render   RenderCache: an output is rendered again when its inputs' key changed
    write    only what differs from what this process wrote last time
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2

from sitegen.cache import ParseCache, RenderCache
from sitegen.content.config import CONFIG_FILE, SiteConfig, load_config
from sitegen.content.load import content_root, is_hidden, is_markdown, read_source, visible_files
from sitegen.errors import ErrorLog, SourceError
from sitegen.model import Asset, Item, Site, Source
from sitegen.patch import SiteIndex, patch, shape
from sitegen.pipeline import BuildOptions, BuildResult, _refuse_unsafe_output
from sitegen.render.outputs import make_environment, render_site
from sitegen.site.assemble import assemble
from sitegen.site.timeline import moments
from sitegen.snapshot import template_stamps
from sitegen.write import write_outputs

RACY_SECONDS = 2.0  # a file changed this close to a scan may change again within the same clock tick


class FileCache:
    """content/'s files and each Markdown file's Source, kept between builds. When the
    caller names the files that changed (watchdog's events) only those are read again;
    otherwise the tree is walked and files whose size or time changed are read again."""

    def __init__(self, root: Path):
        self.root = root
        self.paths: list[Path] | None = None  # sorted, as load() lists them
        self.names: dict[Path, tuple[str, Asset | None]] = {}  # content path; the Asset, if not Markdown
        self.sources: dict[Path, tuple[tuple, float, Source]] = {}  # signature, when read, Source
        self.dirty: set[Path] = set()
        self.trust_names = False

    def update(self, changed: list[Path] | None) -> None:
        inside = [p for p in changed or () if p.is_relative_to(self.root) and p != self.root]
        if self.paths is None or changed is None or any(p.is_dir() or not p.suffix for p in inside):
            self.paths, self.dirty, self.trust_names = sorted(visible_files(self.root)), set(), False
            return
        present = set(self.paths)
        for path in inside:
            if any(is_hidden(part) for part in path.relative_to(self.root).parts):
                continue
            self.dirty.add(path)
            exists = path.is_file()
            if exists and path not in present:
                present.add(path)
                bisect.insort(self.paths, path)
            elif not exists and path in present:
                present.discard(path)
                self.paths.remove(path)
        self.trust_names = True

    def load(self, log: ErrorLog) -> tuple[list[Source], list[Asset]]:
        """What load() gives, from memory where nothing changed (classify() in load.py)."""
        sources, assets = [], []
        for path in self.paths or ():
            name = self.names.get(path)
            if name is None:
                content_path = path.relative_to(self.root).as_posix()
                name = self.names[path] = (content_path, None if is_markdown(path) else Asset(content_path, path))
            if name[1] is not None:
                assets.append(name[1])
            else:
                source = self.read(path, name[0], log)
                if source:
                    sources.append(source)
        return sources, assets

    def read(self, path: Path, content_path: str, log: ErrorLog) -> Source | None:
        known = self.sources.get(path)
        if known and self.trust_names and path not in self.dirty:
            return known[2]
        try:
            info = path.stat()
        except FileNotFoundError:
            return None  # vanished since the walk: its deletion event brings another build
        signature = (info.st_mtime_ns, info.st_size, info.st_ino)
        # Changed within the clock's resolution of being read: it may have changed again unseen.
        racy = known is not None and known[0][0] / 1e9 >= known[1] - RACY_SECONDS
        if known and known[0] == signature and path not in self.dirty and not racy:
            return known[2]
        read_at = time.time()
        try:
            source = read_source(path, content_path, log)
        except FileNotFoundError:
            return None
        if source is not None:
            if known and (known[2].text, known[2].default_type) == (source.text, source.default_type):
                source = known[2]  # the same object: the parse cache sees it unchanged at once
            self.sources[path] = (signature, read_at, source)
        return source

    def finish(self) -> None:
        self.dirty = set()
        if len(self.sources) > len(self.paths or ()) or len(self.names) > len(self.paths or ()):
            present = set(self.paths or ())
            self.sources = {path: entry for path, entry in self.sources.items() if path in present}
            self.names = {path: entry for path, entry in self.names.items() if path in present}


@dataclass
class _Good:
    """The last build that succeeded: what the fast path starts from."""

    site: Site
    items: dict[str, Item]  # source path -> item, all parsed items (drafts and future ones too)
    shapes: dict[str, str]
    source_paths: list[str]
    asset_paths: list[str]
    warnings: list[SourceError]  # assemble's warnings
    valid_until: datetime | None  # the first moment at which the clock changes the site
    next_change: datetime | None
    index: SiteIndex | None = None


@dataclass
class Rebuilder:
    options: BuildOptions
    config: SiteConfig | None = None
    env: jinja2.Environment | None = None
    templates_seen: tuple = ()
    parsed: ParseCache = field(default_factory=ParseCache)
    rendered: RenderCache = field(default_factory=RenderCache)
    written: dict[str, object] = field(default_factory=dict)
    good: _Good | None = None
    files: FileCache | None = None
    fast: bool = False  # whether the last build took the fast path
    _derived: dict = field(default_factory=dict)  # source -> (item, shape, moments)

    def __post_init__(self) -> None:
        self.site_dir = self.options.site_dir.resolve()
        self.output_dir = (self.options.output_dir or self.site_dir / "output").resolve()
        _refuse_unsafe_output(self.site_dir, self.output_dir)

    def build(self, changed: Iterable[Path] | None = None, now: datetime | None = None) -> BuildResult:
        """Build; `changed` names the files that changed since the last call (None: unknown,
        check everything). Raises BuildFailed like build(); then output/ is left as it was."""
        started = time.perf_counter()
        now = now or self.options.now or datetime.now().astimezone()
        changed = None if changed is None else list(changed)
        self._settings()
        assert self.config is not None and self.env is not None
        config, log = self.config, ErrorLog()
        log.warnings.extend(self.config_warnings)
        sources, assets = self._load(changed, log)
        known = {asset.content_path for asset in assets} | {source.content_path for source in sources}
        items = self.parsed.parse_all(sources, config, known, log)
        site = self._fast_site(sources, assets, items, log, now)
        self.fast = site is not None
        if site is None:
            site, assemble_warnings = self._assemble(items, assets, log, now)
        log.raise_if_any()
        outputs = render_site(site, config, self.env, self.site_dir, self.rendered)
        report = write_outputs(outputs, self.output_dir, self.written)
        if self.files:
            self.files.finish()
        if not self.fast:
            self._remember(site, items, sources, assets, assemble_warnings, now)
        assert self.good is not None
        return BuildResult(
            items_by_type=dict(sorted(Counter(item.type for item in site.items).items())),
            pages=len(site.pages) + len(site.redirects),
            feeds=sum(len(feed.formats) for feed in site.feeds),
            write=report,
            warnings=log.warnings + self.good.warnings,
            seconds=time.perf_counter() - started,
            next_change=self.good.next_change,
        )

    def _settings(self) -> None:
        """site.yaml (a change starts every cache afresh) and the template folders."""
        config, config_log = load_config(self.site_dir)
        self.config_warnings = config_log.warnings
        if config != self.config:
            self.config, self.env, self.good = config, None, None
            self.parsed, self.rendered, self.templates_seen, self._derived = ParseCache(), RenderCache(), (), {}
        seen = template_stamps(self.site_dir)
        if self.env is None or seen != self.templates_seen:
            # A new environment: Jinja would not notice a new override of a theme template.
            self.env, self.templates_seen = make_environment(self.site_dir, config), seen

    def _load(self, changed: list[Path] | None, log: ErrorLog):
        root = content_root(self.site_dir, log)
        if root is None:
            self.files = None
            return [], []
        if self.files is None or self.files.root != root:
            self.files, changed = FileCache(root), None
        self.files.update(changed)
        return self.files.load(log)

    def _fast_site(self, sources, assets, items: list[Item], log: ErrorLog, now: datetime) -> Site | None:
        good = self.good
        if good is None or log.errors or (good.valid_until is not None and now >= good.valid_until):
            return None
        if [s.path for s in sources] != good.source_paths or [a.content_path for a in assets] != good.asset_paths:
            return None
        swaps = {item.source: item for item in items if good.items.get(item.source) is not item}
        if len(items) != len(good.items) or any(shape(item) != good.shapes.get(src) for src, item in swaps.items()):
            return None
        if good.index is None:
            good.index = SiteIndex(good.site)
        published = {item.source for item in good.site.items}
        site = patch(good.site, good.index, {s: i for s, i in swaps.items() if s in published}, assets, now)
        good.items.update(swaps)
        good.site = site
        return site

    def _assemble(self, items, assets, log: ErrorLog, now: datetime) -> tuple[Site, list[SourceError]]:
        before = len(log.warnings)
        assert self.config is not None
        site = assemble(items, assets, self.config, now, self.options.drafts, self.options.future, log)
        warnings = log.warnings[before:]
        del log.warnings[before:]
        return site, warnings

    def _remember(self, site, items, sources, assets, warnings, now: datetime) -> None:
        assert self.config is not None
        days, derived = self.config.closing_soon_days, {}
        for item in items:  # shape and moments of an unchanged item carry over
            known = self._derived.get(item.source)
            if known is None or known[0] is not item:
                known = (item, shape(item), tuple(moments(item, days)))
            derived[item.source] = known
        self._derived = derived
        ahead = [(m, item.draft) for item, _, times in derived.values() for m in times if m > now]
        self.good = _Good(
            site=site,
            items={item.source: item for item in items},
            shapes={source: entry[1] for source, entry in derived.items()},
            source_paths=[s.path for s in sources],
            asset_paths=[a.content_path for a in assets],
            warnings=warnings,
            valid_until=min((m for m, _ in ahead), default=None),
            next_change=min((m for m, draft in ahead if not draft), default=None),  # as timeline.next_change
        )


__all__ = ["CONFIG_FILE", "FileCache", "Rebuilder"]
