"""build(): load -> parse -> assemble -> render -> write. Reads top to bottom."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.content.config import SiteConfig, load_config
from sitegen.content.load import load
from sitegen.diskcache import DiskCache
from sitegen.editbuild import EditBuild, build_edits, items_by_type
from sitegen.errors import BuildFailed, ErrorLog, SourceError
from sitegen.parallel import jobs_for, parse_in_parallel, render_in_parallel, unexamined
from sitegen.render.outputs import make_environment
from sitegen.site.assemble import assemble
from sitegen.site.timeline import next_change
from sitegen.snapshot import template_stamps
from sitegen.write import StagedWrite, WriteReport


@dataclass
class BuildOptions:
    site_dir: Path
    output_dir: Path | None = None
    now: datetime | None = None  # the build's clock; None: the machine's
    drafts: bool = False
    future: bool = False
    progress: Callable[[str], None] | None = None  # told each stage as it starts (a terminal's status line)
    jobs: int | None = None  # processes that parse and render; None: one per core for a big site
    cache: bool = True  # keep parsed items and output digests in SITE/.sitegen-cache/ (diskcache.py)


@dataclass
class BuildResult:
    items_by_type: dict[str, int]
    pages: int
    feeds: int
    write: WriteReport
    warnings: list[SourceError] = field(default_factory=list)
    seconds: float = 0.0
    next_change: datetime | None = None  # when a rebuild would give a different site
    patched: bool = False  # the last build's site, with the edited items swapped in (editbuild.py)


def build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    site_dir = options.site_dir.resolve()
    output_dir = (options.output_dir or site_dir / "output").resolve()
    _refuse_unsafe_output(site_dir, output_dir)
    now = options.now or datetime.now().astimezone()
    config, config_log = load_config(site_dir)
    log = ErrorLog()
    log.warnings.extend(config_log.warnings)
    if options.cache:
        if options.progress:
            options.progress("looking for edits")
        edited = build_edits(site_dir, output_dir, config, (options.drafts, options.future), now)
        if edited:
            return _edit_result(edited, config_log.warnings, started)
    cache = DiskCache(site_dir, config, output_dir) if options.cache else None
    try:
        with unexamined():  # by the garbage collector: see parallel.unexamined
            return _full_build(options, site_dir, output_dir, config, log, now, cache, started)
    except BaseException:
        if cache:
            cache.discard()  # what this build's processes wrote into it
        raise


def _full_build(
    options: BuildOptions,
    site_dir: Path,
    output_dir: Path,
    config: SiteConfig,
    log: ErrorLog,
    now: datetime,
    cache: DiskCache | None,
    started: float,
) -> BuildResult:
    stage = options.progress or (lambda text: None)
    stage("reading content/")
    sources, assets = load(site_dir, log, cache.read if cache else None)
    known = {asset.content_path for asset in assets} | {source.content_path for source in sources}
    jobs = jobs_for(options.jobs, len(sources))
    stage(f"parsing {len(sources)} files")
    parse = cache.parse if cache else parse_in_parallel
    items = parse(sources, config, known, log, jobs)
    del sources  # their text, as big as content/, is not needed after parsing
    gc.freeze()  # the items live to the end of the build: no collection need walk them again
    stage(f"assembling {len(items)} items")
    parse_warnings = len(log.warnings)
    site = assemble(items, assets, config, now, options.drafts, options.future, log)
    log.raise_if_any()  # every content error of every file, before anything is written
    if cache:
        cache.remember_site(
            site,
            items,
            [asset.content_path for asset in assets],
            log.warnings[parse_warnings:],
            output_dir=str(output_dir),
            flags=(options.drafts, options.future),
            templates=template_stamps(site_dir),
            closing_soon_days=config.closing_soon_days,
        )

    stage(f"rendering {len(site.pages)} pages and {len(site.feeds)} feeds")
    env = make_environment(site_dir, config)
    if cache:
        env.bytecode_cache = cache.templates()  # compiled templates, kept between builds
    staged = StagedWrite(output_dir)  # each part is written aside as it comes; renamed into place at the end
    try:
        plan, writers = (cache.plan(site, env), cache.writers()) if cache else (None, [])
        rendered = render_in_parallel(site, config, env, site_dir, jobs, plan, staged, writers)
        stage(f"writing {len(staged.staged)} files")
        report = staged.commit(kept=rendered.kept)
    except BaseException:
        staged.abort()
        raise
    if cache:
        cache.save(rendered.digests, rendered.kept, report, rendered.aside)
    return BuildResult(
        items_by_type=items_by_type(site),
        pages=len(site.pages) + len(site.redirects),
        feeds=sum(len(feed.formats) for feed in site.feeds),
        write=report,
        warnings=log.warnings,
        seconds=time.perf_counter() - started,
        next_change=next_change(items, now, config.closing_soon_days),
    )


def _edit_result(edited: EditBuild, config_warnings: list[SourceError], started: float) -> BuildResult:
    site = edited.site
    return BuildResult(
        items_by_type=items_by_type(site),
        pages=len(site.pages) + len(site.redirects),
        feeds=sum(len(feed.formats) for feed in site.feeds),
        write=edited.report,
        warnings=config_warnings + edited.warnings,
        seconds=time.perf_counter() - started,
        next_change=edited.next_change,
        patched=True,
    )


def _refuse_unsafe_output(site_dir: Path, output_dir: Path) -> None:
    """output/ must not be the site itself or hold the content: a build owns what it writes."""
    for protected in (site_dir, site_dir / "content", site_dir / "templates"):
        if output_dir == protected or protected.is_relative_to(output_dir):
            raise BuildFailed(
                [
                    SourceError(
                        str(output_dir),
                        1,
                        1,
                        f"refusing to build into {output_dir}",
                        "choose an output folder of its own, e.g. --output output",
                    )
                ]
            )
