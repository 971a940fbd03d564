"""The on-disk cache (.sitegen-cache/) changes nothing but the time: after every kind of edit a
build that uses it writes exactly what a build without it writes, and only what changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import diskcache, editbuild
from sitegen.bodystore import BodyStore
from sitegen.content.config import load_config
from sitegen.content.load import load
from sitegen.content.parse import parse_all
from sitegen.diskcache import CACHE_DIR
from sitegen.errors import BuildFailed, ErrorLog
from sitegen.model import Source
from sitegen.pipeline import BuildOptions, BuildResult, build

from .conftest import NOW


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(site: Path, output: Path, cache: bool = True, jobs: int = 1) -> BuildResult:
    return build(BuildOptions(site, output, NOW, jobs=jobs, cache=cache))


def _first_news(site: Path) -> Path:
    return sorted((site / "content" / "news").glob("*.md"))[0]


def _edit_body(site: Path) -> None:
    path = _first_news(site)
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")


def _edit_title(site: Path) -> None:
    path = _first_news(site)
    text = path.read_text(encoding="utf-8").replace("title:", "title: Renamed –", 1)
    path.write_text(text, encoding="utf-8")


def _add_tag(site: Path) -> None:
    path = _first_news(site)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith("tags:")]
    lines.insert(1, "tags: [Brand new tag, AI]\n")
    path.write_text("".join(lines), encoding="utf-8")


def _add_post(site: Path) -> None:
    text = "---\ntitle: A new post\ndate: 2026-03-01\ntags: [AI]\n---\nIt links [a picture](new.svg).\n"
    (site / "content" / "news" / "2026-03-01-new-post.md").write_text(text, encoding="utf-8")
    (site / "content" / "news" / "new.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')


def _remove_post(site: Path) -> None:
    _first_news(site).unlink()


def _edit_template(site: Path) -> None:
    path = site / "templates" / "partials" / "footer.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<footer><p>A new footer for every page.</p></footer>\n", encoding="utf-8")


def _edit_settings(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: New –", 1), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "body": _edit_body,
    "title": _edit_title,
    "tags": _add_tag,
    "new post and file": _add_post,
    "removed post": _remove_post,
    "template": _edit_template,
    "site.yaml": _edit_settings,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cached_build_writes_what_a_clean_build_writes(sample: Path, tmp_path: Path, edit: str, jobs: int) -> None:
    _build(sample, tmp_path / "out", jobs=jobs)
    before = _files(tmp_path / "out")
    EDITS[edit](sample)
    cached = _build(sample, tmp_path / "out", jobs=jobs)
    _build(sample, tmp_path / "clean", cache=False)
    after = _files(tmp_path / "out")
    assert after == _files(tmp_path / "clean")
    changed = sorted(path for path in after if before.get(path) != after[path] and path != ".sitegen-manifest.json")
    assert sorted(cached.write.written) == changed, "exactly the files whose bytes changed are written"


def test_nothing_changed_writes_nothing_and_parses_nothing(sample: Path, tmp_path: Path) -> None:
    first = _build(sample, tmp_path / "out")
    again = _build(sample, tmp_path / "out")
    assert first.write.written and not again.write.written
    assert again.write.unchanged == len(first.write.written)
    assert again.warnings == first.warnings


def test_a_file_changed_in_output_is_written_again(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    page = tmp_path / "out" / "about" / "index.html"
    good = page.read_bytes()
    page.write_bytes(b"changed by hand")
    again = _build(sample, tmp_path / "out")
    assert again.write.written == ["about/index.html"]
    assert page.read_bytes() == good


def test_errors_come_back_from_the_cache_and_a_failed_build_saves_nothing(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    saved = _files(sample / CACHE_DIR)
    broken = _first_news(sample)
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    found = []
    for cache in (True, True, False):
        with pytest.raises(BuildFailed) as failed:
            _build(sample, tmp_path / "out", cache=cache)
        found.append([error.format() for error in failed.value.errors])
    assert found[0] == found[1] == found[2]
    assert _files(sample / CACHE_DIR) == saved


def test_a_build_that_fails_while_rendering_leaves_nothing_in_the_cache(sample: Path, tmp_path: Path) -> None:
    """The cache's big files are written while pages render (by a worker, with jobs=2), and
    the bodies while files are parsed: a template error then must leave none of them behind."""
    (sample / "templates" / "partials").mkdir(parents=True, exist_ok=True)
    (sample / "templates" / "partials" / "footer.html").write_text("<footer>{{ nothing.at.all }}</footer>\n")
    with pytest.raises(BuildFailed):
        _build(sample, tmp_path / "out", jobs=2)
    assert not (sample / CACHE_DIR).exists()


def test_no_cache_leaves_no_cache_folder(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out", cache=False)
    assert not (sample / CACHE_DIR).exists()


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The content files a build reads from disk (a full build, or one that patches the last)."""
    read: list[str] = []
    real = diskcache.read_source

    def counting(path: Path, content_path: str, log: ErrorLog) -> Source | None:
        read.append(content_path)
        return real(path, content_path, log)

    monkeypatch.setattr(diskcache, "read_source", counting)
    monkeypatch.setattr(editbuild, "read_source", counting)
    return read


def test_a_second_build_reads_only_the_edited_file(sample: Path, tmp_path: Path, monkeypatch) -> None:
    _build(sample, tmp_path / "out")
    reads = _reads(monkeypatch)
    _edit_body(sample)
    again = _build(sample, tmp_path / "out")
    assert reads == [_first_news(sample).relative_to(sample / "content").as_posix()]
    assert again.write.written


def test_an_edit_that_keeps_size_and_time_is_still_seen(sample: Path, tmp_path: Path) -> None:
    """A tool that restores the modification time (rsync -t, an archive) cannot restore the
    inode's change time, so the edit is read."""
    _build(sample, tmp_path / "out")
    path = _first_news(sample)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The ", "Our ", 1) if "The " in text else text.replace("a", "e", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    _build(sample, tmp_path / "out")
    _build(sample, tmp_path / "clean", cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


def test_an_unread_file_is_read_when_a_file_it_needs_goes(sample: Path, tmp_path: Path) -> None:
    _add_post(sample)
    _build(sample, tmp_path / "out")
    (sample / "content" / "news" / "new.svg").unlink()
    with pytest.raises(BuildFailed) as failed:
        _build(sample, tmp_path / "out")
    assert [error.format().splitlines()[0] for error in failed.value.errors] == [
        "content/news/2026-03-01-new-post.md:6:22: error: the link target `new.svg` does not exist"
        " (looked for content/news/new.svg)"
    ]


def test_bodies_are_read_only_for_what_is_rendered_again(sample: Path, tmp_path: Path, monkeypatch) -> None:
    _build(sample, tmp_path / "out")
    read: list[str] = []
    real = BodyStore.get
    monkeypatch.setattr(BodyStore, "get", lambda store, key: read.append(key) or real(store, key))
    _build(sample, tmp_path / "out")
    assert read == [], "nothing changed: no body is needed"
    _edit_template(sample)
    _build(sample, tmp_path / "out")
    _build(sample, tmp_path / "clean", cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")
    assert len(set(read)) >= 20, "every page was rendered again, with the bodies from the store"


def test_the_body_file_is_compacted_when_mostly_gone(sample: Path, tmp_path: Path) -> None:
    _build(sample, tmp_path / "out")
    first = sorted(p.name for p in (sample / CACHE_DIR).glob("bodies-*.bin"))
    for path in sorted((sample / "content").rglob("*.md")):  # every body changes: the old ones are dead
        path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    _add_post(sample)  # and a new file: a full build, which saves the bodies
    _build(sample, tmp_path / "out")
    then = sorted(p.name for p in (sample / CACHE_DIR).glob("bodies-*.bin"))
    assert len(first) == len(then) == 1 and first != then
    _edit_title(sample)
    _build(sample, tmp_path / "out")
    _build(sample, tmp_path / "clean", cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "clean")


def test_a_cached_build_keeps_no_body_in_memory(sample: Path, tmp_path: Path) -> None:
    """Parsing processes write the bodies to the cache's body files and send back only where
    they are: at 100,000 posts the bodies are 900 MB the main process need not hold. A body
    read for an output is not kept on its item either (each is used about once)."""
    config, _ = load_config(sample)
    cache = diskcache.DiskCache(sample, config, tmp_path / "out")
    log = ErrorLog()
    sources, assets = load(sample, log, cache.read)
    known = {a.content_path for a in assets} | {s.content_path for s in sources}
    items = cache.parse(sources, config, known, log, 2)
    assert items and all("body_html" not in item.__dict__ for item in items)
    clean = {item.source: item.body_html for item in parse_all(load(sample, ErrorLog())[0], config, known, ErrorLog())}
    assert {item.source: item.body_html for item in items} == clean
    assert all("body_html" not in item.__dict__ for item in items)
    assert {item.source: item.body_html for item in items} == clean  # read again, the same
    cache.discard()
    assert not list((sample / CACHE_DIR).glob("bodies-*.bin")), "a failed build leaves no body file"
