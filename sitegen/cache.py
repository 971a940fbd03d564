"""What an incremental build remembers between builds, in memory (`sitegen serve` keeps one).

- `ParseCache`: the Item (and the mistakes) parsed from each Markdown file, reused while the
  file's text is the same and every file it looked up (images, linked files) still does or
  does not exist, as before.
- `RenderCache`: the bytes of every page, feed and calendar with a key made of everything
  its rendering reads (see `Keys`); an output is re-rendered only when its key changes.

Both rely on parse and render being pure functions of their inputs (DESIGN.md rule 6).
The cache belongs to one SiteConfig: a change to site.yaml starts a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import jinja2

from sitegen.content.config import SiteConfig
from sitegen.content.parse import parse_source
from sitegen.errors import ErrorLog, SourceError
from sitegen.fingerprint import Keys, TemplateKeys
from sitegen.model import Source

Make = Callable[[], bytes]


class _Lookups:
    """`known` (every path in content/) as parse sees it, noting what parse asked of it."""

    def __init__(self, known: set[str]):
        self.known, self.asked, self.listed = known, {}, False

    def __contains__(self, path: object) -> bool:
        found = path in self.known
        self.asked[path] = found
        return found

    def __iter__(self) -> Iterator[str]:
        self.listed = True  # a "did you mean" hint looked at every file
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


@dataclass
class _Parsed:
    source: Source
    item: object
    errors: list[SourceError]
    warnings: list[SourceError]
    asked: dict
    listed: bool
    known_version: int


class ParseCache:
    def __init__(self) -> None:
        self.entries: dict[str, _Parsed] = {}
        self.parsed = 0  # how many files the last parse_all really parsed
        self._known: set[str] | None = None
        self._known_version = 0

    def parse_all(self, sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog) -> list:
        if known != self._known:
            self._known, self._known_version = set(known), self._known_version + 1
        entries, items, self.parsed = {}, [], 0
        for source in sources:
            entry = self.entries.get(source.path)
            if entry is None or (
                (entry.source is not source or entry.known_version != self._known_version)
                and not self._still_valid(entry, source, known)
            ):
                entry = self._parse(source, config, known)
                self.parsed += 1
            entries[source.path] = entry
            if entry.errors or entry.warnings:
                log.errors.extend(entry.errors)
                log.warnings.extend(entry.warnings)
            if entry.item is not None:
                items.append(entry.item)
        self.entries = entries  # files that are gone are forgotten
        return items

    def _still_valid(self, entry: _Parsed, source: Source, known: set[str]) -> bool:
        if entry.source is not source and (entry.source.text, entry.source.default_type) != (
            source.text,
            source.default_type,
        ):
            return False
        if entry.known_version == self._known_version:
            return True
        if entry.listed:
            return False
        if all((path in known) == found for path, found in entry.asked.items()):
            entry.known_version = self._known_version
            return True
        return False

    def _parse(self, source: Source, config: SiteConfig, known: set[str]) -> _Parsed:
        lookups, log = _Lookups(known), ErrorLog()
        item = parse_source(source, config, lookups, log)  # type: ignore[arg-type]
        return _Parsed(source, item, log.errors, log.warnings, lookups.asked, lookups.listed, self._known_version)


@dataclass
class _Rendered:
    key: object
    data: bytes
    subject: object = None  # the Page (etc.) it was rendered from: the same object is unchanged


@dataclass
class RenderCache:
    """Rendered outputs by path. `start()` begins a build; `commit()` keeps what it rendered
    once the whole build succeeded (a failed build keeps the last good entries)."""

    entries: dict[str, _Rendered] = field(default_factory=dict)
    context: object = None
    templates: TemplateKeys = field(default_factory=TemplateKeys)
    rendered: list[str] = field(default_factory=list)  # paths the last build rendered
    keys: Keys | None = None  # the last build's, to carry item views over

    def start(self, site, env: jinja2.Environment) -> RenderRun:
        return RenderRun(self, site, env)

    def commit(self, run: RenderRun) -> None:
        self.entries, self.context, self.rendered, self.keys = run.entries, run.context, run.rendered, run.keys


class RenderRun:
    """One build's lookups. An output whose key equals the remembered one reuses its bytes."""

    def __init__(self, cache: RenderCache, site, env: jinja2.Environment):
        self.cache, self.entries, self.rendered = cache, {}, []
        self.keys = Keys(site, cache.templates.start(env), cache.keys)
        self.context = self.keys.context()
        # Same context (templates, clock states, tag names): an identical Page object renders
        # the same bytes as before, without computing its key.
        self.same_context = self.context == cache.context

    def get(self, path: str, subject: object, key: Callable[[], object], make: Make) -> bytes:
        before = self.cache.entries.get(path)
        if before is not None and subject is not None and self.same_context and before.subject is subject:
            self.entries[path] = before
            return before.data
        value = key()
        if before is not None and before.key == value:
            self.entries[path] = _Rendered(value, before.data, subject)
            return before.data
        data = make()
        self.entries[path] = _Rendered(value, data, subject)
        self.rendered.append(path)
        return data
