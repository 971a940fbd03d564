"""The build's memory cannot run code (issue 14, finding 8): .sitegen-cache/ is JSON, and a
cache that is corrupt, crafted or foreign is ignored with a warning; the build is then a
clean one."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from sitegen.pipeline import CACHE_DIR

from ..conftest import make_site, news, run_build


class _Exploit:
    def __reduce__(self) -> tuple:
        return (Path.touch, (Path("/tmp/sitegen-cache-exploit"),))


def _site(root: Path) -> Path:
    return make_site(root, {"content/news/2026-01-01-a.md": news("A"), "content/news/2026-01-02-b.md": news("B")})


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_pickle_in_the_cache_is_never_loaded(tmp_path: Path) -> None:
    marker = Path("/tmp/sitegen-cache-exploit")
    marker.unlink(missing_ok=True)
    site = _site(tmp_path / "s")
    cache = site / CACHE_DIR
    cache.mkdir()
    for name in ("state.json", "files.pickle", "site.pickle", "render.pickle", "bodies-1.txt"):
        (cache / name).write_bytes(pickle.dumps(_Exploit()))
    result = run_build(site)
    assert not marker.exists(), "reading the cache ran code"
    assert any("cache" in warning.message and "unreadable" in warning.message for warning in result.warnings)
    assert (site / "output/news/a/index.html").is_file()


@pytest.mark.parametrize(
    "damage",
    [
        lambda state: state.update(files={"news/x.md": [None, "d", [1, 2], [], [], {}, False, ""]}),
        lambda state: state["renders"].update({"index.html": [[999999], [0, 0]]}),
        lambda state: state["renders"].update({"index.html": [["a key"], [0, 0]]}),
        lambda state: state["renders"].update({"index.html": [0, [0, 0]]}),
        lambda state: state["renders"].update({"index.html": [[0, 0.5], [0, 0]]}),
        lambda state: state["renders"].update({"index.html": [[0], [1e400, 0]]}),
        lambda state: state.update(bodies="../../etc/passwd"),
        lambda state: state.update(keys="not a list"),
        lambda state: [
            record.__setitem__(2, [*record[2][:8], [10**9, 10], *record[2][9:]]) for record in state["files"].values()
        ],
    ],
    ids=[
        "an item of the wrong shape",
        "a key that does not exist",
        "a key that is not a number",
        "reads that are not a list",
        "a key number that is not whole",
        "a time too large",
        "a body file outside",
        "keys of the wrong type",
        "bodies beyond the file",
    ],
)
def test_a_damaged_cache_is_ignored_with_a_warning(tmp_path: Path, damage) -> None:
    site = _site(tmp_path / "s")
    run_build(site)
    state_file = site / CACHE_DIR / "state.json"
    header, *lines = state_file.read_text().splitlines()  # a header, a line for each file, then each output
    state = json.loads(header)
    count = state.pop("files")
    state["files"] = {path: record for path, *record in map(json.loads, lines[:count])}
    state["renders"] = {path: record for path, *record in map(json.loads, lines[count:])}
    damage(state)
    files, renders = state.pop("files"), state.pop("renders")
    state["files"] = len(files)
    records = [*([path, *record] for path, record in files.items()), *([path, *rest] for path, rest in renders.items())]
    state_file.write_text("\n".join([json.dumps(state), *map(json.dumps, records)]))
    result = run_build(site, output=tmp_path / "again")
    assert any("damaged" in warning.message for warning in result.warnings), result.warnings
    run_build(site, output=tmp_path / "clean", cache=False)
    assert _files(tmp_path / "again") == _files(tmp_path / "clean")


def test_a_body_damaged_on_disk_is_found_when_shown_and_the_build_starts_afresh(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    run_build(site)
    bodies = next((site / CACHE_DIR).glob("bodies-*.txt"))
    bodies.write_bytes(b"\xff" * bodies.stat().st_size)
    (site / "output/news/a/index.html").unlink()  # so that its page, and its stored body, are needed
    result = run_build(site)
    assert "damaged" in result.warnings[0].message
    run_build(site, output=tmp_path / "clean", cache=False)
    assert _files(site / "output") == _files(tmp_path / "clean") | {
        ".sitegen-manifest.json": (site / "output/.sitegen-manifest.json").read_bytes()
    }


@pytest.mark.parametrize("link", ["the body file", "the cache folder"])
def test_a_cache_that_links_out_of_the_site_is_never_read(tmp_path: Path, link: str) -> None:
    """A pull request can commit a .sitegen-cache/ whose body file leads to a secret (.git/config
    holds a CI token): the build never reads through it, and builds afresh."""
    site = _site(tmp_path / "s")
    run_build(site)
    cache = site / CACHE_DIR
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN " * 10_000, encoding="utf-8")
    if link == "the body file":
        (body,) = cache.glob("bodies-*.txt")
        body.unlink()
        body.symlink_to(secret)
    else:
        moved = tmp_path / "elsewhere"
        cache.rename(moved)
        cache.symlink_to(moved)
    shutil.rmtree(site / "output")
    result = run_build(site)
    published = b"".join(p.read_bytes() for p in (site / "output").rglob("*") if p.is_file())
    assert b"SECRET" not in published
    assert any("cache" in warning.message for warning in result.warnings)
