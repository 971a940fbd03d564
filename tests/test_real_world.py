"""tests/sites/real-world: a site written from the slips of real news archives, one file for
each kind. Built, it publishes with exactly the expected warnings (each at its file and line);
under --strict it fails and writes nothing; no page or feed links to a page of the site that
does not exist."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import GOLDEN_DIR

SITE = GOLDEN_DIR / "real-world"
NOW = "2026-11-20T12:00:00+01:00"
ORIGIN = "https://example.org"
_ADDRESS = re.compile(r'(?:href|src)="([^"]*)"')


def _build(tmp_path: Path, *flags: str) -> tuple[subprocess.CompletedProcess, Path]:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    command = [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--now", NOW, "--no-cache", *flags]
    return subprocess.run(command, capture_output=True, text=True, check=False), site / "output"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    return _build(tmp_path_factory.mktemp("real-world"))


def test_the_site_publishes_with_exactly_the_expected_warnings(built: tuple) -> None:
    result, output = built
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stderr.splitlines() if not line.startswith(("built ", "next change"))]
    assert shown == (SITE / "expected-warnings.txt").read_text(encoding="utf-8").splitlines()
    assert "; 14 warning(s)" in result.stderr
    assert (output / "news/missing-image/index.html").is_file()  # every item with a slip is published


def test_under_strict_the_same_warnings_fail_the_build(tmp_path: Path) -> None:
    result, output = _build(tmp_path, "--strict")
    assert result.returncode == 1
    assert "build failed: 14 warning(s) (strict)" in result.stderr
    assert not output.exists()


def test_no_page_links_to_a_page_that_does_not_exist(built: tuple) -> None:
    _result, output = built
    dead = []
    for page in sorted(output.rglob("*")):
        if page.suffix not in (".html", ".xml", ".json") or page.name.startswith("."):
            continue
        url = "/" + page.relative_to(output).as_posix().removesuffix("index.html")
        text = page.read_text(encoding="utf-8").replace("&quot;", '"').replace('\\"', '"')
        for address in _ADDRESS.findall(text):
            target = _internal(urljoin(ORIGIN + url, address))
            if target is not None and not _exists(output, target):
                dead.append(f"{url} -> {address}")
    assert not dead, dead


def test_what_readers_get_instead_of_dead_links(built: tuple) -> None:
    _result, output = built
    page = (output / "news/missing-image/index.html").read_text(encoding="utf-8")
    assert "<p>Bar chart of visitors per month in 2018</p>" in page and "visitors-2018.png" not in page
    page = (output / "news/no-scheme/index.html").read_text(encoding="utf-8")
    assert "Analyses now run on usegalaxy.eu, and" in page
    page = (output / "news/doubled-parentheses/index.html").read_text(encoding="utf-8")
    assert '<a href="https://bugs.ruby-lang.org/issues/14330">#14330</a>' in page
    page = (output / "news/plans/index.html").read_text(encoding="utf-8")
    assert "The programme is still a draft, and the\nlaunch is announced" in page
    page = (output / "news/raw-html/index.html").read_text(encoding="utf-8")
    assert '<img src="/media/vr-gallery.svg">' in page and '<a href="/news/missing-image/">' in page
    assert "<iframe" not in page
    assert "\x0c" not in (output / "news/form-feed/index.html").read_text(encoding="utf-8")
    event = (output / "events/night-of-the-clock-change/index.html").read_text(encoding="utf-8")
    assert "Sunday 29 March 2026, 01:30 CET – 04:00 CEST (Europe/Brussels)" in event


def _internal(url: str) -> str | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return parts.path


def _exists(output: Path, path: str) -> bool:
    target = output / path.lstrip("/")
    return (
        (target / "index.html").is_file()
        if path.endswith("/")
        else target.is_file() or (target / "index.html").is_file()
    )
