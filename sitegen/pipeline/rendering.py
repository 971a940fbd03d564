"""Stages 4 and 5 with the build's memory: render the outputs whose reads changed (state/
renders.py decides), on every core for a big site, each process staging what it renders
beside its target; then put everything in place at once (write/)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.content.config import SiteConfig
from sitegen.errors import BuildFailed, SourceError
from sitegen.model import Site
from sitegen.pipeline.salt import code_version
from sitegen.pipeline.workers import chunks, fork_map, jobs_for
from sitegen.render.dependencies import SITE_KINDS, Digests, digest_of, template_digests
from sitegen.render.environment import make_environment, template_folders
from sitegen.render.outputs import Output, Renderer, is_listing, plan
from sitegen.render.tracking import Key
from sitegen.state import BuildState
from sitegen.state.compiled import SignedBytecodeCache, machine_key
from sitegen.state.renders import OutputStamp, output_stamp
from sitegen.write import StagedWrite, WriteReport


@dataclass
class Rendered:
    report: WriteReport
    rendered: list[str]  # outputs rendered in this build (the rest were as the last build left them)


@dataclass
class _Job:
    """What every rendering process needs, inherited when it is forked: a task names only a
    run of `todo` by its bounds (sending the outputs would copy their pages and items)."""

    renderer: Renderer
    staged: StagedWrite
    todo: list[Output]


_job: _Job | None = None


def render_site(
    site: Site,
    config: SiteConfig,
    site_dir: Path,
    output_dir: Path,
    state: BuildState,
    item_digests: dict[str, str],
    jobs: int | None,
    bytecode: Path | None = None,
    edited: list[str] | None = None,
) -> Rendered:
    """`edited`: when the last build's site was used again (pipeline/reuse.py), the items
    edited since. Its pages, feeds, tags and lists are as they were, and so is every other
    item: only the digests of those items, the templates and the copied files can differ."""
    global _job
    env = _environment(state, site_dir, config, bytecode)
    outputs = _plan(site, state)
    digests = Digests(site, item_digests, state.templates, _file_stamps(outputs))
    stable = SITE_KINDS | {"item"} if edited is not None else frozenset()
    suspects = {("item", source) for source in edited or ()}
    paths = [output.path for output in outputs]
    again = state.renders.to_render(paths, digests, str(output_dir), stable, suspects)
    todo = [output for output in outputs if output.path in again]
    staged = StagedWrite(output_dir)
    _job = _Job(Renderer(site, config, env), staged, todo)
    workers = jobs_for(jobs, len(todo) // 4)
    runs = _runs(todo, workers)
    made: dict[str, list[int]] = {}
    errors: set[SourceError] = set()
    try:
        for reads, handed, failed in fork_map(_render_outputs, runs, workers):
            made.update(_numbered(reads, state, digests))
            staged.adopt(handed)
            errors |= failed
        if errors:
            raise BuildFailed(sorted(errors))
        report = staged.commit(kept=[output.path for output in outputs if output.path not in again])
    except BaseException:
        staged.abort()
        raise
    finally:
        _job = None
    _remember(state, made, report, outputs, digests, output_dir, stable, suspects)
    return Rendered(report, [output.path for output in todo])


def _runs(todo: list[Output], workers: int) -> list[tuple[int, int]]:
    """Runs of `todo` for the processes. The listings come first in the plan: while they are at
    most a process's share of the outputs, they are one run, so one process renders each card
    they show once (cards.py) and the others take the item pages, feeds and calendars. Shared
    out, both processes rendered most cards (a 2,000-post build: 0.9 G instructions more, 2%)."""
    listings = 0
    while listings < len(todo) and _is_listing(todo[listings]):
        listings += 1
    first = [(0, listings)] if 0 < listings <= len(todo) // (workers + 1) else []
    rest = chunks(range(listings if first else 0, len(todo)), workers)
    return first + [(run[0], run[-1] + 1) for run in rest if run]


def _is_listing(output: Output) -> bool:
    return output.kind == "page" and is_listing(output.subject)  # type: ignore[arg-type]


def _render_outputs(run: tuple[int, int]) -> tuple[dict[str, frozenset[Key]], object, set[SourceError]]:
    """Render and stage a run of outputs (in a worker, or in this process)."""
    assert _job is not None
    reads = {}
    for output in _job.todo[run[0] : run[1]]:
        made, reads[output.path] = _job.renderer.render(output)
        _job.staged.stage({output.path: made})
    failed, _job.renderer.errors = _job.renderer.errors, set()
    return reads, _job.staged.handoff(), failed


def _numbered(reads: dict[str, frozenset[Key]], state: BuildState, digests: Digests) -> dict[str, list[int]]:
    """A share's reads as key numbers, with the digest of each key first read, made while the
    other shares still render: at 10,000 posts this took 0.25 s after the last of them."""
    memory, first = state.renders, len(state.renders.keys)
    numbered = {path: memory.numbered(keys) for path, keys in reads.items()}
    for key in memory.keys[first:]:
        digests[key]  # kept by Digests: record_digests() finds it made
    return numbered


def _remember(
    state: BuildState,
    made: dict[str, list[int]],
    report: WriteReport,
    outputs: list[Output],
    digests: Digests,
    output_dir: Path,
    stable: frozenset[str],
    suspects: set[Key],
) -> None:
    rendered: dict[str, tuple[list[int], OutputStamp]] = {}
    for path, reads in made.items():
        stamp = report.stamps.get(path) or output_stamp(str(output_dir), path)
        if stamp is not None:
            rendered[path] = (reads, stamp)
    paths = [output.path for output in outputs]
    state.changed |= (
        bool(rendered)
        or len(paths) != len(state.renders.reads)
        or any(path not in state.renders.reads for path in paths)
    )
    state.renders.remember(rendered, paths)
    state.renders.record_digests(digests, stable, suspects)


def _plan(site: Site, state: BuildState) -> list[Output]:
    """Every output of the site; the last plan while the site is the one last assembled (serve)."""
    last = state.last_site
    if last is None or last.site is not site:
        return plan(site)
    if last.outputs is None:
        last.outputs = plan(site)
    return last.outputs


def _environment(state: BuildState, site_dir: Path, config: SiteConfig, bytecode: Path | None) -> jinja2.Environment:
    """The last build's environment while no template changed (serve), else a new one."""
    templates = template_digests(template_folders(site_dir))
    if state.environment is None or templates != state.templates:
        env = make_environment(site_dir, config)
        if bytecode is not None:
            env.bytecode_cache = _bytecode_cache(bytecode)
        state.environment, state.templates = env, templates
    return state.environment  # type: ignore[return-value]


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds, signed with this machine's key (state/compiled.py)
    and named by sitegen's code (another version's are removed, not run)."""
    key = machine_key()
    if key is None or folder.is_symlink() or folder.parent.is_symlink():  # files are removed there
        return None
    return SignedBytecodeCache(folder, key, f"__sitegen_{code_version()[:16]}_")


def _file_stamps(outputs: list[Output]) -> dict[str, str]:
    """A copied file's digest: its size, times (the change time too: `cp -p` sets the other
    back) and inode (its bytes are compared when copied)."""
    stamps = {}
    for output in outputs:
        if output.kind == "copy":
            info = os.stat(output.subject)  # type: ignore[arg-type]
            stamps[str(output.subject)] = digest_of(info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)
    return stamps
