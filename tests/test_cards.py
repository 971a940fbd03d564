"""Listing cards are rendered once per build (cards.py): the same bytes as a card included on
each page, and a site's own card that reads its page still sees that page."""

from __future__ import annotations

from pathlib import Path

from sitegen.render.cards import Cards

from .conftest import REPO_ROOT, make_site, news, render_in_memory, run_build


def test_cards_rendered_once_are_the_cards_included_on_each_page() -> None:
    once = Cards()
    included = Cards()
    included.pure = False  # as for a card template that reads its page: card-list.html includes it
    rendered_once = render_in_memory(REPO_ROOT, cards=once)
    assert once.pure and once.html  # the theme's card reads only its entry and level
    assert rendered_once == render_in_memory(REPO_ROOT, cards=included)
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
