"""Build the same corpus with sitegen, Hugo, Eleventy, Pelican and Jekyll, side by side.

    python bench/run.py --sizes 1000 10000            # all tools found, 3 cold builds each
    python bench/run.py --sizes 100000 --tools sitegen hugo --repeats 1
    python bench/run.py --sizes 10000 --disk          # the work folder's disk instead of tmpfs

Tools take turns (sitegen, hugo, eleventy, ... then again), each build cold: an empty output
folder and no cache. Wall time includes start-up. Peak memory is measured in one more cold build
of each tool, not timed: the largest sum of the proportional set size (PSS) of the build's
processes, so that pages a forked worker shares with its parent count once (and never less than
the largest single process's resident size, as `/usr/bin/time -v` reports it). Reading the PSS
walks every page table of the build, which slows a big build while it is timed (a 100,000-post
sitegen build by 7-9%): timed builds are only watched for the memory limit, on the resident size,
which costs nothing. The pages each tool wrote are counted by kind and checked equal. sitegen then
builds again with its cache: unchanged, and after one edited post.

The results go to bench/results.md (a Markdown table); `--readme` also puts it into README.md.
See bench/README.md for installing the peers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import posts
from peers import PEERS, Peer, count_pages

HERE = Path(__file__).parent
REPO = HERE.parent
PAGE = os.sysconf("SC_PAGE_SIZE")
CORPUS_MARKER = ".bench-corpus"  # in a written corpus: its size, so that a run can reuse it
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Run:
    seconds: float
    peak_mib: float
    ok: bool
    note: str = ""


@dataclass
class Result:
    tool: str
    size: int
    version: str = ""
    runs: list[Run] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    skipped: str = ""
    memory: Run | None = None  # the build whose memory was sampled (not timed)

    @property
    def good(self) -> list[Run]:
        return [r for r in self.runs if r.ok]


def _children(pid: int) -> list[int]:
    """The process and all its descendants, from each one's /proc/PID/task/*/children
    (cheap), or by scanning all of /proc where the kernel does not list children."""
    if not _LISTS_CHILDREN:
        return _children_by_scan(pid)
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", "rb") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue  # it ended while being read
    return found


_LISTS_CHILDREN = os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def _children_by_scan(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, ()))
    return found


def _resident(pids: list[int]) -> int:
    """Resident size summed (pages shared after a fork count twice): cheap, for the limit."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _memory(pids: list[int]) -> int:
    """Proportional set size summed over the processes: pages shared after a fork count once
    (resident size when the kernel gives no PSS)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            total += _resident([pid])
    return total


def tool_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This machine's environment for a tool, with Python's bytecode cache allowed: the sandbox
    sets PYTHONDONTWRITEBYTECODE, which a user's machine does not, and without the cache the
    Python tools (sitegen, Pelican) compile their own source at every start."""
    found = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**found, **(extra or {})}


def measure(
    argv: list[str],
    cwd: Path,
    timeout: float,
    env: dict[str, str] | None = None,
    max_gib: float = 12.0,
    memory: bool = False,
) -> Run:
    """Run argv; wall time, whether it succeeded in time and within max_gib (a build past it is
    stopped, so that it cannot exhaust the machine), and with `memory` the peak memory of its
    process tree (which slows the build: see the module's text); without, the largest single
    process's resident size."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=tool_environment(env),
    )
    peak, done, timed_out, too_big = [0], threading.Event(), [False], [False]
    errors: list[bytes] = []

    def sample() -> None:
        # The proportional set size (the figure reported) walks every page table of every
        # process, and holds off the build's own memory mappings meanwhile: at most every
        # 0.25 s, and never more than a tenth of the time (a walk of a 2.5 GiB build takes
        # 10-140 ms). The limit is watched on the cheap resident size every 0.05 s (it counts
        # pages shared after a fork twice: past the limit, the PSS says whether it really is).
        limit, next_walk = max_gib * 2**30, 0.0 if memory else float("inf")
        while not done.is_set():
            pids = _children(proc.pid)
            now = time.perf_counter()
            if now >= next_walk or _resident(pids) > limit:
                found = _memory(pids)
                walked = time.perf_counter() - now
                next_walk = now + max(0.25, 10 * walked)
                peak[0] = max(peak[0], found)
                too_big[0] = found > limit
            timed_out[0] = time.perf_counter() - started > timeout
            if timed_out[0] or too_big[0]:
                os.killpg(proc.pid, signal.SIGKILL)
                return
            done.wait(0.05)

    def drain() -> None:
        assert proc.stderr is not None
        errors.append(proc.stderr.read())

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=drain, daemon=True)]
    for thread in threads:
        thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mib = max(peak[0], usage.ru_maxrss * 1024) / 2**20
    if timed_out[0]:
        return Run(seconds, peak_mib, False, f"stopped after {timeout:.0f} s")
    if too_big[0]:
        return Run(seconds, peak_mib, False, f"stopped at {max_gib:.0f} GiB of memory")
    if proc.returncode != 0:
        lines = b"".join(errors).decode(errors="replace").strip().splitlines()
        said = next((line for line in lines if "error" in line.lower()), lines[-1] if lines else "")
        return Run(seconds, peak_mib, False, f"exit {proc.returncode}: {said.strip()[:100]}")
    return Run(seconds, peak_mib, True)


def memory_run(peer: Peer, folder: Path, tools: Path, args: argparse.Namespace) -> Run:
    """One more cold build, its memory sampled: its peak (its time, slowed by the sampling, is not reported)."""
    site, output = folder / "site", folder / "out"
    cold(peer, site, output)
    env = peer.env(tools) if peer.env else None
    run = measure(peer.command(site, output, tools), site, args.timeout, env, args.max_memory, memory=True)
    print(f"   {peer.name:9} memory: {run.peak_mib:6.0f} MiB" + ("" if run.ok else f"  ({run.note})"), file=sys.stderr)
    if not args.keep:
        shutil.rmtree(output, ignore_errors=True)
    return run


def corpus_site(tool: str, size: int, base: Path) -> tuple[Path, bool]:
    """Where a tool's corpus of `size` posts goes, and whether it is there already."""
    site = base / str(size) / tool / "site"
    marker = site / CORPUS_MARKER
    return site, marker.is_file() and marker.read_text() == f"{size}"


def prepare(tool: str, peer: Peer, size: int, base: Path, corpus: list) -> Path:
    site, ready = corpus_site(tool, size, base)
    if ready:
        return site
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    peer.write(corpus, site)
    (site / CORPUS_MARKER).write_text(f"{size}")
    return site


def cold(peer: Peer, site: Path, output: Path) -> None:
    shutil.rmtree(output, ignore_errors=True)
    for name in peer.caches:
        target = site / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def sitegen_rebuilds(site: Path, output: Path, tools: Path, timeout: float) -> dict:
    """sitegen again with its cache: nothing changed; then one post edited."""
    argv = [*PEERS["sitegen"].command(site, output, tools)]
    argv[argv.index("--quiet")] = "--json"
    found: dict = {}
    cold(PEERS["sitegen"], site, output)
    env = tool_environment()
    subprocess.run(argv, cwd=site, capture_output=True, check=True, env=env)  # fills output/ and the cache
    news = sorted((site / "content" / "news").iterdir())
    for label in ("unchanged", "one post edited"):
        runs = []
        for attempt in range(3):  # a different post each time, put back after its build
            edited = news[len(news) // 2 + attempt * 7] if label == "one post edited" else None
            original = edited.read_text(encoding="utf-8") if edited else ""
            if edited is not None:
                edited.write_text(original + "\nOne more sentence, added by the benchmark.\n", encoding="utf-8")
            try:
                started = time.perf_counter()
                done = subprocess.run(argv, cwd=site, capture_output=True, text=True, timeout=timeout, env=env)
                seconds = time.perf_counter() - started
            finally:
                if edited is not None:
                    edited.write_text(original, encoding="utf-8")
                    subprocess.run(argv, cwd=site, capture_output=True, timeout=timeout, env=env)  # back as it was
            report = json.loads(done.stdout) if done.returncode == 0 else {}
            runs.append((seconds, report.get("written"), done.returncode == 0))
        times = sorted(run[0] for run in runs)
        ok = all(run[2] for run in runs)
        found[label] = {"seconds": times[1], "min": times[0], "max": times[-1], "written": runs[0][1], "ok": ok}
    return found


def fmt_runs(result: Result) -> tuple[str, str, str]:
    good = result.good
    if not good:
        note = result.skipped or (result.runs[0].note if result.runs else "not run")
        return f"– ({note})", "", ""
    times = [r.seconds for r in good]
    median = statistics.median(times)
    spread = f"{min(times):.2f}–{max(times):.2f}" if len(times) > 1 else ""
    return f"{median:.2f}", spread, _peak(result.memory)


def _peak(sampled: Run | None) -> str:
    if sampled is None:
        return ""
    return f"{sampled.peak_mib:.0f}" if sampled.ok else f"– ({sampled.note})"


def table(results: list[Result], rebuilds: dict, meta: dict) -> str:
    lines = [
        f"Measured {meta['date']} on {meta['machine']}; output and corpus on {meta['storage']}; "
        f"load average {meta['load_before']} before, {meta['load_after']} after. "
        f"Cold builds (empty output folder, no cache), {meta['repeats']} run(s) each "
        f"({meta['large_repeats']} at 50,000 posts and more), tools taking turns; "
        "time is wall-clock including start-up, median (min–max); memory is the peak of the build's "
        "processes together (proportional set size, so pages shared after a fork count once), "
        "sampled in one more build of each tool, not timed.",
        "",
        "| posts | tool | seconds | min–max | peak MiB | item pages | tag pages | index pages | feed | other files |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        median, spread, peak = fmt_runs(result)
        pages = result.pages
        other = pages.get("files", 0) - pages.get("item", 0) - pages.get("tag", 0) - pages.get("index", 0)
        counts = (
            [str(pages.get(k, "")) for k in ("item", "tag", "index", "feed")] + [str(other)]
            if pages
            else ["", "", "", "", ""]
        )
        name = f"{result.tool} {result.version}".strip()
        lines.append(f"| {result.size:,} | {name} | {median} | {spread} | {peak} | " + " | ".join(counts) + " |")
    mismatches = meta.get("mismatches") or []
    lines.append("")
    lines.append(
        "Page counts: "
        + ("item and tag pages are equal for every tool." if not mismatches else "MISMATCH: " + "; ".join(mismatches))
        + " sitegen's index is its section listings and year archive (it has no single list of everything), "
        "counted under other files with its programme pages, per-tag feeds and calendars."
    )
    if rebuilds:
        lines += ["", "sitegen again, with its cache (`.sitegen-cache/` in the site folder):", ""]
        lines += ["| posts | rebuild | seconds (median of 3) | min–max | files written |"]
        lines += ["| ---: | --- | ---: | ---: | ---: |"]
        for size, found in rebuilds.items():
            for label, value in found.items():
                spread = f"{value['min']:.2f}–{value['max']:.2f}"
                lines.append(f"| {size:,} | {label} | {value['seconds']:.2f} | {spread} | {value['written']} |")
    return "\n".join(lines) + "\n"


def check_counts(results: list[Result]) -> list[str]:
    problems = []
    by_size: dict[int, list[Result]] = {}
    for result in results:
        if result.pages:
            by_size.setdefault(result.size, []).append(result)
    for size, found in by_size.items():
        found = [r for r in found if r.tool != "floor"]  # the floor writes bodies only
        for kind in ("item", "tag"):
            values = {r.tool: r.pages[kind] for r in found}
            if len(set(values.values())) > 1:
                problems.append(f"{size} posts, {kind} pages: {values}")
        for result in found:
            if result.pages["item"] != size:
                problems.append(f"{result.tool} wrote {result.pages['item']} item pages for {size} posts")
            if result.tool != "sitegen" and result.pages["index"] != -(-size // 10):
                problems.append(f"{result.tool} wrote {result.pages['index']} index pages")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--tools", nargs="+", default=list(PEERS), choices=list(PEERS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-repeats", type=int, default=1, help="repeats at 50,000 posts and more (default 1)")
    parser.add_argument("--max-memory", type=float, default=12.0, help="GiB a build may use before it is stopped")
    parser.add_argument("--disk", action="store_true", help="work on disk (--work) instead of tmpfs (/dev/shm)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("SITEGEN_BENCH_WORK", "/work/benchwork")))
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a build is stopped")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument("--readme", action="store_true", help="also put the table into README.md")
    parser.add_argument("--no-rebuilds", action="store_true", help="skip sitegen's rebuilds with its cache")
    parser.add_argument("--keep", action="store_true", help="keep the outputs (to look at them)")
    args = parser.parse_args()

    base = args.work / "runs" if args.disk else Path("/dev/shm/sitegen-bench")
    tools_dir = args.work
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    peers = {name: PEERS[name] for name in args.tools}
    versions = {}
    for name, peer in list(peers.items()):
        if peer.available(tools_dir):
            versions[name] = peer.version_text(tools_dir)
        else:
            print(f"{name}: not installed, skipped (see bench/README.md)", file=sys.stderr)
            del peers[name]
    results: list[Result] = []
    rebuilds: dict[int, dict] = {}
    too_slow: dict[str, float] = {}  # tool -> seconds per post seen at a smaller size
    for size in args.sizes:
        print(f"== {size} posts: writing the corpus", file=sys.stderr)
        corpus = posts(size)
        here = {}
        for name, peer in peers.items():
            result = Result(name, size, _short_version(name, versions[name]))
            results.append(result)
            here[name] = result
            rate = too_slow.get(name)
            if rate and rate * size > args.timeout:
                result.skipped = f"skipped: about {rate * size:.0f} s expected from the smaller size"
                continue
            prepare(name, peer, size, base, corpus)
        del corpus
        for round_ in range(args.repeats if size < 50_000 else args.large_repeats):
            for name, peer in peers.items():
                result = here[name]
                if result.skipped:
                    continue
                site, output = base / str(size) / name / "site", base / str(size) / name / "out"
                cold(peer, site, output)
                env = peer.env(tools_dir) if peer.env else None
                run = measure(peer.command(site, output, tools_dir), site, args.timeout, env, args.max_memory)
                result.runs.append(run)
                print(
                    f"   {name:9} round {round_ + 1}: {run.seconds:7.2f} s"
                    + ("" if run.ok else f"  FAILED: {run.note}"),
                    file=sys.stderr,
                )
                if not run.ok:
                    result.skipped = run.note
                    too_slow[name] = run.seconds / size if "stopped" in run.note else 0
                    continue
                too_slow[name] = run.seconds / size
                if not result.pages:
                    result.pages = count_pages(output)
                if not args.keep:  # tmpfs is memory: 100,000 posts' outputs would crowd out the builds
                    shutil.rmtree(output, ignore_errors=True)
        for name, peer in peers.items():
            if here[name].good:
                here[name].memory = memory_run(peer, base / str(size) / name, tools_dir, args)
        if "sitegen" in peers and not args.no_rebuilds and here["sitegen"].good:
            site, output = base / str(size) / "sitegen" / "site", base / str(size) / "sitegen" / "out"
            rebuilds[size] = sitegen_rebuilds(site, output, tools_dir, args.timeout)
            print(f"   sitegen rebuilds: {rebuilds[size]}", file=sys.stderr)
        for name in peers if not args.keep else ():  # free the space: outputs of big sizes add up on tmpfs
            shutil.rmtree(base / str(size) / name / "out", ignore_errors=True)
    meta = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {_memory_gib()} GiB, {platform.system()} {platform.release()}",
        "storage": f"disk ({base})" if args.disk else "tmpfs (/dev/shm)",
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "repeats": args.repeats,
        "large_repeats": args.large_repeats,
        "mismatches": check_counts(results),
    }
    text = table(results, rebuilds, meta)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    if args.readme:
        readme = REPO / "README.md"
        current = readme.read_text(encoding="utf-8")
        if README_START in current and README_END in current:
            head, rest = current.split(README_START, 1)
            tail = rest.split(README_END, 1)[1]
            readme.write_text(f"{head}{README_START}\n{text}{README_END}{tail}", encoding="utf-8")
        else:
            print("README.md has no bench markers; table not inserted", file=sys.stderr)
    return 1 if meta["mismatches"] else 0


def _short_version(name: str, text: str) -> str:
    for word in text.replace("v", " ").split():
        if word[:1].isdigit():
            return word.split("+")[0].split("-")[0]
    return ""


def _memory_gib() -> int:
    return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)


if __name__ == "__main__":
    sys.exit(main())
