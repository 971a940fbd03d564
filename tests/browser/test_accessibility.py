"""WCAG 2.2 AA on every page type, measured in real headless Chromium: axe-core, contrast
in light and dark, target sizes, reflow at 320 px and 200% zoom, keyboard, structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks import axe_violations, contrasts, horizontal_overflow, targets
from .conftest import Served

SITES = ["minimal", "sample"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"

_STRUCTURE_JS = """() => {
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(h => Number(h.tagName[1]));
  const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1);
  const navs = [...document.querySelectorAll("nav")];
  return {
    lang: document.documentElement.lang,
    h1: document.querySelectorAll("h1").length,
    first_heading: levels[0] || 0,
    skips: skips.length,
    unlabelled_navs: navs.length > 1 ? navs.filter(n => !n.getAttribute("aria-label")).length : 0,
    times_without_datetime: [...document.querySelectorAll("time")].filter(t => !t.getAttribute("datetime")).length,
    main: document.querySelectorAll("main").length,
    header: document.querySelectorAll("body > header").length,
    footer: document.querySelectorAll("body > footer").length,
  };
}"""


def _pages(served: dict[str, Served], site: str) -> list[str]:
    return [path for path in served[site].site_paths()]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_and_contrast(browser, served: dict[str, Served], site: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for path in _pages(served, site):
        page.goto(served[site].url(path))
        found = axe_violations(page)
        found += [
            f"contrast {c.ratio:.2f} ({'body' if c.body else 'text'}) at {c.where}: {c.text!r}"
            for c in contrasts(page)
            if c.ratio < (7.0 if c.body else 4.5)
        ]
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


@pytest.mark.parametrize("site", SITES)
def test_structure_of_every_page(browser, served: dict[str, Served], site: str) -> None:
    page = browser.new_page()
    problems = {}
    for path in _pages(served, site):
        page.goto(served[site].url(path))
        found = page.evaluate(_STRUCTURE_JS)
        expected = {
            "lang": "en",
            "h1": 1,
            "first_heading": 1,
            "skips": 0,
            "unlabelled_navs": 0,
            "times_without_datetime": 0,
            "main": 1,
            "header": 1,
            "footer": 1,
        }
        if found != expected:
            problems[path] = {k: v for k, v in found.items() if v != expected[k]}
    page.close()
    assert problems == {}


@pytest.mark.parametrize("site", SITES)
def test_targets_are_at_least_24_px_and_pages_reflow(browser, served: dict[str, Served], site: str) -> None:
    narrow = browser.new_page(viewport={"width": 320, "height": 800})
    zoomed = browser.new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)  # 1280 px at 200%
    problems: dict[str, list[str]] = {}
    for path in _pages(served, site):
        found = []
        for page, label in ((narrow, "320 px"), (zoomed, "200% zoom")):
            page.goto(served[site].url(path))
            if horizontal_overflow(page) > 0:
                found.append(f"scrolls sideways by {horizontal_overflow(page)} px at {label}")
        found += [
            f"target {t.width:.0f}x{t.height:.0f}: {t.text!r}"
            for t in targets(narrow)
            if not t.inline and (t.width < 24 or t.height < 24)
        ]
        if found:
            problems[path] = found
    assert problems == {}


def test_skip_link_comes_first_shows_on_focus_and_moves_focus_to_main(browser, served: dict[str, Served]) -> None:
    page = browser.new_page()
    page.goto(served["sample"].url("/news/"))
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({text: document.activeElement.textContent, top: "
        "document.activeElement.getBoundingClientRect().top, outline: "
        "getComputedStyle(document.activeElement).outlineStyle})"
    )
    assert focused["text"] == "Skip to main content"
    assert focused["top"] >= 0, "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("() => document.activeElement.closest('main') !== null")
    assert first_in_main, "after the skip link, Tab continues inside main"


def test_focus_is_visible_on_links(browser, served: dict[str, Served]) -> None:
    page = browser.new_page()
    page.goto(served["sample"].url("/"))
    for _ in range(4):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement); "
            "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] != "none" and style[1] >= 2, style


def test_cards_are_one_link_each_and_images_are_no_tab_stop(browser, served: dict[str, Served]) -> None:
    page = browser.new_page()
    page.goto(served["sample"].url("/news/"))
    cards = page.evaluate(
        "() => [...document.querySelectorAll('.card')].map(c => "
        "[c.querySelectorAll('a, button, [tabindex]').length, "
        "[...c.querySelectorAll('img')].every(i => i.tabIndex < 0 && !i.closest('a'))])"
    )
    assert cards and all(card == [1, True] for card in cards)


def test_listing_page_is_under_50_kb_before_images(served: dict[str, Served]) -> None:
    out = served["sample"].output
    html = (out / "news/index.html").stat().st_size
    assets = sum((out / "static" / name).stat().st_size for name in ("style.css", "states.js"))
    assert html + assets < 50 * 1024, f"{(html + assets) / 1024:.1f} KB uncompressed"


def test_pages_read_in_order_without_css_or_script(browser, served: dict[str, Served]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route("**/*.css", lambda route: route.abort())
    page.goto(served["sample"].url("/events/"))
    order = page.evaluate("() => [...document.body.children].map(e => e.tagName.toLowerCase())")
    assert order[:4] == ["a", "header", "main", "footer"]
    assert page.locator("main .card-title a").count() > 0
    context.close()


def test_the_checks_catch_real_problems(browser, tmp_path: Path) -> None:
    """The measurements above are only worth something if they fail on a bad page."""
    page = browser.new_page(viewport={"width": 320, "height": 600})
    page.set_content(
        '<!DOCTYPE html><html><body style="background:#fff"><img src="x.png">'
        '<p style="color:#999">faint text</p><a href="#" style="font-size:8px">x</a>'
        '<div style="width:500px">wide</div></body></html>'
    )
    assert any(v.startswith("image-alt") for v in axe_violations(page))
    assert any(v.startswith("html-has-lang") for v in axe_violations(page))
    assert min(c.ratio for c in contrasts(page)) < 4.5
    assert any(t.height < 24 for t in targets(page))
    assert horizontal_overflow(page) > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_screenshots_for_people_to_look_at(browser, served: dict[str, Served], scheme: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    shots = {"home": "/", "item": "/news/executive-board-goals-2026/", "listing": "/events/", "tag": "/tags/ai/"}
    for name, path in shots.items():
        page.goto(served["sample"].url(path))
        target = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
    context.close()
