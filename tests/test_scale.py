"""What a page holds does not grow with the size of the site: a listing of many pages links a
handful of them, not every one (which made output grow with the square of the listing)."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import make_site, news, run_build

SITE_YAML = "title: Test Network\nbase_url: https://example.org/\ntimezone: Europe/Brussels\nper_page: 2\n"


def _page_links(html: str) -> list[str]:
    nav = html.split('<nav class="pagination"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<span class=\"visually-hidden\">Page </span>(\d+)</a>", nav)


def _build_news(tmp_path: Path, count: int) -> None:
    """`count` news items, two to a listing page, built into tmp_path/out."""
    files = {
        f"content/news/2026-01-{day:02d}-item-{day}.md": news(f"Item {day}", f"2026-01-{day:02d}")
        for day in range(1, count + 1)
    }
    run_build(make_site(tmp_path / "site", files, SITE_YAML), output=tmp_path / "out")


def test_a_long_listing_links_first_last_and_neighbours(tmp_path: Path) -> None:
    _build_news(tmp_path, 30)
    pages = {
        n: (tmp_path / "out" / "news" / (f"page/{n}/" if n > 1 else "") / "index.html").read_text() for n in (1, 8, 15)
    }
    assert _page_links(pages[1]) == ["1", "2", "3", "15"]
    assert _page_links(pages[8]) == ["1", "6", "7", "8", "9", "10", "15"]
    assert _page_links(pages[15]) == ["1", "13", "14", "15"]
    assert pages[8].count('class="pagination-gap"') == 2
    assert 'aria-current="page"><span class="visually-hidden">Page </span>8<' in pages[8]


def test_a_short_listing_links_every_page(tmp_path: Path) -> None:
    _build_news(tmp_path, 14)
    html = (tmp_path / "out" / "news" / "page" / "4" / "index.html").read_text()
    assert _page_links(html) == [str(n) for n in range(1, 8)]
    assert "pagination-gap" not in html
