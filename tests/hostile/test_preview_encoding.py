"""Third review, finding 2, the preview's half: a file with an encoding in its name
(`evil.html.gz`, which Python's mimetypes reads as text/html, gzip) is sent as the archive it
is, never as the type inside it, as Python's own http.server does: a plain page of that name,
sent as text/html, ran its script on the preview's origin and read the drafts."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest

from sitegen.commands.serve import Running
from sitegen.pipeline import BuildOptions

from ..conftest import SITE_YAML, make_site, news
from .test_serve import request

STEAL = b"<!DOCTYPE html><script>fetch('/news/a/').then(r=>r.text()).then(t=>document.title='STOLEN')</script>"
DRAWING = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
FILES = {
    "evil.html.gz": (STEAL, "application/gzip"),
    "page.html.br": (STEAL, "application/octet-stream"),
    "page.htm.bz2": (STEAL, "application/x-bzip2"),
    "notes.txt.xz": (b"<script>alert(1)</script>", "application/x-xz"),
    "old.html.Z": (STEAL, "application/octet-stream"),
    "drawing.svg.gz": (DRAWING, "application/gzip"),
    "drawing.svgz": (gzip.compress(DRAWING), "application/gzip"),
}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    # html_assets: the build publishes the HTML files (an editor may); the preview still must
    # not send a compressed one as a page.
    files = {"content/news/a.md": news("A", draft="true", body="Secret draft.")}
    files |= {f"content/media/{name}": data for name, (data, _) in FILES.items()}
    files["content/media/plain.svg"] = DRAWING
    site = make_site(tmp_path_factory.mktemp("encoding") / "s", files, SITE_YAML + "html_assets: true\n")
    preview = Running(BuildOptions(site, drafts=True), "127.0.0.1", 0, lambda _: None)
    yield preview
    preview.stop()


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_compressed_file_is_sent_as_the_archive_it_is(running: Running, name: str) -> None:
    response = request(running, f"/media/{name}")
    assert response.status == 200
    assert response.getheader("Content-Type") == FILES[name][1]
    assert response.getheader("Content-Encoding") is None
    # ... while a page and a drawing that are not compressed keep their own types
    assert request(running, "/news/a/").getheader("Content-Type") == "text/html; charset=utf-8"
    assert request(running, "/media/plain.svg").getheader("Content-Type") == "image/svg+xml"


def test_a_page_named_html_gz_runs_no_script_in_the_preview(browser, running: Running) -> None:
    page = browser.new_page()
    try:
        with page.expect_download():  # not shown as a page: a file to save
            try:
                page.goto(running.url + "media/evil.html.gz")
            except Exception as error:  # Playwright: "Download is starting"
                assert "Download is starting" in str(error)
        page.wait_for_timeout(300)
        assert "STOLEN" not in page.title()
    finally:
        page.close()
