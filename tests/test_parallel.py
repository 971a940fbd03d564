"""Parsing and rendering in worker processes changes nothing: the same bytes in every file,
the same errors in the same order, the same warnings and report as a build in one process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, build
from sitegen.pipeline.workers import MIN_FILES, chunks, jobs_for
from sitegen.state.files import RACY_SECONDS

from .conftest import GOLDEN_SITES, NOW, make_site, news
from .test_invalid_sites import CASES, INVALID_DIR


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(site: Path, output: Path, jobs: int):
    return build(BuildOptions(site, output, NOW, jobs=jobs, cache=False))


pytestmark = pytest.mark.usefixtures("trusted_stamps")


def _news_names(count: int, days: int = 28) -> list[str]:
    return [f"content/news/2026-02-{day % days + 1:02d}-item-{day}.md" for day in range(count)]


def _aged_site(root: Path, files: dict[str, str]) -> Path:
    """A site whose posts are older than the racy window: a cached build trusts their stamps."""
    site = make_site(root, files)
    an_hour_ago = time.time() - 3600
    for name in files:
        if name.startswith("content/"):
            os.utime(site / name, (an_hour_ago, an_hour_ago))
    return site


@pytest.mark.parametrize("name", sorted(GOLDEN_SITES))
def test_parallel_build_equals_sequential(name: str, tmp_path: Path) -> None:
    one = _build(GOLDEN_SITES[name], tmp_path / "one", jobs=1)
    two = _build(GOLDEN_SITES[name], tmp_path / "two", jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert (one.items_by_type, one.pages, one.feeds, one.next_change) == (
        two.items_by_type,
        two.pages,
        two.feeds,
        two.next_change,
    )
    assert one.warnings == two.warnings
    assert one.write.written == two.write.written


@pytest.mark.parametrize("case", CASES)
def test_parallel_build_reports_the_same_errors(case: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(INVALID_DIR / case, site, ignore=shutil.ignore_patterns("expected.txt", "output"))
    found = []
    for jobs in (1, 3):
        with pytest.raises(BuildFailed) as failed:
            _build(site, tmp_path / f"out-{jobs}", jobs)
        found.append([error.format() for error in failed.value.errors])
        assert not (tmp_path / f"out-{jobs}").exists() or not any((tmp_path / f"out-{jobs}").iterdir())
    assert found[0] == found[1]


def test_a_broken_template_fails_the_same_way_and_writes_nothing(tmp_path: Path) -> None:
    files = {f"content/news/2026-02-{day:02d}-item-{day}.md": news(f"Item {day}") for day in range(1, 25)}
    broken = "{% extends 'base.html' %}{% block main %}{{ page.item.no_such | upper }}{% endblock %}"
    files["templates/item.html"] = broken
    site = make_site(tmp_path / "site", files)
    found = []
    for jobs in (1, 2):
        with pytest.raises(BuildFailed) as failed:
            _build(site, tmp_path / f"out-{jobs}", jobs)
        found.append([error.format() for error in failed.value.errors])
        assert not (tmp_path / f"out-{jobs}").exists() or not any((tmp_path / f"out-{jobs}").iterdir())
    assert found[0] == found[1]
    assert len(found[0]) == 1, "one broken template is reported once, however many pages it breaks"


def test_small_sites_build_in_one_process_unless_asked() -> None:
    assert jobs_for(None, MIN_FILES - 1) == 1
    assert jobs_for(None, MIN_FILES) >= 1
    assert jobs_for(3, 1) == 3
    assert jobs_for(0, 10_000) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_template_error_leaves_the_previous_output_as_it_was(tmp_path: Path, jobs: int) -> None:
    files = {f"content/news/2026-02-{day:02d}-item-{day}.md": news(f"Item {day}") for day in range(1, 25)}
    site = make_site(tmp_path / "site", files)
    _build(site, tmp_path / "out", jobs)
    before = _files(tmp_path / "out")
    (site / "content" / "news" / "2026-02-01-item-1.md").write_text(news("Item one, renamed"), encoding="utf-8")
    (site / "content" / "news" / "2026-03-01-new.md").write_text(news("A new item", "2026-03-01"), encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "tags.html").write_text("{{ no_such_thing.at_all }}", encoding="utf-8")
    with pytest.raises(BuildFailed):
        _build(site, tmp_path / "out", jobs)
    assert _files(tmp_path / "out") == before, "no file changed, none added, no temporary file left"
    assert {p for p in (tmp_path / "out").rglob("*") if p.is_dir()} == {
        p for p in (tmp_path / "out").rglob("*") if p.is_dir() and any(p.iterdir())
    }, "no empty folder left behind"


def test_cards_of_a_parallel_build_are_the_cards_of_a_sequential_build(tmp_path: Path) -> None:
    """Each process renders the cards its listings show, once; the listings hold the same cards."""
    tags = ["Art", "Climate", "Music"]
    files = {
        f"content/news/2026-01-{n % 28 + 1:02d}-item-{n}.md": news(
            f"Item {n}", f"2026-01-{n % 28 + 1:02d}", tags=f"[{tags[n % 3]}, {tags[(n + 1) % 3]}]"
        )
        for n in range(60)
    }
    site = make_site(tmp_path / "site", files)
    _build(site, tmp_path / "one", jobs=1)
    _build(site, tmp_path / "two", jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    tag_pages = [data for path, data in _files(tmp_path / "two").items() if path.startswith("tags/art/")]
    assert sum(page.count(b'class="card-title"><a href="/news/item-') for page in tag_pages) == 40


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
def test_chunks_take_every_entry_once_in_order_in_runs_that_shrink(workers: int) -> None:
    for size in (0, 1, 5, 63, 64, 65, 5000):
        entries = list(range(size))
        runs = chunks(entries, workers)
        assert [entry for run in runs for entry in run] == entries
        sizes = [len(run) for run in runs]
        assert sizes == sorted(sizes, reverse=True)  # the processes end on small runs together
        assert not sizes or sizes[0] <= max(8, -(-size // (2 * workers)))
        assert not sizes or sizes[-1] <= 8
        assert all(len(run) <= 16 for run in chunks(entries, workers, largest=16))  # parsed files' bodies go back


def test_listings_are_one_run_while_they_are_a_process_share_so_each_card_is_rendered_once() -> None:
    from types import SimpleNamespace

    from sitegen.pipeline.rendering import _runs
    from sitegen.render.outputs import Output

    def outputs(listings: int, items: int) -> list[Output]:
        listing = [Output(f"l{n}", "page", SimpleNamespace(item=None)) for n in range(listings)]
        return listing + [Output(f"i{n}", "page", SimpleNamespace(item=object())) for n in range(items)]

    runs = _runs(outputs(300, 1000), 2)
    assert runs[0] == (0, 300) and runs[1][0] == 300
    assert [index for start, end in runs for index in range(start, end)] == list(range(1300))
    shared = _runs(outputs(900, 1000), 2)  # more than a process's share: shared out as the rest
    assert shared[0][1] < 900 and [i for start, end in shared for i in range(start, end)] == list(range(1900))


def test_a_cached_build_in_processes_shows_the_bodies_a_clean_build_shows(tmp_path: Path) -> None:
    """`sitegen build` with its cache and processes: after a cold build, after edits to part of
    the files (their bodies appended after the remembered ones), after every file was read again
    and found unchanged (nothing written: a record comes back as its stamp, not as a copy whose
    body file is not the state's), after edits to most of them (more than half the file is then
    old bodies: every body is written to a new file), with nothing changed and with output/
    removed (every page made again from the remembered bodies), output/ is what a build in one
    process without a cache makes, and one body file is left."""
    long = "A paragraph of the item's text, long enough to weigh in the body file. " * 8
    names = [f"content/news/2026-02-{day % 28 + 1:02d}-item-{day}.md" for day in range(40)]
    files = {name: news(f"Item {day}", body=long) for day, name in enumerate(names)}
    site = make_site(tmp_path / "site", files)
    an_hour_ago = time.time() - 3600  # files older than the racy window: their stamps are trusted
    for path in (site / "content/news").iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    cached = BuildOptions(site, tmp_path / "out", NOW, jobs=2)
    edits = {"some edited": range(0, 40, 3), "most edited": range(36)}
    expected = {
        "cold": ("bodies-1.txt", 40),
        "some edited": ("bodies-1.txt", 14),
        "touched": ("bodies-1.txt", 40),  # files read: their stamps changed
        "most edited": ("bodies-2.txt", 36),
    }
    for step in ("cold", "some edited", "touched", "most edited", "unchanged", "output removed"):
        if step == "output removed":
            shutil.rmtree(tmp_path / "out")
        if step == "touched":  # every file read again, none changed: no body is written again
            size = (site / ".sitegen-cache/bodies-1.txt").stat().st_size
            for path in (site / "content/news").iterdir():
                os.utime(path, (an_hour_ago + 1, an_hour_ago + 1))
        for day in edits.get(step, ()):
            path = site / names[day]
            added = f'\nA "new" paragraph -- {day}.\n'
            path.write_text(path.read_text() + added if step == "some edited" else news(f"Item {day}", body="Short."))
            os.utime(path, (an_hour_ago + len(step), an_hour_ago + len(step)))
        result = build(cached)
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        _build(site, tmp_path / "clean", jobs=1)
        assert _files(tmp_path / "out") == _files(tmp_path / "clean"), step
        body_file, parsed = expected.get(step, ("bodies-2.txt", 0))
        assert result.parsed == parsed, step
        assert [path.name for path in (site / ".sitegen-cache").glob("bodies-*.txt")] == [body_file], step
        if step == "touched":
            assert (site / ".sitegen-cache/bodies-1.txt").stat().st_size == size


def test_a_build_that_fails_leaves_the_bodies_the_saved_state_names(tmp_path: Path) -> None:
    """A build whose own state cannot be used (site.yaml changed) writes the bodies to a new
    file, and then fails (a broken template): the body file that the state.json on disk still
    names must be as it was. With site.yaml, the text and the templates as before, the next build
    shows the right bodies (a review found that file emptied and rewritten)."""
    names = _news_names(20)
    site = _aged_site(
        tmp_path / "site", {name: news(f"Item {day}", body=f"Body {day}.") for day, name in enumerate(names)}
    )
    an_hour_ago = time.time() - 3600
    cached = BuildOptions(site, tmp_path / "out", NOW, jobs=1)
    build(cached)
    config, first = (site / "site.yaml").read_text(), (site / names[0]).read_text()
    (site / "site.yaml").write_text(config.replace("title:", "title: Renamed", 1))
    (site / names[0]).write_text(news("Item 0", body="A much longer body that moves every body after it. " * 20))
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/item.html").write_text("{% extends 'base.html' %}{% block main %}{{ no_such() }}{% endblock %}")
    with pytest.raises(BuildFailed):
        build(cached)
    assert [path.name for path in (site / ".sitegen-cache").glob("bodies-*.txt")] == ["bodies-1.txt"]
    (site / "site.yaml").write_text(config)
    (site / names[0]).write_text(first)
    os.utime(site / names[0], (an_hour_ago, an_hour_ago))
    (site / "templates/item.html").unlink()
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    build(cached)
    _build(site, tmp_path / "clean", jobs=1)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_build_that_fails_leaves_no_body_file(tmp_path: Path, jobs: int) -> None:
    """The parsing processes of a first build write the bodies to a new file as they parse; when
    the build then fails (a content error in one file), no state names that file: it is removed,
    so builds that fail again and again leave nothing behind. Once the mistake is mended, the
    build in processes shows what a clean build shows."""
    names = [f"content/news/2026-02-{day % 28 + 1:02d}-item-{day}.md" for day in range(40)]
    files = {name: news(f"Item {day}", body=f"Body of item {day}.") for day, name in enumerate(names)}
    files[names[7]] = files[names[7]].replace("title:", "title: [unclosed", 1)
    site = make_site(tmp_path / "site", files)
    cached = BuildOptions(site, tmp_path / "out", NOW, jobs=jobs)
    for _ in range(3):
        with pytest.raises(BuildFailed):
            build(cached)
    assert list((site / ".sitegen-cache").glob("bodies-*.txt")) == []
    assert not (site / ".sitegen-cache/state.json").exists()
    (site / names[7]).write_text(news("Item 7", body="Body of item 7."))
    build(cached)
    _build(site, tmp_path / "clean", jobs=1)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")
    assert [path.name for path in (site / ".sitegen-cache").glob("bodies-*.txt")] == ["bodies-1.txt"]


def test_two_builds_of_one_site_at_once_never_show_each_others_bodies(tmp_path: Path) -> None:
    """Two first `sitegen build` commands of one site started at the same moment: they take
    turns with the memory on disk, so each output/ is the clean build's, and the next build
    finds the memory whole (nothing to parse, no warning about the cache)."""
    names = _news_names(400)
    files = {name: news(f"Item {day}", body=f"Body of item {day}. " * (day % 7 + 1)) for day, name in enumerate(names)}
    site = _aged_site(tmp_path / "site", files)  # stamps to trust: the last build reads nothing again
    time.sleep(RACY_SECONDS)  # the commands' own window, for the change times utime just set
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW.isoformat(), "--quiet"]
    runs = [subprocess.Popen([*command, "--output", str(tmp_path / f"out{n}")]) for n in range(2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    _build(site, tmp_path / "clean", jobs=1)
    clean = _files(tmp_path / "clean")
    assert _files(tmp_path / "out0") == clean and _files(tmp_path / "out1") == clean
    shutil.rmtree(tmp_path / "out0")
    result = build(BuildOptions(site, tmp_path / "out0", NOW, jobs=2))
    assert _files(tmp_path / "out0") == clean
    assert result.parsed == 0 and not any("cache" in warning.message for warning in result.warnings)


def test_a_build_waits_while_another_build_of_the_site_keeps_its_memory(tmp_path: Path, monkeypatch) -> None:
    """A `sitegen build` started while another build of the same site renders waits for it (the
    memory on disk is one build's at a time), then finds that build's memory whole: nothing to
    parse, no warning about the cache, and the output of a clean build."""
    from sitegen import pipeline

    names = _news_names(30)
    site = _aged_site(
        tmp_path / "site", {name: news(f"Item {day}", body=f"Body {day}.") for day, name in enumerate(names)}
    )
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW.isoformat(), "--json"]
    second: list[subprocess.Popen] = []
    real = pipeline.render_site

    def render_while_another_build_starts(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not second:  # the first build's rendering (the clean build below renders too)
            out2 = [*command, "--output", str(tmp_path / "out2")]
            second.append(subprocess.Popen(out2, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
            time.sleep(3)  # it would have built this small site by now, were it not waiting
            assert second[0].poll() is None
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render_site", render_while_another_build_starts)
    build(BuildOptions(site, tmp_path / "out1", NOW, jobs=2))
    output, said = second[0].communicate(timeout=120)
    report = json.loads(output)
    assert b"waiting for another build of this site to finish" in said  # --json: no status line, one line said
    assert second[0].returncode == 0 and report["parsed"] == 0 and report["warnings"] == []
    _build(site, tmp_path / "clean", jobs=1)
    assert _files(tmp_path / "out1") == _files(tmp_path / "clean") == _files(tmp_path / "out2")


def test_a_first_build_whose_parsing_process_fails_leaves_no_body_file(tmp_path: Path, monkeypatch) -> None:
    """A parsing process that cannot write the bodies (the disk is full) fails the build with
    that error; the body file and the cache folder it made are removed."""
    import errno

    from sitegen.state.bodies import NewBodies

    def full(self, items):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(NewBodies, "write", full)  # the processes are forked with it
    names = [f"content/news/2026-02-{day % 28 + 1:02d}-item-{day}.md" for day in range(40)]
    site = make_site(tmp_path / "site", {name: news(f"Item {day}") for day, name in enumerate(names)})
    with pytest.raises(OSError, match="No space left"):
        build(BuildOptions(site, tmp_path / "out", NOW, jobs=2))
    assert not (site / ".sitegen-cache").exists() and not (tmp_path / "out").exists()


def test_the_lines_the_parsing_processes_make_are_the_lines_of_the_saved_memory(tmp_path: Path) -> None:
    """A first build's parsing processes make each file's line of state.json (with its body's
    place) as they parse: each must be the line the state would make of the record it holds,
    and a second build must find every file unchanged and show what a clean build shows."""
    from sitegen.content.config import load_config
    from sitegen.pipeline.salt import salt
    from sitegen.state.disk import _encode_file, _line, load_state

    names = [f"content/news/2026-02-{day % 28 + 1:02d}-item-{day}.md" for day in range(60)]
    body = "Body {}, with [a link](https://example.org/{})."
    files = {name: news(f"Item {day}", body=body.format(day, day)) for day, name in enumerate(names)}
    files[names[3]] = news("Item 3", body="![](no-alt.png) and [here](missing.md)")  # warnings kept in the line
    site = _aged_site(tmp_path / "site", files)
    build(BuildOptions(site, tmp_path / "out", NOW, jobs=2))
    lines = (site / ".sitegen-cache/state.json").read_text(encoding="utf-8").splitlines()[1 : 1 + len(names)]
    state, problem = load_state(site, salt(load_config(site)[0]))
    assert problem is None and len(state.files) == len(names)
    assert lines == [_line([path, *_encode_file(record)]) for path, record in state.files.items()]
    assert state.files["news/2026-02-04-item-3.md"].warnings
    shutil.rmtree(tmp_path / "out")  # every page made again, each body read from the cache
    result = build(BuildOptions(site, tmp_path / "out", NOW, jobs=2))
    assert result.parsed == 0 and len(result.rendered) > len(names)
    assert not any("cache" in warning.message for warning in result.warnings)
    _build(site, tmp_path / "clean", jobs=1)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


def test_a_first_build_that_fails_in_rendering_leaves_no_cache_folder(tmp_path: Path) -> None:
    """A first build whose template breaks has written bodies and compiled templates into the
    cache folder it made: the folder goes, .gitignore and all (git would list the rest)."""
    names = _news_names(40)
    site = _aged_site(tmp_path / "site", {name: news(f"Item {day}") for day, name in enumerate(names)})
    (site / "templates").mkdir()
    (site / "templates/item.html").write_text("{% extends 'base.html' %}{% block main %}{{ 1 / 0 }}{% endblock %}")
    with pytest.raises(BuildFailed):
        build(BuildOptions(site, tmp_path / "out", NOW, jobs=2))
    assert not (site / ".sitegen-cache").exists() and not (tmp_path / "out").exists()


def test_forked_workers_let_go_of_the_sites_lock(tmp_path: Path) -> None:
    """A process forked while a build holds its site's lock closes its copy of the locked
    folder, so a worker left behind by a killed build cannot keep the next build waiting."""
    from sitegen.state import lock

    with lock.one_build_at_a_time(tmp_path):
        (held,) = lock._held.values()
        child = os.fork()
        if child == 0:  # the worker: no copy of the locked folder left open
            try:
                os.fstat(held)
                os._exit(1)
            except OSError:
                os._exit(0 if not lock._held else 2)
        _, status = os.waitpid(child, 0)
        os.fstat(held)  # the build's own copy is still open: it holds the lock
    assert os.waitstatus_to_exitcode(status) == 0 and not lock._held
