"""`kill -9` in the middle of a build (issue 14, finding 14): whenever the build dies, output/
holds the previous site or the new one, or a state that the next sitegen command completes
before anything else; never a temporary file; and no worker outlives the build."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.write import JOURNAL, MANIFEST, recover, write_outputs

from ..conftest import NOW, make_site, news

ITEMS = 1200


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _site(root: Path, title: str) -> Path:
    files = {
        f"content/news/2026-01-{n % 28 + 1:02d}-item-{n}.md": news(f"{title} {n}", f"2026-01-{n % 28 + 1:02d}")
        for n in range(ITEMS)
    }
    return make_site(root, files)


def _build_command(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--output", str(output)]


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("kill")
    old = _site(root / "old", "Old")
    new = _site(root / "new", "New")
    seconds = []
    for site in (old, new):
        started = time.monotonic()
        command = [*_build_command(site, site / "output"), "--now", NOW.isoformat(), "--jobs", "2", "--no-cache"]
        subprocess.run(command, check=True)
        seconds.append(time.monotonic() - started)
    return {
        "old": files_of(old / "output"),
        "new": files_of(new / "output"),
        "new_site": new,
        "root": root,
        "seconds": max(seconds),
    }


@pytest.mark.parametrize("moment", [0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1])
def test_a_killed_build_leaves_the_old_site_the_new_one_or_a_journal(sites: dict, moment: float) -> None:
    """Killed at `moment` times the length of a whole build: while parsing, rendering, committing."""
    root: Path = sites["root"]  # type: ignore[assignment]
    delay = moment * sites["seconds"]
    site = root / f"site-{delay}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(sites["new_site"], site, ignore=shutil.ignore_patterns("output", ".sitegen-cache"))  # type: ignore[arg-type]
    output = site / "output"
    output.mkdir()
    for rel, data in sites["old"].items():  # type: ignore[union-attr]
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_bytes(data)
    command = [*_build_command(site, output), "--now", NOW.isoformat(), "--jobs", "2", "--no-cache"]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    workers = _children(build.pid)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 1
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "a worker outlived the killed build"

    inside = files_of(output)
    assert not [rel for rel in inside if ".sitegen-" in rel and rel != MANIFEST], "a temporary file in output/"
    if inside not in (sites["old"], sites["new"]):
        journals = list(site.glob(f".output.sitegen-*/{JOURNAL}"))
        assert journals, "output/ is mixed and nothing says how to finish it"
        recover(output)  # what the next sitegen command does first
        assert files_of(output) == sites["new"]
    recover(output)
    assert not list(site.glob(".output.sitegen-*")), "the next command clears what the killed build left"


def test_a_commit_cut_short_is_finished_by_the_next_command(tmp_path: Path) -> None:
    """The journal's moves and removals can be done again: a build killed after moving some of
    its files is completed, whichever of its steps it had reached."""
    out = tmp_path / "out"
    write_outputs({"a/index.html": b"A", "b/index.html": b"B", "gone/index.html": b"G"}, out)
    staging = tmp_path / ".out.sitegen-999999999"  # no such process: the build died
    (staging / "a").mkdir(parents=True)
    (staging / "c").mkdir(parents=True)
    (staging / "c/index.html").write_bytes(b"C")
    (staging / "a/index.html").write_bytes(b"A2")
    journal = {"write": ["a/index.html", "c/index.html"], "remove": ["gone/index.html"], "all": []}
    journal["all"] = ["a/index.html", "b/index.html", "c/index.html"]
    (out / "c").mkdir()
    os.replace(staging / "c/index.html", out / "c/index.html")  # moved before the kill
    (staging / JOURNAL).write_text(json.dumps(journal))
    recover(out)
    assert files_of(out) == {
        "a/index.html": b"A2",
        "b/index.html": b"B",
        "c/index.html": b"C",
        MANIFEST: (json.dumps(journal["all"], indent=0) + "\n").encode(),
    }
    assert not staging.exists()
