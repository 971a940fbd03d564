"""Files sitegen did not write stay as they are (issue 14, finding 9): a hand-placed file is
never replaced nor removed, nothing is written or removed through a link, a hidden alias is
refused, and output/ may not sit inside what the build publishes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed
from sitegen.write import MANIFEST, write_outputs

from ..conftest import make_site, news, run_build


@pytest.mark.parametrize("alias", ["/.htaccess", "/.git/config", "/news/.hidden/page.html"])
def test_an_alias_to_a_hidden_file_is_an_error_at_its_line(tmp_path: Path, alias: str) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", aliases=f"[{alias}]")})
    with pytest.raises(BuildFailed) as failed:
        run_build(site)
    error = failed.value.errors[0]
    assert (error.path, error.line) == ("content/news/2026-01-01-a.md", 4)
    assert "hidden file" in error.message
    assert not (site / "output").exists()


def test_a_hand_placed_file_is_neither_replaced_nor_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A")})
    run_build(site)
    (site / "output/CNAME").write_text("news.example.org\n")
    (site / "content/CNAME").write_text("evil.example.com\n")
    with pytest.raises(BuildFailed) as failed:
        run_build(site)
    assert failed.value.errors[0].message == "output/CNAME was not written by sitegen and would be replaced"
    (site / "content/CNAME").unlink()
    run_build(site)
    assert (site / "output/CNAME").read_text() == "news.example.org\n"
    assert "CNAME" not in json.loads((site / "output" / MANIFEST).read_text())


def test_nothing_is_deleted_through_a_linked_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    write_outputs({"evil/x": b"mine", "index.html": b"i"}, out)
    elsewhere.mkdir()
    (elsewhere / "x").write_text("precious")
    (out / "evil/x").unlink()
    (out / "evil").rmdir()
    (out / "evil").symlink_to(elsewhere)
    report = write_outputs({"index.html": b"i"}, out)
    assert report.removed == [] and (elsewhere / "x").read_text() == "precious"


def test_nothing_is_written_through_a_linked_folder(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    write_outputs({"index.html": b"i"}, out)
    elsewhere.mkdir()
    (out / "news").symlink_to(elsewhere)
    with pytest.raises(BuildFailed) as failed:
        write_outputs({"index.html": b"i", "news/index.html": b"n"}, out)
    assert "lies behind a link" in failed.value.errors[0].message
    assert list(elsewhere.iterdir()) == []


def test_a_tampered_manifest_reaches_no_hidden_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".htaccess").write_text("keep")
    (out / MANIFEST).write_text(json.dumps([".htaccess", "../x", "/etc/hostname", "a/../../x"]))
    write_outputs({"index.html": b"x"}, out)
    assert (out / ".htaccess").read_text() == "keep"


@pytest.mark.parametrize("inside", ["content/out", "static/out", "templates", ".sitegen-cache/out", "."])
def test_output_inside_what_is_published_is_refused(tmp_path: Path, inside: str) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A"), "static/a.css": "p{}"})
    before = sorted(str(p) for p in site.rglob("*"))
    with pytest.raises(BuildFailed) as failed:
        run_build(site, output=site / inside)
    assert "refusing to build into" in failed.value.errors[0].message
    assert sorted(str(p) for p in site.rglob("*")) == before


def test_pages_are_readable_by_everyone_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        out = tmp_path / "out"
        write_outputs({"index.html": b"i"}, out)
        assert (out / "index.html").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_static_is_published_as_content_is_no_hidden_file_no_link_out(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A"), "static/site.css": "p{}"})
    (site / "static/.git").mkdir()
    (site / "static/.git/config").write_text("[remote]")
    (site / "static/secret.txt").symlink_to(secret)
    with pytest.raises(BuildFailed) as failed:
        run_build(site)
    [error] = failed.value.errors
    assert error.path.endswith("static/secret.txt") and "outside" in error.message
    (site / "static/secret.txt").unlink()
    run_build(site)
    assert (site / "output/static/site.css").read_text() == "p{}"
    assert not (site / "output/static/.git").exists()
