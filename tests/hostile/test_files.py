"""Findings 1 and 2: what a folder publishes. No symbolic link reaches outside the site folder
(an error names the link), no hidden file or folder is published, and no asset runs script on
the site: HTML files only when site.yaml allows them, SVG (and other XML) refused at the line
of its script."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sitegen.commands.check import check_site
from sitegen.content.files import publishable_files
from sitegen.content.load import load
from sitegen.errors import BuildFailed, ErrorLog

from ..conftest import NOW, SITE_YAML, build_errors, make_site, news, run_build

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 4">\n'


@pytest.mark.parametrize("target", ["/proc/self/environ", "secret.txt", "elsewhere"])
def test_a_link_out_of_the_site_is_an_error_naming_it_and_nothing_is_written(tmp_path: Path, target: str) -> None:
    (tmp_path / "secret.txt").write_text("API_KEY=hunter2\n")
    (tmp_path / "elsewhere").mkdir()
    site = make_site(tmp_path / "s", {"content/news/n.md": news()})
    link = site / "content/media/env.txt"
    link.parent.mkdir()
    link.symlink_to(target if target.startswith("/") else tmp_path / target)
    errors = build_errors(site)
    assert len(errors) == 1 and errors[0].startswith("content/media/env.txt:1:1: error: this is a link to ")
    assert "outside the site folder" in errors[0]
    assert not (site / "output").exists()
    problems = check_site(site, NOW).problems
    assert [(p.path, p.line, p.severity) for p in problems] == [("content/media/env.txt", 1, "error")]


def test_a_link_to_a_hidden_file_of_the_site_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), ".env": "TOKEN=x\n", ".git/config": "[core]\n"})
    (site / "content/env.txt").symlink_to(site / ".env")
    (site / "content/git.md").symlink_to("../.git/config")
    errors = build_errors(site)
    assert [error.split(": error: ")[0] for error in errors] == ["content/env.txt:1:1", "content/git.md:1:1"]
    assert all("hidden file" in error for error in errors)


def test_a_link_to_a_file_inside_the_site_is_published_as_that_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), "docs/report.pdf": b"%PDF-1.4 report"})
    (site / "content/report.pdf").symlink_to("../docs/report.pdf")
    (site / "content/gone.pdf").symlink_to("../docs/nothing.pdf")
    (site / "content/docs").symlink_to("../docs")  # a folder: not followed
    run_build(site)
    assert (site / "output/report.pdf").read_bytes() == b"%PDF-1.4 report"
    assert not (site / "output/gone.pdf").exists() and not (site / "output/docs").exists()
    log = ErrorLog()
    load(site, log)  # the warnings, as `check` shows them
    assert {(w.path, w.message) for w in log.warnings} == {
        ("content/gone.pdf", "this link points to nothing and is left out"),
        ("content/docs", "this is a link to a folder, which is not followed"),
    }


def test_hidden_files_and_folders_are_never_published(tmp_path: Path) -> None:
    hidden = ["content/.git/config", "content/media/.env", "content/news/.draft.md", "content/news/n.md~"]
    hidden += ["content/.well-known/x.txt", "content/media/.hidden/photo.jpg"]
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), **dict.fromkeys(hidden, "secret")})
    run_build(site)
    published = {path.relative_to(site / "output").as_posix() for path in (site / "output").rglob("*")}
    published.discard(".sitegen-manifest.json")  # sitegen's own list of what it wrote
    assert not [path for path in published if "secret" in path or "/." in "/" + path or path.endswith("~")]
    assert not any((site / "output" / path.removeprefix("content/")).exists() for path in hidden)


def test_publishable_files_of_a_static_folder(tmp_path: Path) -> None:
    """The function a static/ folder is listed with (render/outputs.py): the same rules."""
    site = make_site(
        tmp_path / "s", {"static/site.css": "body{}", "static/.git/config": "x", "static/img/.DS_Store": "x"}
    )
    (site / "static/passwd").symlink_to("/etc/passwd")
    log = ErrorLog()
    listed = publishable_files(site / "static", site, log)
    assert [rel for rel, _ in listed] == ["site.css"]
    assert [(e.path, e.line) for e in log.errors] == [("static/passwd", 1)]
    with pytest.raises(BuildFailed) as failed:
        publishable_files(site / "static", site)
    assert failed.value.errors[0].path == "static/passwd"


def test_an_html_asset_is_refused_unless_site_yaml_allows_it(tmp_path: Path) -> None:
    files = {"content/news/n.md": news(), "content/media/report.html": "<script>steal()</script>"}
    site = make_site(tmp_path / "s", files)
    (error,) = build_errors(site)
    assert error.startswith("content/media/report.html:1:1: error: an HTML file would be published as it is")
    assert "`html_assets: true`" in error
    site = make_site(tmp_path / "t", files, SITE_YAML + "html_assets: true\n")
    run_build(site)
    assert (site / "output/media/report.html").read_text() == "<script>steal()</script>"


@pytest.mark.parametrize(
    ("drawing", "line", "col", "what"),
    [
        ('<circle r="1"/>\n<script>alert(1)</script>', 3, 1, "a <script> element"),
        ('  <g onload="alert(1)"/>', 2, 3, "the `onload` attribute of <g>"),
        ('<a xlink:href="java&#x09;script:alert(1)"><text>x</text></a>', 2, 1, "a `javascript:` address in <a href>"),
        ("<foreignObject><p>x</p></foreignObject>", 2, 1, "a <foreignObject> element"),
        ('<a href="data:text/html,&lt;script&gt;x&lt;/script&gt;"/>', 2, 1, "a `data:` address in <a href>"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', 2, 1, "a `javascript:` address in <set to>"),
    ],
)
def test_an_svg_with_script_is_an_error_at_the_line_of_the_script(
    tmp_path: Path, drawing: str, line: int, col: int, what: str
) -> None:
    site = make_site(tmp_path / "s", {"content/news/n.md": news(), "content/media/x.svg": SVG + drawing + "\n</svg>\n"})
    (error,) = build_errors(site)
    assert error.startswith(f"content/media/x.svg:{line}:{col}: error: this SVG drawing holds script ({what}")
    assert "hint: remove it" in error


def test_a_compressed_svg_with_script_is_refused_and_plain_drawings_pass(tmp_path: Path) -> None:
    plain = SVG + '<image href="data:image/png;base64,iVBORw0KGgo="/><circle r="1" fill="red"/>\n</svg>\n'
    files = {
        "content/news/n.md": news(),
        "content/media/plain.svg": plain,
        "content/media/x.svgz": gzip.compress((SVG + "<script>alert(1)</script></svg>").encode()),
    }
    site = make_site(tmp_path / "s", files)
    (error,) = build_errors(site)
    assert error.startswith("content/media/x.svgz:2:1: error: this SVG drawing holds script (a <script> element)")
    (site / "content/media/x.svgz").unlink()
    run_build(site)
    assert (site / "output/media/plain.svg").read_text() == plain
