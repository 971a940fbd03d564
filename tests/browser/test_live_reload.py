"""The editor's loop in real Chromium: a page from `sitegen serve` follows the Markdown file
as it is edited, shows a broken file's error over the page, and recovers when it is fixed,
all without anyone pressing reload."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitegen.commands.serve import Running
from sitegen.pipeline import BuildOptions
from sitegen.render.environment import THEME_DIR

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


def _shows(page, words: str) -> None:
    page.wait_for_function(f"document.querySelector('main').innerText.includes({words!r})", timeout=WAIT_MS)


def test_edit_break_and_fix_a_post_while_the_page_is_open(browser, preview: Running) -> None:
    page = browser.new_page(viewport={"width": 400, "height": 300})
    page.goto(preview.url + "news/survey/")
    assert "The answers are in" in page.inner_text("main")
    source = preview.rebuilder.site_dir / SURVEY
    good = source.read_text(encoding="utf-8")

    # The page's own script brings the new words (nothing here reloads): in place, so the
    # page's state (a mark left on its window, where it was scrolled to) is still there.
    page.evaluate("window.scrollTo(0, 120); window.sitegenMark = 'still here'")
    source.write_text(good.replace("The answers are in", "The answers arrived today"), encoding="utf-8")
    _shows(page, "The answers arrived today")
    assert page.evaluate("window.sitegenMark") == "still here"
    assert page.evaluate("window.scrollY") == 120

    source.write_text(good.replace("title: Members", "title: [Members"), encoding="utf-8")
    overlay = page.wait_for_selector("#sitegen-errors", timeout=WAIT_MS)
    text = overlay.inner_text()
    assert f"{SURVEY}:2:8" in text
    assert "the [ opened here is never closed" in text and "hint: end it with ]" in text
    assert overlay.get_attribute("role") == "alertdialog"
    assert "The answers arrived today" in page.inner_text("main")  # the last good page, under the overlay

    source.write_text(good.replace("The answers are in", "Fixed and rebuilt"), encoding="utf-8")
    _shows(page, "Fixed and rebuilt")
    assert page.query_selector("#sitegen-errors") is None

    source.write_text(good.replace("title: Members", "title: Our members"), encoding="utf-8")
    page.wait_for_function("document.title.startsWith('Our members')", timeout=WAIT_MS)
    assert page.evaluate("document.querySelector('meta[property=\"og:title\"]').content").startswith("Our members")

    # A page that is gone (its address changed) is loaded again, whole: the 404 page shows.
    with page.expect_event("load", timeout=WAIT_MS):
        source.write_text(good.replace("title: Members", "slug: members-survey\ntitle: Members"), encoding="utf-8")
    assert page.evaluate("window.sitegenMark") is None
    assert "not found" in page.inner_text("main").lower()
    page.close()


def test_a_new_stylesheet_loads_the_page_again(browser, preview: Running) -> None:
    """A stylesheet keeps its address when it changes: the page is loaded again to show it."""
    page = browser.new_page()
    page.goto(preview.url + "news/survey/")
    page.evaluate("window.sitegenMark = 'still here'")
    theme_css = (THEME_DIR / "static/style.css").read_text(encoding="utf-8")
    with page.expect_event("load", timeout=WAIT_MS):
        (preview.rebuilder.site_dir / "static").mkdir()
        (preview.rebuilder.site_dir / "static/style.css").write_text(
            theme_css + "\nmain { outline: 3px solid rgb(1, 2, 3); }\n", encoding="utf-8"
        )
    page.wait_for_function(
        "getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(1, 2, 3)'", timeout=WAIT_MS
    )
    assert page.evaluate("window.sitegenMark") is None
    page.close()


def test_the_theme_script_runs_again_on_the_new_page(browser, tmp_path: Path) -> None:
    """states.js brings an event's badge to the reader's clock: on the new body too. Built
    before the webinar, the page says "Upcoming"; the reader's clock is later: "Past event"."""
    site = tmp_path / "site"
    shutil.copytree(GOLDEN_DIR / "minimal", site, ignore=shutil.ignore_patterns("expected", "output"))
    before = datetime(2026, 1, 10, 12, tzinfo=UTC)
    running = Running(BuildOptions(site, now=before), "127.0.0.1", 0, lambda message: None)
    try:
        page = browser.new_page()
        page.goto(running.url + "events/")  # the upcoming events, as the build saw them
        assert page.locator("main [data-starts]").first.inner_text() == "Past event"
        source = site / "content/events/2026-01-05-webinar.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("Ein Webinar für", "Ein offenes Webinar für"), encoding="utf-8")
        _shows(page, "Ein offenes Webinar")  # the listing's excerpt
        badge = "document.querySelector('main [data-starts]').textContent"
        page.wait_for_function(f"{badge} === 'Past event'", timeout=WAIT_MS)  # the script ran on the new body
        assert "Upcoming" in (site / "output/events/index.html").read_text(encoding="utf-8")
        page.close()
    finally:
        running.stop()


def test_a_draft_shows_its_banner_in_the_preview(browser, preview: Running) -> None:
    page = browser.new_page()
    page.goto(preview.url + "news/draft/")
    banner = page.wait_for_selector(".preview-banner", timeout=WAIT_MS)
    assert banner.is_visible() and "Draft" in banner.inner_text()
    page.close()
