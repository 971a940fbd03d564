"""sitegen serve without a browser: HTTP, live-reload events, debounce, errors, vanishing files."""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.commands.serve import Running
from sitegen.commands.watch import Changes, Watcher, _Handler, _saved
from sitegen.pipeline import BuildOptions, build, rendering

from .conftest import GOLDEN_DIR

SURVEY = "content/news/2026-01-20-survey.md"


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_DIR / "minimal", site, ignore=shutil.ignore_patterns("expected", "output"))
    messages: list[str] = []
    preview = Running(BuildOptions(site, drafts=True), "127.0.0.1", 0, messages.append)
    preview.messages = messages  # type: ignore[attr-defined]
    yield preview
    preview.stop()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def first_event(running: Running) -> dict:
    with urllib.request.urlopen(running.url.split("/network")[0] + "/__sitegen/events", timeout=5) as stream:
        lines = [stream.readline().decode().strip() for _ in range(2)]
    assert lines[0] == "event: state"
    return json.loads(lines[1].removeprefix("data: "))


def test_pages_get_the_live_script_and_output_does_not(running: Running) -> None:
    status, kind, body = get(running.url + "news/survey/")
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert b'<script src="/__sitegen/live.js"' in body
    on_disk = (running.rebuilder.output_dir / "news/survey/index.html").read_bytes()
    assert b"__sitegen" not in on_disk
    assert get(running.url + "feed.xml")[2] == (running.rebuilder.output_dir / "feed.xml").read_bytes()
    assert get(running.url.split("/network")[0] + "/__sitegen/live.js")[1].startswith("text/javascript")


def test_the_server_listens_on_loopback_only_by_default(running: Running) -> None:
    assert running.server.server_address[0] == "127.0.0.1"


def test_addresses_missing_pages_and_folders(running: Running) -> None:
    origin = running.url.split("/network")[0]
    assert get(origin + "/")[0] == 200  # redirected to the base path
    status, _, body = get(running.url + "no/such/page/")
    assert status == 404 and b"__sitegen" in body
    assert get(running.url + "news")[0] == 200  # redirected to news/
    assert get(running.url + "../../../etc/passwd")[0] == 404
    assert get(running.url + "%2e%2e/%2e%2e/site.yaml")[0] == 404


def test_an_edit_is_rebuilt_and_announced(running: Running) -> None:
    assert first_event(running) == {"build": 1, "restyled": 1, "errors": []}  # the first build wrote the CSS
    path = running.rebuilder.site_dir / SURVEY
    path.write_text(path.read_text(encoding="utf-8").replace("some work", "plenty of work"), encoding="utf-8")
    wait_for(lambda: b"plenty of work" in get(running.url + "news/survey/")[2])
    wait_for(lambda: first_event(running)["build"] == 2)
    assert first_event(running)["restyled"] == 1  # pages only: open pages are updated in place


def test_an_error_is_shown_then_cleared_and_the_last_good_page_stays(running: Running) -> None:
    path = running.rebuilder.site_dir / SURVEY
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Members", "title: [Members"), encoding="utf-8")
    wait_for(lambda: first_event(running)["errors"])
    error = first_event(running)["errors"][0]
    assert (error["path"], error["line"], error["severity"]) == (SURVEY, 2, "error")
    assert "never closed" in error["message"] and error["hint"]
    assert get(running.url + "news/survey/")[0] == 200  # still the last good page
    assert any("build failed" in message for message in running.messages)  # type: ignore[attr-defined]
    path.write_text(good, encoding="utf-8")
    wait_for(lambda: not first_event(running)["errors"])


def test_a_burst_of_changes_is_one_rebuild(running: Running) -> None:
    # 50 ms by default (5 ms after a file is closed); a loaded test machine can pause longer between writes
    running.changes.quiet = running.changes.settled = 0.3
    before = running.preview.builds
    folder = running.rebuilder.site_dir / "content/news"
    for n in range(150):
        (folder / f"2026-03-{n % 28 + 1:02d}-burst-{n}.md").write_text(
            f"---\ntitle: Burst {n}\ndate: 2026-03-01\n---\nText.\n", encoding="utf-8"
        )
    wait_for(lambda: (running.rebuilder.output_dir / "news/burst-149/index.html").is_file())
    time.sleep(0.6)
    assert running.preview.builds == before + 1


def test_debounce_waits_for_quiet_but_not_forever() -> None:
    # quiet 0.3 s: a loaded machine may pause the writer between changes, but not that long
    changes = Changes(quiet=0.3, longest=1.0)
    stop = threading.Event()
    first_change: list[float] = []

    def keep_changing() -> None:
        first_change.append(time.monotonic())
        n = 0
        while not stop.is_set() and n < 2000:
            changes.add(Path(f"/site/content/{n}.md"))
            n += 1
            time.sleep(0.01)

    writer = threading.Thread(target=keep_changing)
    writer.start()
    batch = changes.take(timeout=5)
    waited = time.monotonic() - first_change[0]
    still_changing = writer.is_alive()
    time.sleep(0.1)
    stop.set()
    writer.join()
    assert isinstance(batch, list) and batch  # the changes so far ...
    assert waited >= 1.0 and still_changing  # ... cut at `longest`, while changes still came
    rest = changes.take(timeout=5)  # the later ones follow in the next batch
    assert isinstance(rest, list) and rest and not set(rest) & set(batch)
    assert changes.take(timeout=0.1) is False
    changes.add(None)
    assert changes.take(timeout=1) is None


def test_a_finished_save_is_built_at_once_and_a_save_in_progress_waits() -> None:
    changes = Changes(quiet=1.0, longest=5.0, settled=0.01)
    started = time.monotonic()
    changes.add(Path("/site/content/a.md"))  # truncated, or written in parts: more may come
    changes.add(Path("/site/content/a.md"), saved=True)  # closed after writing: the save is over
    assert changes.take(timeout=5) == [Path("/site/content/a.md")]
    assert time.monotonic() - started < 0.5
    started = time.monotonic()
    changes.add(Path("/site/content/b.md"))
    assert changes.take(timeout=5) == [Path("/site/content/b.md")]
    assert time.monotonic() - started >= 1.0


def test_only_a_site_file_closed_after_writing_ends_a_save_and_lost_events_mean_everything(tmp_path: Path) -> None:
    from watchdog.events import EventsLostEvent, FileClosedEvent, FileModifiedEvent, FileMovedEvent

    changes = Changes()
    watcher = Watcher(tmp_path, changes)
    handler = _Handler(watcher)
    post = str(tmp_path / "content/news/a.md")
    assert _saved(FileClosedEvent(post))
    assert not _saved(FileModifiedEvent(post))  # truncated, or written in parts
    assert not _saved(FileMovedEvent(post, post + "~"))  # moved aside by a "safe write"
    assert not _saved(FileClosedEvent(post + "___jb_tmp___"))  # the editor's temporary file
    assert not _saved(FileClosedEvent(str(tmp_path / "content/news/.a.md.swp")))
    handler.on_any_event(FileClosedEvent(post))
    assert changes.take(timeout=1) == [Path(post)]
    handler.on_any_event(EventsLostEvent(str(tmp_path / "content"), is_directory=True))
    assert changes.take(timeout=1) is None  # the kernel dropped events: every file is looked at


def test_a_file_vanishing_mid_build_is_survived(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture deleted after the build listed it but before it was copied; then files that
    appear and disappear while builds run. The server keeps answering, and at the end
    output/ is what a clean build of what is left gives."""
    site = running.rebuilder.site_dir
    real_stamps = rendering._file_stamps
    vanished: list[bool] = []

    def stamps_after_the_file_vanished(outputs):
        if not vanished and (site / "content/media/flash.svg").exists():
            vanished.append(True)
            (site / "content/media/flash.svg").unlink()
        return real_stamps(outputs)

    monkeypatch.setattr(rendering, "_file_stamps", stamps_after_the_file_vanished)
    (site / "content/media/flash.svg").write_text("<svg/>", encoding="utf-8")
    wait_for(lambda: any("changed during the build" in m for m in running.messages))  # type: ignore[attr-defined]
    for n in range(40):
        path = site / f"content/news/2026-03-0{n % 9 + 1}-flash.md"
        path.write_text("---\ntitle: Flash\ndate: 2026-03-01\n---\nGone soon.\n", encoding="utf-8")
        time.sleep(0.003)
        path.unlink()
    time.sleep(0.5)
    wait_for(lambda: not running.changes._paths and running.server.state.errors == [])
    time.sleep(0.3)
    assert get(running.url)[0] == 200
    clean = site.parent / "clean"
    build(BuildOptions(site, clean, drafts=True))
    out = running.rebuilder.output_dir
    ours = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
    assert ours == theirs


def test_the_terminal_says_what_the_preview_leaves_out(running: Running) -> None:
    from sitegen.commands.serve import _hidden

    assert _hidden(running.rebuilder) == "1 scheduled item(s)"  # drafts are shown in this preview


@pytest.mark.parametrize("name", ["content", "templates", "static"])
def test_a_folder_deleted_and_made_again_is_watched_again(tmp_path: Path, name: str) -> None:
    """A watch dies with its folder: `rm -rf static` and a copy back must not leave edits unseen."""
    folder = tmp_path / name
    (folder / "sub").mkdir(parents=True)
    (folder / "sub/a.md").write_text("one\n", encoding="utf-8")
    changes = Changes(quiet=0.05)
    watcher = Watcher(tmp_path, changes)
    watcher.start()
    try:
        shutil.rmtree(folder)
        assert changes.take(timeout=5) is None  # a folder of the site went: every file is looked at
        (folder / "sub").mkdir(parents=True)
        (folder / "sub/a.md").write_text("two\n", encoding="utf-8")
        changes.take(timeout=5)
        time.sleep(0.2)
        while changes.take(timeout=0.3) is not False:  # the rest of the copy's events
            pass
        (folder / "sub/a.md").write_text("three\n", encoding="utf-8")
        seen = changes.take(timeout=5)
        assert seen is not False, "an edit in the folder made again was not seen"
        assert seen is None or folder / "sub/a.md" in seen
    finally:
        watcher.stop()
