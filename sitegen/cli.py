"""sitegen build: arguments, exit codes (0 ok, 1 content errors, 2 usage), messages."""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from sitegen.commands.progress import Progress
from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, BuildResult, build


def run() -> NoReturn:
    """The `sitegen` command: main(), then exit without tearing down every object one by one
    (the half-million objects of a 10,000-post site take ~0.1-0.2 s to free, for nothing:
    every file is written and closed by then)."""
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        # The reader went away (`sitegen build --json | head -1`): end quietly, with the status
        # of a process SIGPIPE ended, as Unix tools do; os._exit flushes nothing, so no second
        # error is printed about the bytes left in the buffer.
        code = 128 + signal.SIGPIPE
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "build":
        return _build(args, parser)
    if args.command == "serve":
        return _serve(args)
    if args.command == "new":
        return _new(args)
    if args.command == "check":
        return _check(args)
    parser.print_help(sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="Build a network's news site.")
    commands = parser.add_subparsers(dest="command")
    build_cmd = commands.add_parser("build", help="build the site into output/")
    build_cmd.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    build_cmd.add_argument("--output", type=Path, help="where to write (default: SITE/output)")
    build_cmd.add_argument("--now", help="the build's clock, ISO 8601 (e.g. 2026-03-01T12:00+01:00)")
    build_cmd.add_argument("--drafts", action="store_true", help="include items marked draft")
    build_cmd.add_argument("--future", action="store_true", help="include items dated in the future")
    build_cmd.add_argument("--json", action="store_true", help="print a machine-readable report")
    build_cmd.add_argument("--quiet", action="store_true", help="print errors only")
    build_cmd.add_argument("--verbose", action="store_true", help="also list every file written or removed")
    build_cmd.add_argument(
        "--jobs", type=int, help="processes that parse and render (default: one per core for a big site; 1: none)"
    )
    build_cmd.add_argument("--no-cache", action="store_true", help="neither read nor write SITE/.sitegen-cache/")
    build_cmd.add_argument("--strict", action="store_true", help="warnings fail the build (pull-request checks)")
    serve_cmd = commands.add_parser("serve", help="preview the site; rebuild and reload pages on every change")
    serve_cmd.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    serve_cmd.add_argument("--output", type=Path, help=f"where to write (default: SITE/{PREVIEW_DIR})")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="listen on (default: 127.0.0.1: this computer)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free port)")
    serve_cmd.add_argument(
        "--as-published", action="store_true", help="hide drafts and scheduled items, as a build does"
    )
    new_cmd = commands.add_parser("new", help="start a new item: a named file with front matter to fill in")
    new_cmd.add_argument("type", choices=["news", "event", "call", "page", "programme"], help="what to create")
    new_cmd.add_argument("title", help='its title, e.g. "Board meets in Brussels"')
    new_cmd.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    check_cmd = commands.add_parser("check", help="find every mistake without building (drafts included)")
    check_cmd.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    check_cmd.add_argument("--format", choices=["text", "github"], default="text", help="github: Actions annotations")
    check_cmd.add_argument("--external", action="store_true", help="also check web addresses (needs the network)")
    check_cmd.add_argument("--timeout", type=float, default=10.0, help="seconds per web address (default: 10)")
    check_cmd.add_argument("--workers", type=int, default=8, help="web addresses checked at once (default: 8)")
    check_cmd.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    return parser


def _check(args: argparse.Namespace) -> int:
    from sitegen.commands.check import check_site, github
    from sitegen.commands.linkcheck import check_links

    checked = check_site(args.site)
    problems = checked.problems
    if args.external:
        problems = sorted(problems + check_links(checked.external, args.timeout, args.workers))
    for problem in problems:
        if args.format == "github":
            print(github(problem))
        else:
            print(problem.format(), file=sys.stderr)
    errors = sum(problem.severity == "error" for problem in problems)
    print(
        f"checked {checked.files} files: {errors} error(s), {len(problems) - errors} warning(s)"
        + ("" if args.external or not checked.external else f"; {len(checked.external)} web addresses not checked"),
        file=sys.stderr,
    )
    return 1 if errors or (args.strict and problems) else 0


def _new(args: argparse.Namespace) -> int:
    from sitegen.commands.scaffold import ScaffoldError, new_item

    try:
        path = new_item(args.site, args.type, args.title)
    except ScaffoldError as failed:
        print(failed.error.format(), file=sys.stderr)
        return 1
    except BuildFailed as failed:  # site.yaml missing or broken
        for error in failed.errors:
            print(error.format(), file=sys.stderr)
        return 1
    print(path)
    return 0


PREVIEW_DIR = ".sitegen-preview"


def _serve(args: argparse.Namespace) -> int:
    from sitegen.commands.serve import serve  # watchdog and the HTTP server are needed only here

    try:
        # The preview shows drafts and scheduled items (with a banner) and so never writes
        # into output/, which must only ever hold what is published.
        output = args.output or args.site / PREVIEW_DIR
        show = not args.as_published
        return serve(BuildOptions(args.site, output, None, show, show), args.host, args.port)
    except BuildFailed as failed:
        for problem in failed.errors + failed.warnings:
            print(problem.format(), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"sitegen serve: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        print("    hint: another program uses that port; try --port 8001 (or --port 0 for any)", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # No garbage collection in `sitegen build`'s process: the build ends it, so the full pass
    # that enabling it again after the build starts (0.05 s at 10,000 posts) would be wasted.
    gc.disable()
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError:
            parser.error(f"--now: `{args.now}` is not an ISO 8601 date-time (e.g. 2026-03-01T12:00+01:00)")
        if now.tzinfo is None:
            now = now.astimezone()  # a clock without offset is the machine's local time
    progress = Progress(sys.stderr) if sys.stderr.isatty() and not (args.quiet or args.json) else None
    options = BuildOptions(
        args.site,
        args.output,
        now,
        args.drafts,
        args.future,
        progress,
        jobs=args.jobs,
        cache=not args.no_cache,
        strict=args.strict,
    )
    try:
        result = _with_progress(options, progress)
    except BuildFailed as failed:
        for problem in failed.errors + failed.warnings:  # the errors first: they stop the build
            print(problem.format(), file=sys.stderr)
        also = f", {len(failed.warnings)} warning(s)" if failed.warnings else ""
        print(f"build failed: {_counted(failed.errors)}{also}; output/ was left as it was", file=sys.stderr)
        if args.json:
            report = {"ok": False, "errors": [e.__dict__ for e in failed.errors]}
            print(json.dumps(report | {"warnings": [w.__dict__ for w in failed.warnings]}, indent=2))
        return 1
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    if args.verbose and not args.json:
        for rel in result.write.written:
            print(f"  wrote   {rel}", file=sys.stderr)
        for rel in result.write.removed:
            print(f"  removed {rel}", file=sys.stderr)
    if args.json:
        print(json.dumps(_report(result), indent=2))
    elif not args.quiet:
        print(_summary(result), file=sys.stderr)
    return 0


def _with_progress(options: BuildOptions, progress: Progress | None) -> BuildResult:
    try:
        return build(options)
    finally:
        if progress:
            progress.close()  # before any message: the status line must not cut into them


def _report(result: BuildResult) -> dict:
    return {
        "ok": True,
        "items": result.items_by_type,
        "pages": result.pages,
        "feeds": result.feeds,
        "written": len(result.write.written),
        "unchanged": result.write.unchanged,
        "removed": result.write.removed,
        "warnings": [w.__dict__ for w in result.warnings],
        "seconds": round(result.seconds, 3),
        "parsed": result.parsed,
        "rendered": len(result.rendered),
        "next_change": result.next_change.isoformat() if result.next_change else None,
    }


def _counted(problems: list) -> str:
    """ "2 error(s)", "3 warning(s) (--strict)", or both."""
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error(s)"] if errors or not warnings else []
    return ", ".join(parts + ([f"{warnings} warning(s) (strict)"] if warnings else []))


def _summary(result: BuildResult) -> str:
    items = ", ".join(_counted_items(count, kind) for kind, count in result.items_by_type.items()) or "no items"
    # A time when a post is due, an event starts, a call closes: the site changes then.
    when = result.next_change
    upcoming = f"{when.isoformat()} (rebuild the site then)" if when else "none scheduled"
    return (
        f"built {items}: {result.pages} pages, {result.feeds} feeds; "
        f"{len(result.write.written)} files written, {result.write.unchanged} unchanged, "
        f"{len(result.write.removed)} removed in {result.seconds:.2f}s; {len(result.warnings)} warning(s)\n"
        f"next change: {upcoming}"
    )


_PLURALS = {"event": "events", "call": "calls", "programme": "programmes", "page": "pages"}  # news is news


def _counted_items(count: int, kind: str) -> str:
    return f"{count} {kind if count == 1 else _PLURALS.get(kind, kind)}"
