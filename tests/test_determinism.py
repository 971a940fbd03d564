"""The same content, templates and clock give byte-identical output; rebuilds are cheap."""

from __future__ import annotations

from pathlib import Path

from .conftest import GOLDEN_SITES, make_site, news, run_build


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_with_the_same_clock_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    run_build(GOLDEN_SITES["sample"], output=first)
    run_build(GOLDEN_SITES["sample"], output=second)
    assert _snapshot(first) == _snapshot(second)


def test_a_rebuild_without_changes_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "out"
    run_build(GOLDEN_SITES["minimal"], output=output)
    report = run_build(GOLDEN_SITES["minimal"], output=output).write
    assert report.written == []
    assert report.removed == []
    assert report.unchanged > 20


def test_editing_one_item_rewrites_only_what_shows_it(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "content/news/2026-01-01-a.md": news("First", "2026-01-01", tags="[One]"),
            "content/news/2026-01-02-b.md": news("Second", "2026-01-02", tags="[Two]"),
        },
    )
    output = site / "output"
    run_build(site)
    (site / "content/news/2026-01-01-a.md").write_text(news("First", "2026-01-01", "Edited body.", tags="[One]"))
    written = set(run_build(site).write.written)
    assert "news/a/index.html" in written
    assert "news/b/index.html" not in written
    assert "tags/two/index.html" not in written
    assert "Edited body." in (output / "news/a/index.html").read_text()


def test_a_removed_item_loses_its_pages_but_foreign_files_stay(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "content/news/2026-01-01-a.md": news("First", "2026-01-01", tags="[Gone]"),
            "content/news/2026-01-02-b.md": news("Second", "2026-01-02"),
        },
    )
    output = site / "output"
    run_build(site)
    (output / "CNAME").write_text("www.example.org\n")  # put there by hand: not ours to delete
    (site / "content/news/2026-01-01-a.md").unlink()
    removed = run_build(site).write.removed
    assert "news/a/index.html" in removed
    assert "tags/gone/index.html" in removed
    assert not (output / "news/a").exists()
    assert not (output / "tags/gone").exists()
    assert (output / "CNAME").read_text() == "www.example.org\n"
