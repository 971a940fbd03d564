"""The editor's loop in real Chromium: a page from `sitegen serve` follows the Markdown file
as it is edited, shows a broken file's error over the page, and recovers when it is fixed,
all without anyone pressing reload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.commands.serve import Running
from sitegen.pipeline import BuildOptions

from ..conftest import GOLDEN_DIR

SURVEY = "content/news/2026-01-20-survey.md"
WAIT_MS = 15_000


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Running]:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_DIR / "minimal", site, ignore=shutil.ignore_patterns("expected", "output"))
    running = Running(BuildOptions(site, drafts=True), "127.0.0.1", 0, lambda message: None)
    yield running
    running.stop()


def test_edit_break_and_fix_a_post_while_the_page_is_open(browser, preview: Running) -> None:
    page = browser.new_page()
    page.goto(preview.url + "news/survey/")
    assert "The answers are in" in page.inner_text("main")
    source = preview.rebuilder.site_dir / SURVEY
    good = source.read_text(encoding="utf-8")

    # The page's own script reloads it (nothing here does): the load event is the proof. Waiting
    # for the event, not counting events after the new text shows, since the new document's text
    # is there before its load event fires.
    with page.expect_event("load", timeout=WAIT_MS):
        source.write_text(good.replace("The answers are in", "The answers arrived today"), encoding="utf-8")
    assert "The answers arrived today" in page.inner_text("main")

    source.write_text(good.replace("title: Members", "title: [Members"), encoding="utf-8")
    overlay = page.wait_for_selector("#sitegen-errors", timeout=WAIT_MS)
    text = overlay.inner_text()
    assert f"{SURVEY}:2:8" in text
    assert "the [ opened here is never closed" in text and "hint: end it with ]" in text
    assert overlay.get_attribute("role") == "alertdialog"
    assert "The answers arrived today" in page.inner_text("main")  # the last good page, under the overlay

    with page.expect_event("load", timeout=WAIT_MS):
        source.write_text(good.replace("The answers are in", "Fixed and rebuilt"), encoding="utf-8")
    assert "Fixed and rebuilt" in page.inner_text("main")
    assert page.query_selector("#sitegen-errors") is None
    page.close()


def test_a_draft_shows_its_banner_in_the_preview(browser, preview: Running) -> None:
    page = browser.new_page()
    page.goto(preview.url + "news/draft/")
    banner = page.wait_for_selector(".preview-banner", timeout=WAIT_MS)
    assert banner.is_visible() and "Draft" in banner.inner_text()
    page.close()
