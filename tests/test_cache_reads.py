"""More of what a site's templates and clock can do, against clean builds (test_cache.py's
Session, every way of building): each case here once gave a remembered build other bytes than a
clean one (a reviewer's hunt, stop 21)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen.errors import BuildFailed
from sitegen.model import Site
from sitegen.render.dependencies import Digests
from sitegen.state.files import stamp_of

from .test_cache import BOARD, WAYS, Session

NOTE = "templates/partials/note.html"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", ["./partials/note.html", "/partials/note.html", "partials//note.html"])
def test_an_include_named_another_way_follows_its_template(tmp_path: Path, way: str, name: str) -> None:
    session = Session(tmp_path, way)
    session.write(NOTE, "<p>NOTE ONE</p>")
    session.write(
        "templates/list.html", f'{{% extends "base.html" %}}{{% block main %}}{{% include "{name}" %}}{{% endblock %}}'
    )
    session.rebuild()
    session.write(NOTE, "<p>NOTE TWO</p>")
    session.rebuild()
    assert "NOTE TWO" in (session.site / "output/news/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("way", WAYS)
def test_templates_in_a_linked_folder_are_followed(tmp_path: Path, way: str) -> None:
    shared = tmp_path / "shared-partials"
    shared.mkdir()
    (shared / "footer-note.html").write_text("<p>Shared footer one</p>", encoding="utf-8")
    session = Session(tmp_path, way)
    (session.site / "templates").mkdir(exist_ok=True)
    os.symlink(shared, session.site / "templates/partials")
    session.touch(session.site / "templates/partials")
    session.rebuild()
    session.write("templates/partials/footer-note.html", "<p>Shared footer two</p>")
    session.rebuild()
    assert "Shared footer two" in (session.site / "output/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("way", WAYS)
def test_a_template_that_prints_whole_objects(tmp_path: Path, way: str) -> None:
    """`{{ page.pager }}`, `{{ page.item }}`: what a template prints of an object is what the build
    knows it read; `item.body` is the body's HTML as `body_html` is, never the cache's note of it."""
    session = Session(tmp_path, way)
    session.write(
        "templates/list.html",
        '{% extends "base.html" %}{% block main %}<p>{{ page }} {{ page.pager }} {{ page.feed }}'
        " {{ page.calendar }} {{ page.pager.items }}</p>{{ page.pager.items | map(attribute='body') | join }}"
        "{{ page.pager.items[0]['body_html'] }}{% endblock %}",
    )
    session.write(
        "templates/item-news.html",
        '{% extends "base.html" %}{% block main %}<p>{{ page.item }}</p>{{ page.item.body | safe }}{% endblock %}',
    )
    session.rebuild()
    listing = (session.site / "output/news/index.html").read_text(encoding="utf-8")
    assert "&lt;Pager 1 of 1&gt;" in listing and "&lt;Item content/news/2026-02-10-board-meeting.md&gt;" in listing
    assert "StoredBody" not in listing and listing.count("The Executive Board met") == 2
    item = (session.site / "output/news/board-meeting/index.html").read_text(encoding="utf-8")
    assert "StoredBody" not in item and "<p>The Executive Board met" in item
    session.edit(BOARD, "summary: The board met online", "summary: The board met on a video call")
    session.rebuild()
    session.edit(BOARD, "The Executive Board met", "The whole Executive Board met")
    session.rebuild()
    item = (session.site / "output/news/board-meeting/index.html").read_text(encoding="utf-8")
    assert "<p>The whole Executive Board met" in item


@pytest.mark.parametrize("way", WAYS)
def test_empty_feeds_do_not_follow_the_clock(tmp_path: Path, way: str) -> None:
    session = Session(tmp_path, way)
    for folder in ("news", "events", "calls"):
        for file in sorted((session.site / "content" / folder).iterdir()):
            session.delete(file.relative_to(session.site).as_posix())
    session.rebuild()
    feed = (session.site / "output/feed.xml").read_text(encoding="utf-8")
    session.now += timedelta(days=1)
    session.rebuild()
    assert (session.site / "output/feed.xml").read_text(encoding="utf-8") == feed, "a new clock, the same feed"
    assert session.result.write.written == []


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("later", [timedelta(hours=2), timedelta(days=40)])
def test_drafts_in_a_preview_follow_the_clock(tmp_path: Path, way: str, later: timedelta) -> None:
    """serve shows drafts: a draft event that ends, a draft post whose date comes."""
    session = Session(tmp_path, way, drafts=True)
    start = session.now + timedelta(hours=1)
    session.write(
        "content/events/2026-11-20-draft-event.md",
        f"---\ntitle: Draft event\ndate: 2026-11-01\ndraft: true\nstarts: {start:%Y-%m-%d %H:%M}\n"
        "ends: " + f"{start + timedelta(minutes=30):%Y-%m-%d %H:%M}\ntimezone: Europe/Brussels\n---\nBody.\n",
    )
    session.write(
        "content/news/2026-12-01-draft-post.md",
        f"---\ntitle: Draft post\ndate: {session.now + later:%Y-%m-%d %H:%M}\ndraft: true\n---\nText.\n",
    )
    session.rebuild()
    assert session.result.next_change is not None and session.result.next_change <= start
    session.now += later
    session.rebuild()


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("listed", "home"), [("True", "1"), ("(True,)", "(1,)"), ("site_feed.items[0]", "none")])
def test_partials_given_values_equal_in_python_but_shown_differently(
    tmp_path: Path, way: str, listed: str, home: str
) -> None:
    session = Session(tmp_path, way)
    session.write("templates/partials/v.html", "<p>v={{ v }}</p>")
    for name, value in (("list.html", listed), ("home.html", home)):
        session.write(
            f"templates/{name}",
            f'{{% extends "base.html" %}}{{% block main %}}{{{{ cached_partial("partials/v.html", v={value}) }}}}'
            "{% endblock %}",
        )
    session.rebuild()
    if listed != "site_feed.items[0]":
        assert f"v={home}" in (session.site / "output/index.html").read_text(encoding="utf-8")
        assert f"v={listed}" in (session.site / "output/news/index.html").read_text(encoding="utf-8")
    session.write("templates/home.html", session.site.joinpath("templates/home.html").read_text() + "\n")
    session.rebuild()


def test_a_template_that_includes_a_missing_one_is_an_error_at_its_line(tmp_path: Path) -> None:
    session = Session(tmp_path, "build (.sitegen-cache)")
    session.write(
        "templates/list.html",
        '{% extends "base.html" %}\n{% block main %}\n{% include "nowhere.html" %}\n{% endblock %}',
    )
    with pytest.raises(BuildFailed) as failed:
        session.build()
    message = "\n".join(error.format() for error in failed.value.errors)
    assert "templates/list.html:3" in message and "nowhere.html" in message and "ignore missing" in message


@pytest.mark.parametrize("way", WAYS)
def test_a_file_rewritten_with_its_old_time_and_size(tmp_path: Path, way: str) -> None:
    """`cp -p`, `touch -r`, an unpacked archive: the same size and modification time, other bytes."""
    session = Session(tmp_path, way)
    session.write("static/extra.css", "p { color: red; }\n")
    session.rebuild()
    for rel, old, new in (
        (BOARD, "The Executive Board met", "The Executive Board sat"),
        ("static/extra.css", "red", "tan"),
    ):
        path = session.site / rel
        before = path.stat()
        session.edit(rel, old, new)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size
        session.rebuild()
    assert "sat" in (session.site / "output/news/board-meeting/index.html").read_text(encoding="utf-8")


def test_a_file_put_back_with_an_old_time_just_now_is_read_again(tmp_path: Path) -> None:
    """Its change time is now: a second `cp -p` within the same clock tick would leave the same
    stamp, so the build reads its text rather than trusting the stamp."""
    path = tmp_path / "a.md"
    path.write_text("first\n", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    assert stamp_of(path.stat()) is None
    old = int(an_hour_ago * 1e9)
    untouched_since = SimpleNamespace(st_mtime_ns=old, st_ctime_ns=old, st_size=6, st_ino=path.stat().st_ino)
    assert stamp_of(untouched_since) == (old, 6, path.stat().st_ino, old)  # type: ignore[arg-type]


@pytest.mark.parametrize("way", WAYS)
def test_a_file_that_becomes_a_folder_and_back(tmp_path: Path, way: str) -> None:
    session = Session(tmp_path, way)
    session.write("static/extra.css", "p { color: red; }\n")
    session.rebuild()
    session.delete("static/extra.css")
    session.write("static/extra.css/inner.css", "p { color: tan; }\n")
    session.rebuild()
    session.delete("static/extra.css/inner.css")
    (session.site / "static/extra.css").rmdir()
    session.touch(session.site / "static/extra.css")
    session.write("static/extra.css", "p { color: blue; }\n")
    session.rebuild()


def test_a_file_of_someone_elses_in_the_way_of_a_folder_stops_the_build_before_any_change(tmp_path: Path) -> None:
    session = Session(tmp_path, "build (.sitegen-cache)")
    (session.site / "output/static/extra.css").write_text("a hand-placed file\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (session.site / "output").rglob("*") if path.is_file()}
    session.write("static/extra.css/inner.css", "p { color: tan; }\n")
    with pytest.raises(BuildFailed) as failed:
        session.build()
    assert any("output/static/extra.css was not written by sitegen" in e.message for e in failed.value.errors)
    after = {path: path.read_bytes() for path in (session.site / "output").rglob("*") if path.is_file()}
    assert after == before


def test_a_template_named_in_another_case_has_its_files_digest() -> None:
    """On a disk that ignores case (macOS) `Partials/Note.html` opens `partials/note.html`: its
    key must follow that file's edits (on Linux Jinja finds no such template: the build fails)."""
    site = Site([], [], [], [], [], {}, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    digests = Digests(site, {}, {"partials/note.html": "d1", "list.html": "d2"}, {})
    assert digests[("template", "Partials/Note.html")] == "d1"
    assert digests[("template", "list.html")] == "d2" and digests[("template", "nowhere.html")] == "missing"
