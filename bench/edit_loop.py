"""The editor's loop, timed: from saving one post to its page rewritten on disk, for
`sitegen serve` and `hugo server --renderToDisk` on the same generated posts, plus clean
and incremental build times. A benchmark, not a test: it prints a table.

    python bench/edit_loop.py                    # sample site, 25 and 10,000 generated posts
    python bench/edit_loop.py --sizes 25 --edits 5 --no-hugo

Each server runs alone (one after the other) on 127.0.0.1. Each edit appends a sentence to
the body of one post in the middle of the corpus (or changes its title), and the clock
runs from the end of the write to the moment the post's page on disk contains it.
Needs Debian's hugo (apt-get install hugo) for the Hugo columns.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from sitegen.commands.serve import Rebuilder
from sitegen.pipeline import BuildOptions, build
from sitegen.urls import item_url, slug_from_filename

REPO = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-20T12:00:00+01:00")


@dataclass
class Row:
    what: str
    tool: str
    latencies: list[float] = field(default_factory=list)  # seconds, save -> page on disk
    server_times: list[float] = field(default_factory=list)  # the server's own report per rebuild

    def cells(self) -> list[str]:
        if not self.latencies:
            return [self.what, self.tool, "-", "-", "-", "-"]
        ordered = sorted(self.latencies)
        p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
        server = f"{statistics.median(self.server_times) * 1000:.0f}" if self.server_times else "-"
        return [
            self.what,
            self.tool,
            f"{statistics.median(ordered) * 1000:.0f}",
            f"{p90 * 1000:.0f}",
            f"{ordered[-1] * 1000:.0f}",
            server,
        ]


def wait_for_text(log: Path, pattern: str, timeout: float = 600.0, start: int = 0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, log.read_text(encoding="utf-8", errors="replace")[start:]):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{pattern!r} never appeared in {log}:\n{log.read_text()[-2000:]}")


def page_contains(page: Path, marker: bytes) -> bool:
    try:
        return marker in page.read_bytes()
    except OSError:
        return False


def time_edits(post: Path, page: Path, edits: int, title: bool, pause: float) -> list[float]:
    original = post.read_text(encoding="utf-8")
    latencies = []
    try:
        for n in range(edits):
            marker = f"Edit loop marker {n} {time.time_ns()}"
            if title:
                text = re.sub(r"^title: .*$", f'title: "{marker}"', original, count=1, flags=re.M)
            else:
                text = original.rstrip("\n") + f"\n\n{marker}.\n"
            post.write_text(text, encoding="utf-8")
            saved = time.perf_counter()
            while not page_contains(page, marker.encode()):
                if time.perf_counter() - saved > 60:
                    raise TimeoutError(f"{page} never showed the edit")
                time.sleep(0.001)
            latencies.append(time.perf_counter() - saved)
            time.sleep(pause)  # let the rest of the rebuild finish: one edit per rebuild
    finally:
        post.write_text(original, encoding="utf-8")
    return latencies


def run_server(command: list[str], ready: str, cwd: Path, log: Path) -> subprocess.Popen:
    handle = log.open("w", encoding="utf-8")
    process = subprocess.Popen(command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT)
    wait_for_text(log, ready)
    time.sleep(1.0)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def sitegen_serve(site: Path, post: Path, page: Path, what: str, args, work: Path) -> list[Row]:
    log = work / f"sitegen-{what}.log"
    command = [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0"]
    process = run_server(command, r"serving .* at http://127\.0\.0\.1", REPO, log)
    rows = []
    try:
        for title in (False, True):
            start = len(log.read_text(encoding="utf-8"))
            row = Row(f"{what}: edit {'title' if title else 'text'}", "sitegen serve")
            row.latencies = time_edits(post, page, args.edits, title, args.pause)
            times = re.findall(r"rebuilt in ([\d.]+)s", log.read_text(encoding="utf-8")[start:])
            row.server_times = [float(t) for t in times]
            rows.append(row)
    finally:
        stop(process)
    return rows


def hugo_serve(site: Path, post: Path, what: str, args, work: Path, fast: bool) -> list[Row]:
    out = work / f"hugo-out-{what}-{fast}"
    log = work / f"hugo-{what}-{fast}.log"
    command = ["hugo", "server", "--renderToDisk", "-d", str(out), "--bind", "127.0.0.1", "--port", "0"]
    command += [] if fast else ["--disableFastRender"]
    process = run_server(command, r"Web Server is available", site, log)
    page = out / post.parent.name / post.stem / "index.html"
    tool = "hugo server" + ("" if fast else " --disableFastRender")
    rows = []
    try:
        for title in (False, True):
            start = len(log.read_text(encoding="utf-8"))
            row = Row(f"{what}: edit {'title' if title else 'text'}", tool)
            row.latencies = time_edits(post, page, args.edits, title, args.pause)
            times = re.findall(r"Total in (\d+) ms", log.read_text(encoding="utf-8")[start:])
            row.server_times = [int(t) / 1000 for t in times]
            rows.append(row)
    finally:
        stop(process)
    return rows


def build_times(site: Path, post: Path, work: Path) -> dict:
    """Clean build, and the Rebuilder after a text edit and after a title edit (in-process);
    also the post's address."""
    output = work / "clean-output"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    build(BuildOptions(site, output, NOW))
    clean = time.perf_counter() - started
    rebuilder = Rebuilder(BuildOptions(site, work / "incremental-output", NOW))
    rebuilder.build()
    url = item_url("news", slug_from_filename(post.name))
    original = post.read_text(encoding="utf-8")
    text, title = [], []
    try:  # text edits first: each is then a fast-path build, as in an editor's session
        for n in range(5):
            post.write_text(original + f"\nIn-process edit {n}.\n", encoding="utf-8")
            text.append(rebuilder.build([post]).seconds)
        for n in range(5):
            post.write_text(re.sub(r"^title: .*$", f"title: Retitled {n}", original, count=1, flags=re.M))
            title.append(rebuilder.build([post]).seconds)
    finally:
        post.write_text(original, encoding="utf-8")
    return {"clean": clean, "text": statistics.median(text), "title": statistics.median(title), "url": url}


def hugo_clean(site: Path, work: Path) -> float:
    output = work / "hugo-clean"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(["hugo", "--quiet", "-d", str(output)], cwd=site, check=True)
    return time.perf_counter() - started


def middle_post(site: Path) -> Path:
    posts = sorted((site / "content/news").glob("*.md"))
    return posts[len(posts) // 2]


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join([line, rule, *body])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the editor's loop: save -> page on disk.")
    parser.add_argument("--sizes", default="sample,25,10000", help="comma-separated: sample and/or post counts")
    parser.add_argument("--edits", type=int, default=15, help="edits per measurement")
    parser.add_argument("--pause", type=float, default=0.6, help="seconds between edits")
    parser.add_argument("--no-hugo", action="store_true", help="sitegen only")
    args = parser.parse_args()
    hugo = not args.no_hugo and shutil.which("hugo") is not None
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    builds: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes.split(","):
            site = work / f"site-{size}"
            if size == "sample":
                shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(".git", ".venv", "output", "tests", "bench"))
                what = "sample site"
            else:
                corpus.generate(int(size), site)
                what = f"{int(size):,} posts"
            post = middle_post(site)
            times = build_times(site, post, work)
            page = site / "output" / times["url"].strip("/") / "index.html"
            rows += sitegen_serve(site, post, page, what, args, work)
            hugo_clean_time = None
            if hugo and size != "sample":
                hugo_site = corpus.generate(int(size), work / f"hugo-{size}", hugo=True)
                hugo_post = middle_post(hugo_site)
                hugo_clean_time = hugo_clean(hugo_site, work)
                rows += hugo_serve(hugo_site, hugo_post, what, args, work, fast=True)
                rows += hugo_serve(hugo_site, hugo_post, what, args, work, fast=False)
            builds.append(
                [
                    what,
                    f"{times['clean']:.2f}",
                    f"{times['text'] * 1000:.0f}",
                    f"{times['title'] * 1000:.0f}",
                    f"{hugo_clean_time:.2f}" if hugo_clean_time else "-",
                ]
            )
    print("Save -> page rewritten on disk (ms), and each server's own rebuild time (ms, median):\n")
    header = ["corpus", "server", "median", "p90", "max", "server's rebuild"]
    print(table(header, [row.cells() for row in rows]))
    print("\nBuild times: sitegen clean build (s), Rebuilder after a text / title edit (ms), hugo clean (s):\n")
    print(table(["corpus", "sitegen clean", "incremental text", "incremental title", "hugo clean"], builds))
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[:2] if hugo else []
    print(
        f"\n{os.cpu_count()} cores; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"{' '.join(version) or 'no hugo'}; Python {sys.version.split()[0]}"
    )


if __name__ == "__main__":
    main()
