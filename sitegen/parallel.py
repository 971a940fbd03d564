"""Parse and render on every core: forked worker processes, each given a share of the work by
number (never the content itself) and returning what it made (Items; rendered bytes).

Both stages are pure functions of their inputs (DESIGN.md rule 6), so a worker forked after
`load` (or after `assemble`) already holds everything it needs; only indices go in and only
results come out. The results are put together in the order a sequential build makes them,
so the output, the errors and the warnings are byte for byte the same (tests/test_parallel.py).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2

from .config import SiteConfig
from .errors import BuildFailed, ErrorLog, SourceError
from .model import Item, Site, Source
from .parse import parse_all, parse_source
from .render import Outputs, render_site

MIN_FILES = 300  # fewer files than this: starting workers costs more than it saves
PARSE_CHUNK = 64  # files per task: small enough to balance, large enough to send few messages
RENDER_SHARES = 8  # tasks per worker when rendering

# What the workers inherit when they are forked: set just before a pool starts.
_shared: dict[str, object] = {}


def jobs_for(requested: int | None, files: int) -> int:
    """How many processes: as asked, else one per core once the site is big enough."""
    if requested is not None:
        return max(1, requested)
    if files < MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 8))


def parse_in_parallel(
    sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog, jobs: int
) -> list[Item]:
    """parse_all() over `jobs` processes: the same items, errors and warnings, in the same order."""
    if jobs <= 1 or not _can_fork():
        return parse_all(sources, config, known, log)
    _shared.update(sources=sources, config=config, known=known)
    chunks = [(start, min(start + PARSE_CHUNK, len(sources))) for start in range(0, len(sources), PARSE_CHUNK)]
    items: list[Item] = []
    try:
        for parsed, errors, warnings in _pool_map(_parse_chunk, chunks, jobs, ordered=True):
            items.extend(item for item in parsed if item is not None)
            log.errors.extend(errors)
            log.warnings.extend(warnings)
    finally:
        _shared.clear()
    return items


def _parse_chunk(span: tuple[int, int]) -> tuple[list[Item | None], list[SourceError], list[SourceError]]:
    sources: list[Source] = _shared["sources"]  # type: ignore[assignment]
    log = ErrorLog()
    config, known = _shared["config"], _shared["known"]
    parsed = [parse_source(source, config, known, log) for source in sources[span[0] : span[1]]]  # type: ignore[arg-type]
    return parsed, log.errors, log.warnings


class _Share:
    """Stands in for the RenderCache that render_site() accepts: renders only the outputs whose
    number falls to this share, and notes which outputs went through it."""

    keys = None

    def __init__(self, share: int, shares: int):
        self.share, self.shares, self.count = share, shares, 0
        self.mine: dict[str, bytes] = {}
        self.seen: set[str] = set()

    def start(self, site: Site, env: jinja2.Environment) -> _Share:
        return self

    def get(self, path: str, subject: object, key: Callable[[], object], make: Callable[[], bytes]) -> bytes:
        number, self.count = self.count, self.count + 1
        self.seen.add(path)
        if number % self.shares != self.share:
            return b""
        data = self.mine[path] = make()
        return data

    def commit(self, run: object) -> None:
        pass


def render_in_parallel(site: Site, config: SiteConfig, env: jinja2.Environment, site_dir: Path, jobs: int) -> Outputs:
    """render_site() over `jobs` processes: the same outputs, or the same BuildFailed."""
    if jobs <= 1 or not _can_fork():
        return render_site(site, config, env, site_dir)
    for name in env.list_templates():  # compiled once, here, and inherited by every worker
        with contextlib.suppress(jinja2.TemplateError):  # rendering reports it, with its place
            env.get_template(name)
    _shared.update(site=site, config=config, env=env, site_dir=site_dir)
    shares = jobs * RENDER_SHARES
    outputs: Outputs = {}
    errors: set[SourceError] = set()
    try:
        for found, failed in _pool_map(_render_share, [(n, shares) for n in range(shares)], jobs, ordered=False):
            outputs.update(found)
            errors.update(failed)
    finally:
        _shared.clear()
    if errors:
        raise BuildFailed(sorted(errors))
    return outputs


def _render_share(task: tuple[int, int]) -> tuple[Outputs, list[SourceError]]:
    share = _Share(*task)
    try:
        site, config, env, site_dir = (_shared[name] for name in ("site", "config", "env", "site_dir"))
        outputs = render_site(site, config, env, site_dir, share)  # type: ignore[arg-type]
    except BuildFailed as failed:  # template errors: data, so that the parent reports them all once
        return {}, failed.errors
    # Share 0 also brings what render_site() adds without rendering (robots.txt, static files, assets).
    return {
        path: data for path, data in outputs.items() if path in share.mine or (task[0] == 0 and path not in share.seen)
    }, []


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _pool_map(function: Callable, tasks: list, jobs: int, ordered: bool) -> Iterator:
    """Fork `jobs` workers, which inherit `_shared`; the garbage collector leaves the inherited
    objects alone (gc.freeze), so neither its passes nor its bookkeeping copy their pages."""
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(tasks)), initializer=_worker_start) as pool:
            mapped = pool.imap if ordered else pool.imap_unordered
            yield from mapped(function, tasks)
    finally:
        gc.unfreeze()


def _worker_start() -> None:
    gc.freeze()
