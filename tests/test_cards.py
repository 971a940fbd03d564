"""Listing cards are rendered once per build (cards.py): the same bytes as a card included on
each page, and a site's own card that reads its page still sees that page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sitegen.assemble import assemble
from sitegen.cards import Cards
from sitegen.config import load_config
from sitegen.errors import ErrorLog
from sitegen.load import load
from sitegen.parse import parse_all
from sitegen.render import make_environment, render_site

from .conftest import NOW, REPO_ROOT, make_site, news, run_build


def _render(site_dir: Path, cards: Cards, now: datetime = NOW) -> dict:
    config, _ = load_config(site_dir)
    log = ErrorLog()
    sources, assets = load(site_dir, log)
    known = {a.content_path for a in assets} | {s.content_path for s in sources}
    site = assemble(parse_all(sources, config, known, log), assets, config, now, False, False, log)
    return render_site(site, config, make_environment(site_dir, config), site_dir, cards=cards)


def test_cards_rendered_once_are_the_cards_included_on_each_page() -> None:
    once = Cards()
    included = Cards()
    included.pure = False  # as for a card template that reads its page: card-list.html includes it
    rendered_once = _render(REPO_ROOT, once)
    assert once.pure and once.html  # the theme's card reads only its entry and level
    assert rendered_once == _render(REPO_ROOT, included)
    assert not included.html


def test_a_site_card_that_reads_its_page_is_rendered_on_each_page(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[Shared]"),
            "templates/partials/card.html": "<p>{{ entry.title }} on {{ page.url }}</p>\n",
        },
    )
    run_build(site)
    assert "<p>A on /news/</p>" in (site / "output/news/index.html").read_text()
    assert "<p>A on /tags/shared/</p>" in (site / "output/tags/shared/index.html").read_text()


def test_a_card_shown_at_another_level_is_rendered_again(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    run_build(site)
    assert '<h3 class="card-title">' in (site / "output/index.html").read_text()  # the home page: level 3
    assert '<h2 class="card-title">' in (site / "output/news/index.html").read_text()
