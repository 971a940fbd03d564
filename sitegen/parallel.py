"""Parse and render on every core: this process and forked workers take tasks by number
(never the content itself) from a shared counter and return what they made (Items; bytes).

Both stages are pure functions of their inputs (DESIGN.md rule 6), so a worker forked after
`load` (or after `assemble`) already holds everything it needs; only indices go in and only
results come out. The results are put together in the order a sequential build makes them,
so the output, the errors and the warnings are byte for byte the same (tests/test_parallel.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import gc
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from pathlib import Path
from typing import Protocol, TypeVar

import jinja2

from sitegen.cache import _Lookups
from sitegen.content.config import SiteConfig
from sitegen.content.mdbugs import panics_unprinted
from sitegen.content.parse import parse_all, parse_source
from sitegen.errors import BuildFailed, ErrorLog, SourceError
from sitegen.model import Item, Site, Source
from sitegen.render.cards import Cards
from sitegen.render.outputs import Outputs, build_context, render_site
from sitegen.render.partials import Partials
from sitegen.urls import output_path

MIN_FILES = 300  # fewer files than this: starting workers costs more than it saves
PARSE_CHUNK = 64  # files per task: small enough to balance, large enough to send few messages
RENDER_SHARES = 8  # tasks per process when rendering
# A share renders blocks of consecutive outputs (say, the pages of 64 neighbouring items), so that
# each process touches, and so copies from its parent, only the objects of its own blocks.
RENDER_BLOCK = 64
CARD_CHUNK = 500  # cards per task

T = TypeVar("T")

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


Parsed = tuple  # (Item | None, errors, warnings, lookups asked {path: found}, whether it listed every file)


def parse_in_parallel(
    sources: list[Source], config: SiteConfig, known: set[str], log: ErrorLog, jobs: int
) -> list[Item]:
    """parse_all() over `jobs` processes: the same items, errors and warnings, in the same order."""
    if jobs <= 1 or not _can_fork():
        return parse_all(sources, config, known, log)
    items: list[Item] = []
    for item, errors, warnings, _asked, _listed in parse_each(sources, config, known, jobs):
        log.errors.extend(errors)
        log.warnings.extend(warnings)
        if item is not None:
            items.append(item)
    return items


def parse_each(sources: list[Source], config: SiteConfig, known: set[str], jobs: int) -> list[Parsed]:
    """Each source parsed on its own, with what it looked up in `known` (for a cache), in order."""
    return map_sources(functools.partial(parse_one, config=config, known=known), sources, jobs)


def map_sources(function: Callable[[Source], T], sources: list[Source], jobs: int) -> list[T]:
    """function(source) for each source, on `jobs` processes, in order. Rust's message for a
    Markdown parser panic (mdbugs.py) is kept off the terminal throughout."""
    if jobs <= 1 or len(sources) < 2 or not _can_fork():
        with panics_unprinted():
            return [function(source) for source in sources]
    _shared.update(sources=sources, function=function)
    chunks = [(start, min(start + PARSE_CHUNK, len(sources))) for start in range(0, len(sources), PARSE_CHUNK)]
    found: list[T] = []
    try:
        for parsed in _map(_source_chunk, chunks, jobs, ordered=True):
            found.extend(parsed)
    finally:
        _shared.clear()
    return found


def parse_one(source: Source, config: SiteConfig, known: set[str]) -> Parsed:
    lookups, log = _Lookups(known), ErrorLog()
    item = parse_source(source, config, lookups, log)  # type: ignore[arg-type]
    return item, log.errors, log.warnings, lookups.asked, lookups.listed


def _source_chunk(span: tuple[int, int]) -> list:
    sources: list[Source] = _shared["sources"]  # type: ignore[assignment]
    function: Callable = _shared["function"]  # type: ignore[assignment]
    with panics_unprinted():
        return [function(source) for source in sources[span[0] : span[1]]]


class Stager(Protocol):
    """Where rendered outputs go as they come (write.StagedWrite): every rendering process
    stages its own, then hands over what it staged to this process, which adopts it."""

    def stage(self, outputs: Outputs) -> None: ...

    def handoff(self) -> object: ...

    def adopt(self, staged: object) -> None: ...


class RenderPlan(Protocol):
    """What a build knows of the outputs of the last one (diskcache.py): their keys' digests."""

    keys: object
    has_history: bool  # digests of an earlier build are known: most outputs may be kept

    def digest(self, key: object) -> bytes: ...

    def unchanged(self, path: str, digest: bytes) -> bool: ...


@dataclass
class Rendered:
    outputs: Outputs  # what was rendered (and what render_site() adds without rendering)
    kept: set[str] = field(default_factory=set)  # outputs already in output/ exactly as they would be
    digests: dict[str, bytes] = field(default_factory=dict)  # path -> digest of its key (with a plan)
    aside: list = field(default_factory=list)  # what each task done aside returned, in their order
    staged: object = None  # what a process wrote aside (Stager.handoff), for this process to adopt


class _Share:
    """Stands in for the RenderCache that render_site() accepts: renders only the outputs whose
    block falls to this share, and with a plan only those whose key changed."""

    def __init__(
        self, share: int, shares: int, plan: RenderPlan | None, wanted: set[str] | None = None, decide: bool = False
    ):
        self.share, self.shares, self.count, self.plan = share, shares, 0, plan
        self.keys = plan.keys if plan else None
        self.wanted = wanted  # render only these (None: all)
        self.decide = decide  # only sort outputs into kept and wanted; render nothing
        self.mine: dict[str, bytes] = {}
        self.seen: set[str] = set()
        self.kept: set[str] = set()
        self.digests: dict[str, bytes] = {}

    def start(self, site: Site, env: jinja2.Environment) -> _Share:
        return self

    def select(self, entries: Sequence[T]) -> Iterator[T]:
        """Of the next len(entries) outputs, those whose block falls to this share: render_site()
        never names the others. (Each share used to step over every output to find its own: at
        100,000 posts, 48 shares of ~165,000 outputs, 8 million steps.)"""
        base, blocks, size = self.count, self.shares * RENDER_BLOCK, len(entries)
        self.count = base + size
        first = base - base % blocks + self.share * RENDER_BLOCK  # this share's block in base's round
        if first + RENDER_BLOCK <= base:
            first += blocks  # that block ended before these outputs: the next round's
        for block in range(first, base + size, blocks):
            yield from entries[max(block, base) - base : min(block + RENDER_BLOCK, base + size) - base]

    def get(self, path: str, subject: object, key: Callable[[], object], make: Callable[[], bytes]) -> bytes:
        self.seen.add(path)
        if self.wanted is not None and path not in self.wanted:
            return b""
        if self.plan is not None:
            digest = self.digests[path] = self.plan.digest(key())
            if self.plan.unchanged(path, digest):
                self.kept.add(path)
                return b""
            if self.decide:
                self.mine[path] = b""  # wanted
                return b""
        data = self.mine[path] = make()
        return data

    def commit(self, run: object) -> None:
        pass

    def result(self, outputs: Outputs) -> Rendered:
        # Share 0 also brings what render_site() adds without rendering (robots.txt, static files, assets).
        first = self.share == 0
        mine = {path: data for path, data in outputs.items() if path in self.mine or (first and path not in self.seen)}
        return Rendered(mine, self.kept, self.digests)


def render_in_parallel(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    site_dir: Path,
    jobs: int,
    plan: RenderPlan | None = None,
    sink: Stager | None = None,
    aside: list[Callable[[], object]] | None = None,
) -> Rendered:
    """render_site() over `jobs` processes: the same outputs, or the same BuildFailed. With a
    plan, outputs whose key is as it was when they were written are not rendered but `kept`.
    With a sink, each process hands the outputs it renders to it (writes them aside) instead of
    returning them, and this process adopts what the others staged. `aside`:
    tasks that need the site but not each other (the cache's big files), done by whichever
    process is free, before its share of rendering."""
    decided, wanted = Rendered({}), None
    if plan is not None and plan.has_history:
        # Most outputs may be kept: find those that are not here first, then render only them.
        deciding = _Share(0, 1, plan, decide=True)
        render_site(site, config, env, site_dir, deciding)  # type: ignore[arg-type]
        decided, wanted, plan = Rendered({}, deciding.kept, deciding.digests), set(deciding.mine), None
        jobs = jobs if len(wanted) >= MIN_FILES else 1
    rendered = _render(site, config, env, site_dir, jobs, plan, wanted, sink, aside or [])
    rendered.kept.update(decided.kept)
    rendered.digests.update(decided.digests)
    return rendered


def render_only(
    site: Site, config: SiteConfig, env: jinja2.Environment, site_dir: Path, wanted: set[str], sink: Stager
) -> None:
    """Render the outputs named in `wanted` in this process, and hand them to `sink` with what
    render_site() adds without rendering (static files, assets)."""
    _render(site, config, env, site_dir, 1, None, wanted, sink, [])


def _render(
    site: Site,
    config: SiteConfig,
    env: jinja2.Environment,
    site_dir: Path,
    jobs: int,
    plan: RenderPlan | None,
    wanted: set[str] | None,
    sink: Stager | None,
    aside: list[Callable[[], object]],
) -> Rendered:
    if jobs <= 1 or not _can_fork():
        share = _Share(0, 1, plan, wanted) if plan or wanted is not None else None
        outputs = render_site(site, config, env, site_dir, share)  # type: ignore[arg-type]
        rendered = share.result(outputs) if share else Rendered(outputs)
        if sink:
            sink.stage(rendered.outputs)
            rendered.outputs = {}
        rendered.aside = [task() for task in aside]
        return rendered
    for name in env.list_templates():  # compiled once, here, and inherited by every worker
        with contextlib.suppress(jinja2.TemplateError):  # rendering reports it, with its place
            env.get_template(name)
    cards = Cards()
    if wanted is None:  # every listing is rendered: its cards first, once, on all processes
        _render_listed_cards(site, config, env, site_dir, jobs, cards)
    # Each process fills its own copy of `cards` and `partials` and reuses them over all the shares it takes.
    _shared.update(site=site, config=config, env=env, site_dir=site_dir, plan=plan, wanted=wanted)
    _shared.update(cards=cards, partials=Partials())
    _shared.update(aside=aside, sink=sink)
    # Shares of ~1 s or less, so that no process is left with a long one at the end (a share
    # costs only its outputs and a few milliseconds: _Share.select goes straight to them).
    outputs = len(site.pages) + len(site.redirects) + len(site.feeds) * 2 + len(site.calendars)
    shares = jobs * max(RENDER_SHARES, outputs // 5000)
    rendered = Rendered({})
    done_aside: dict[int, object] = {}
    errors: set[SourceError] = set()
    tasks = [(-1 - n, 0) for n in range(len(aside))] + [(n, shares) for n in range(shares)]
    try:
        for found, failed in _map(_render_share, tasks, jobs, ordered=False):
            if isinstance(found, _AsideDone):
                done_aside[found.number] = found.value
                continue
            if sink:
                if found.staged is not None:  # (None: the share failed)
                    sink.adopt(found.staged)
            else:
                rendered.outputs.update(found.outputs)
            rendered.kept.update(found.kept)
            rendered.digests.update(found.digests)
            errors.update(failed)
    finally:
        _shared.clear()
    if errors:
        raise BuildFailed(sorted(errors))
    rendered.aside = [done_aside[n] for n in range(len(aside))]
    return rendered


def _render_listed_cards(
    site: Site, config: SiteConfig, env: jinja2.Environment, site_dir: Path, jobs: int, cards: Cards
) -> None:
    """The card of every item a paginated listing shows, at the heading levels the first such
    listing page asks for (the theme's: 2), rendered on `jobs` processes into `cards`, which
    the render processes then inherit: each would otherwise render every card itself (0.28 s
    of a process at 10,000 posts). Cards at other levels (the home page's) come as needed."""
    first = next((page for page in site.pages if page.pager and page.pager.items), None)
    if first is None:
        return
    try:  # this one page shows which levels listings ask for (its output is not kept)
        render_site(site, config, env, site_dir, _Share(0, 1, None, {output_path(first.url)}), cards)  # type: ignore[arg-type]
    except BuildFailed:
        return  # the rendering proper reports it
    levels = list(cards.levels())
    if not cards.pure or not levels:
        return
    listed = {id(item): item for page in site.pages if page.pager for item in page.pager.items}
    entries = list(listed.values())
    card = build_context(site, config, env, cards, Partials())["card"]
    chunks = [entries[start : start + CARD_CHUNK] for start in range(0, len(entries), CARD_CHUNK)]
    _shared.update(cards=cards, card=card, levels=levels)
    try:
        for chunk, html in zip(chunks, _map(_card_chunk, chunks, jobs, ordered=True), strict=True):
            cards.add(chunk, levels, html)
    finally:
        _shared.clear()


def _card_chunk(entries: list[Item]) -> list[str]:
    cards: Cards = _shared["cards"]  # type: ignore[assignment]
    return cards.render_each(_shared["card"], entries, _shared["levels"])  # type: ignore[arg-type]


@dataclass
class _AsideDone:
    number: int
    value: object


def _render_share(task: tuple[int, int]) -> tuple[Rendered | _AsideDone, list[SourceError]]:
    if task[0] < 0:  # a task done aside: (-1 - its number, 0)
        number = -1 - task[0]
        return _AsideDone(number, _shared["aside"][number]()), []  # type: ignore[index]
    share = _Share(*task, _shared["plan"], _shared["wanted"])  # type: ignore[arg-type]
    try:
        site, config, env, site_dir = (_shared[name] for name in ("site", "config", "env", "site_dir"))
        outputs = render_site(site, config, env, site_dir, share, _shared["cards"], _shared["partials"])  # type: ignore[arg-type]
    except BuildFailed as failed:  # template errors: data, so that the parent reports them all once
        return Rendered({}), failed.errors
    rendered, sink = share.result(outputs), _shared["sink"]
    if sink is not None:  # written here, by this process: only their names go back
        sink.stage(rendered.outputs)  # type: ignore[attr-defined]
        rendered.outputs, rendered.staged = {}, sink.handoff()  # type: ignore[attr-defined]
    return rendered, []


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _map(function: Callable, tasks: list, jobs: int, ordered: bool) -> Iterator:
    """function(task) for every task on `jobs` processes: this one and jobs - 1 forked workers,
    which inherit `_shared`. Each process takes the next task from a shared counter, so the work
    balances itself; results come in task order (`ordered`) or as they are done. The garbage
    collector leaves the inherited objects alone (gc.freeze), so its passes copy no pages."""
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)
    received: queue.SimpleQueue = queue.SimpleQueue()
    workers: dict[Connection, multiprocessing.process.BaseProcess] = {}
    _release_free_memory()
    with unexamined():
        try:
            for _ in range(min(jobs, len(tasks)) - 1):
                reader, writer = context.Pipe(duplex=False)
                _widen(writer)
                process = context.Process(target=_work, args=(function, tasks, counter, writer), daemon=True)
                process.start()
                writer.close()
                workers[reader] = process
            threading.Thread(target=_listen, args=(dict(workers), received), daemon=True).start()
            waiting: dict[int, object] = {}
            done = next_out = 0
            while done < len(tasks):
                index = _take(counter, len(tasks))
                results = [(index, True, function(tasks[index]))] if index is not None else [received.get()]
                while not received.empty():
                    results.append(received.get())
                # Results are kept to the end of the build: frozen now, no collection walks them
                # again (at 100,000 items each full pass took ~0.6 s, and they came every 25% more).
                gc.freeze()
                for index, ok, value in results:
                    if not ok:
                        raise value
                    done += 1
                    if not ordered:
                        yield value
                        continue
                    waiting[index] = value
                    while next_out in waiting:
                        yield waiting.pop(next_out)
                        next_out += 1
        finally:
            for process in workers.values():
                if process.is_alive():
                    process.terminate()
                process.join()


@contextlib.contextmanager
def unexamined() -> Iterator[None]:
    """The garbage collector leaves every object that exists now alone for the scope (gc.freeze):
    a forked worker's collections then copy none of the pages it shares with this process, and
    this process's collections do not walk, again and again, the 100,000 items it holds for the
    whole build (at 100,000 posts each full pass took ~1 s). Objects are still freed when their
    last reference goes. Only the outermost scope unfreezes."""
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def _widen(pipe: Connection) -> None:
    """A worker's result (a chunk of items, a block of pages) is often bigger than a pipe's
    64 KiB, and this process reads it on a thread that must wait for the interpreter lock
    while the main thread works: with a small pipe the worker sat idle until then."""
    with contextlib.suppress(OSError, AttributeError):
        size = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(size, 16 << 20))


def _release_free_memory() -> None:
    """Give the memory freed so far (the sources' text after parsing, say) back to the system
    before forking, so that no worker counts it as its own (glibc only; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _take(counter, count: int) -> int | None:
    with counter.get_lock():
        index = counter.value
        if index >= count:
            return None
        counter.value = index + 1
        return index


def _work(function: Callable, tasks: list, counter, writer: Connection) -> None:
    while (index := _take(counter, len(tasks))) is not None:
        try:
            writer.send((index, True, function(tasks[index])))
        except BaseException as exc:
            writer.send((index, False, RuntimeError(f"in a worker process: {exc!r}")))
            break
    writer.close()


def _listen(workers: dict[Connection, multiprocessing.process.BaseProcess], received: queue.SimpleQueue) -> None:
    """Reads the workers' results as they come, so that none waits for this process to be free."""
    while workers:
        for reader in connection_wait(list(workers)):
            try:
                received.put(reader.recv())  # type: ignore[attr-defined]
            except (EOFError, OSError):
                process = workers.pop(reader)  # type: ignore[arg-type]
                process.join()
                if process.exitcode:
                    received.put((-1, False, RuntimeError(f"a worker process stopped (exit code {process.exitcode})")))
