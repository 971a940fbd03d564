"""WCAG 2.2 AA on every page type, measured in real headless Chromium: axe-core, contrast
in light and dark, target sizes, reflow at 320 px and 200% zoom, keyboard, structure."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks import axe_violations, contrasts, focus_indicator, horizontal_overflow, targets
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
    // A link of the site's navigation to this page or to the section it is in, without aria-current.
    nav_links_not_current: [...document.querySelectorAll("header nav a, footer nav a")].filter(a => {
      const root = document.querySelector(".site-title a").pathname, here = location.pathname;
      const leads = a.pathname === here || (a.pathname !== root && here.startsWith(a.pathname));
      return leads && !a.hasAttribute("aria-current");
    }).length,
    breadcrumbs: document.querySelectorAll("nav.breadcrumbs li:last-child [aria-current=page]").length,
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
            # The site's navigation marks where the reader is; every page but home and 404
            # has breadcrumbs ending at itself.
            "nav_links_not_current": 0,
            "breadcrumbs": 0 if path in ("/", "/404.html") else 1,
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


def test_items_in_another_language_say_so(browser, served: dict[str, Served]) -> None:
    """The minimal site's webinar is in German: its page and its card carry lang="de"."""
    page = browser.new_page()
    page.goto(served["minimal"].url("/events/webinar/"))
    assert page.evaluate("() => [document.documentElement.lang, document.querySelector('article').lang]") == [
        "en",
        "de",
    ]
    page.goto(served["minimal"].url("/tags/echoes/"))
    assert page.locator(".card-title a[lang=de]").count() == 1
    page.close()


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_is_visible_on_everything_tab_reaches(browser, served: dict[str, Served], scheme: str) -> None:
    """Tab through whole pages: every stop shows an outline at least 2 px wide with 3:1 contrast
    against what surrounds it (a card's title link outlines its whole card)."""
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    weak, stops = [], 0
    for path in ("/", "/news/executive-board-goals-2026/", "/events/"):
        page.goto(served["sample"].url(path))
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement === document.body"):
                break
            stops += 1
            focus = focus_indicator(page)
            if focus.width < 2 or focus.ratio < 3:
                weak.append(f"{path}: {focus}")
    context.close()
    assert stops > 30 and weak == []


def test_motion_is_off_when_the_reader_asks_for_less(browser, served: dict[str, Served]) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(served["sample"].url("/"))
    moving = page.evaluate(
        """() => [...document.querySelectorAll("*")].filter(e => {
             const s = getComputedStyle(e);
             return s.animationName !== "none" || parseFloat(s.transitionDuration) > 0 || s.scrollBehavior === "smooth";
           }).length"""
    )
    context.close()
    assert moving == 0


def test_cards_are_one_link_each_and_images_are_no_tab_stop(browser, served: dict[str, Served]) -> None:
    page = browser.new_page()
    page.goto(served["sample"].url("/news/"))
    cards = page.evaluate(
        "() => [...document.querySelectorAll('.card')].map(c => "
        "[c.querySelectorAll('a, button, [tabindex]').length, "
        "[...c.querySelectorAll('img')].every(i => i.tabIndex < 0 && !i.closest('a'))])"
    )
    assert cards and all(card == [1, True] for card in cards)


def test_every_page_is_under_50_kb_over_the_wire_before_images(browser, served: dict[str, Served]) -> None:
    """What the browser downloads for each page (HTML, stylesheet, script; not compressed by the
    test server, so this is the worst case) stays under 50 KB; listings are the largest pages."""
    page = browser.new_page()
    # As on a first visit: every file is fetched whole (Playwright's routing bypasses the cache;
    # dropping If-Modified-Since stops 304 answers).
    page.route(
        "**/*",
        lambda route: route.continue_(
            headers={k: v for k, v in route.request.headers.items() if not k.lower().startswith("if-")}
        ),
    )
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    heavy = {}
    for path in served["sample"].site_paths():
        responses.clear()
        page.goto(served["sample"].url(path), wait_until="load")
        size = sum(len(r.body()) for r in responses if r.request.resource_type != "image")
        if size >= 50 * 1024:
            heavy[path] = f"{size / 1024:.1f} KB"
    page.close()
    assert heavy == {}


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
    page.set_content('<a href="#" style="outline: none">no focus ring</a>')
    page.keyboard.press("Tab")
    assert focus_indicator(page).width == 0


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
