"""A cached `sitegen build` after edits to what items show (not where they are listed) patches
the last build's site and renders only the outputs those items appear in (editbuild.py). It
must write exactly what a clean build writes, and take the full path whenever it cannot be sure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from sitegen.diskcache import CACHE_DIR
from sitegen.errors import BuildFailed
from sitegen.pipeline import BuildOptions, BuildResult, build

from .conftest import NOW
from .test_diskcache import _add_post, _edit_template, _edit_title, _files


def _build(site: Path, output: Path, cache: bool = True, now: datetime = NOW) -> BuildResult:
    return build(BuildOptions(site, output, now, jobs=1, cache=cache))


def _newest_news(site: Path) -> Path:
    """The newest post: it is in the site feed, its tags' feeds and the home page."""
    return sorted((site / "content" / "news").glob("2026-*.md"))[-2]  # the last one is a draft


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _edit_newest_body(site: Path) -> None:
    _append(_newest_news(site), "\nA paragraph added later, with *emphasis*.\n")


def _edit_newest_summary(site: Path) -> None:
    """Its first words: the excerpt every listing and feed shows (it has no `summary:`)."""
    path = _newest_news(site)
    front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    assert "summary:" not in front
    path.write_text(f"{front}\n---\nUpdated: {body}", encoding="utf-8")


def _edit_event_body(site: Path) -> None:
    _append(sorted((site / "content" / "events").glob("*.md"))[-1], "\nBring a laptop.\n")


def _edit_draft_body(site: Path) -> None:
    _append(site / "content" / "news" / "2026-11-18-annual-report-2026.md", "\nMore to come.\n")


PATCHED: dict[str, Callable[[Path], None]] = {
    "body of the newest post": _edit_newest_body,
    "summary shown in listings": _edit_newest_summary,
    "body of an event": _edit_event_body,
    "body of a draft": _edit_draft_body,
}
FULL: dict[str, Callable[[Path], None]] = {
    "title": _edit_title,
    "new post and file": _add_post,
    "template": _edit_template,
}


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(p for p in after if before.get(p) != after[p] and p != ".sitegen-manifest.json")


@pytest.mark.parametrize("edit", sorted(PATCHED))
def test_an_edit_to_what_an_item_shows_patches_the_last_build(sample: Path, tmp_path: Path, edit: str) -> None:
    _build(sample, tmp_path / "out")
    before = _files(tmp_path / "out")
    PATCHED[edit](sample)
    patched = _build(sample, tmp_path / "out")
    _build(sample, tmp_path / "clean", cache=False)
    after = _files(tmp_path / "out")
    assert patched.patched
    assert after == _files(tmp_path / "clean")
    assert sorted(patched.write.written) == _changed(before, after), "exactly the files whose bytes changed"


def test_the_newest_post_s_edit_reaches_its_feeds_and_listings(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    _edit_newest_summary(sample)
    written = _build(sample, tmp_path / "out").write.written
    assert {"feed.xml", "atom.xml", "news/index.html", "index.html"} <= set(written)


@pytest.mark.parametrize("edit", sorted(FULL))
def test_an_edit_to_where_items_are_listed_builds_in_full(sample: Path, tmp_path: Path, edit: str) -> None:
    _build(sample, tmp_path / "out")
    FULL[edit](sample)
    result = _build(sample, tmp_path / "out")
    _build(sample, tmp_path / "clean", cache=False)
    assert not result.patched
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


def test_edits_build_on_each_other_until_a_full_build(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    steps = [_edit_newest_body, _edit_event_body, lambda site: None, _edit_newest_body, _edit_title]
    for number, step in enumerate(steps):
        step(sample)
        result = _build(sample, tmp_path / "out")
        _build(sample, tmp_path / f"clean-{number}", cache=False)
        assert _files(tmp_path / "out") == _files(tmp_path / f"clean-{number}"), f"after step {number}"
        assert result.patched == (step is not _edit_title)
    assert not (sample / CACHE_DIR / "site-edits.pickle").exists(), "a full build starts the edits afresh"


def test_an_output_deleted_or_changed_by_hand_is_written_again(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    good = _files(tmp_path / "out")
    (tmp_path / "out" / "about" / "index.html").unlink()
    (tmp_path / "out" / "news" / "index.html").write_text("changed by hand", encoding="utf-8")
    _edit_event_body(sample)
    result = _build(sample, tmp_path / "out")
    assert result.patched
    assert {"about/index.html", "news/index.html"} <= set(result.write.written)
    for path in ("about/index.html", "news/index.html"):
        assert (tmp_path / "out" / path).read_bytes() == good[path]


def test_warnings_are_those_a_full_build_gives(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    _append(_newest_news(sample), "\nThe programme is [here](https://example.org/programme).\n")
    patched = _build(sample, tmp_path / "out")
    clean = _build(sample, tmp_path / "clean", cache=False)
    assert patched.patched
    assert any("does not say where it goes" in w.message for w in clean.warnings), "the edit must add a warning"
    assert patched.warnings == clean.warnings


def test_a_mistake_is_reported_by_the_full_build_and_output_is_kept(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    good = _files(tmp_path / "out")
    _append(_newest_news(sample), "\n![](missing-picture.png)\n")
    with pytest.raises(BuildFailed) as cached:
        _build(sample, tmp_path / "out")
    with pytest.raises(BuildFailed) as clean:
        _build(sample, tmp_path / "clean", cache=False)
    assert [e.format() for e in cached.value.errors] == [e.format() for e in clean.value.errors]
    assert _files(tmp_path / "out") == good


def test_a_clock_past_a_change_builds_in_full(sample: Path, tmp_path: Path) -> None:
    first = _build(sample, tmp_path / "out")
    assert first.next_change is not None, "the sample site has something scheduled"
    _edit_event_body(sample)
    later = _build(sample, tmp_path / "out", now=first.next_change)
    _build(sample, tmp_path / "clean", cache=False, now=first.next_change)
    assert not later.patched
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")
