"""Content rules, end to end: what an editor writes and what a reader gets."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .conftest import make_site, news, run_build


def _all_text(output: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in output.rglob("*") if p.suffix in (".html", ".xml", ".json"))


def test_drafts_are_left_out_of_every_output_unless_asked_for(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-public.md": news("Public item", "2026-01-01", tags="[Shared]"),
            "content/news/2026-01-02-secret.md": news(
                "Secret draft item", "2026-01-02", tags="[Shared, Hidden]", draft="true"
            ),
        },
    )
    run_build(site)
    everything = _all_text(site / "output")
    assert "Secret draft item" not in everything
    assert "/news/secret/" not in everything
    assert not (site / "output/news/secret").exists()
    assert not (site / "output/tags/hidden").exists()
    run_build(site, output=tmp_path / "with-drafts", drafts=True)
    assert (tmp_path / "with-drafts/news/secret/index.html").exists()


def test_items_dated_after_the_clock_wait_for_it_or_for_future(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-now.md": news("Out now", "2026-01-01"),
            "content/news/2026-03-01-later.md": news("Embargoed item", "2026-03-01 09:00"),
        },
    )
    before = datetime.fromisoformat("2026-03-01T08:59:00+01:00")
    run_build(site, now=before)
    assert "Embargoed item" not in _all_text(site / "output")
    run_build(site, now=datetime.fromisoformat("2026-03-01T09:00:00+01:00"))
    assert (site / "output/news/later/index.html").exists()
    run_build(site, now=before, output=tmp_path / "future", future=True)
    assert (tmp_path / "future/news/later/index.html").exists()


def test_dates_without_offset_are_in_the_site_timezone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-07-01-x.md": news("Summer", "2026-07-01 09:30")})
    run_build(site)
    page = (site / "output/news/x/index.html").read_text()
    assert 'datetime="2026-07-01T09:30:00+02:00"' in page  # Brussels summer time, not UTC


def test_tags_fold_case_and_spell_out_non_ascii(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[AI, Straße, Łódź]"),
            "content/news/2026-01-02-b.md": news("B", "2026-01-02", tags="[ai, Größe]"),
            "content/news/2026-01-03-c.md": news("C", "2026-01-03", tags="[AI]"),
        },
    )
    run_build(site)
    out = site / "output"
    assert sorted(p.name for p in (out / "tags").iterdir() if p.is_dir()) == ["ai", "groesse", "lodz", "strasse"]
    index = (out / "tags/index.html").read_text()
    assert 'AI <span class="count">(3 items)</span>' in index  # the form used most, all three items
    assert (out / "tags/ai/index.html").read_text().count('class="card"') == 3


def test_vocabulary_in_site_yaml_sets_the_display_form(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\ntimezone: UTC\ntags: [Artificial Intelligence]\n",
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[artificial intelligence]"),
        },
    )
    run_build(site)
    assert "Artificial Intelligence" in (site / "output/tags/artificial-intelligence/index.html").read_text()


def test_aliases_redirect_with_a_canonical_link(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-new.md": news("Moved item", "2026-01-01", aliases="[/news/old.html, /old-path/]"),
        },
    )
    run_build(site)
    for alias in ("news/old.html", "old-path/index.html"):
        page = (site / "output" / alias).read_text()
        assert '<link rel="canonical" href="https://example.org/news/new/">' in page
        assert 'http-equiv="refresh" content="0; url=/news/new/"' in page


def test_raw_html_is_sanitized_unless_the_site_relaxes_it(tmp_path: Path) -> None:
    body = '<script>alert(1)</script>\n\n<p onclick="steal()">Hello <iframe src="https://example.org/v"></iframe></p>'
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-x.md": news("X", "2026-01-01", body)})
    run_build(site)
    page = (site / "output/news/x/index.html").read_text()
    assert "alert(1)" not in page and "onclick" not in page and "<iframe" not in page
    assert "<p>Hello" in page
    relaxed = make_site(
        tmp_path / "r",
        {
            "site.yaml": "title: T\nbase_url: https://example.org/\ntimezone: UTC\n"
            "html: {allow_tags: [iframe], allow_attributes: {iframe: [src]}}\n",
            "content/news/2026-01-01-x.md": news("X", "2026-01-01", body),
        },
    )
    run_build(relaxed)
    page = (relaxed / "output/news/x/index.html").read_text()
    assert '<iframe src="https://example.org/v"></iframe>' in page
    assert "alert(1)" not in page and "onclick" not in page


def test_listings_paginate_newest_first(tmp_path: Path) -> None:
    files = {f"content/news/2026-01-{d:02d}-n{d}.md": news(f"Item {d}", f"2026-01-{d:02d}") for d in range(1, 24)}
    site = make_site(tmp_path / "s", files)
    run_build(site)
    out = site / "output"
    first = (out / "news/index.html").read_text()
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)<', first)
    assert titles == [f"Item {d}" for d in range(23, 13, -1)]
    assert (out / "news/page/3/index.html").exists() and not (out / "news/page/4").exists()
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1<' in first


def test_cards_show_image_alt_date_and_an_excerpt_cut_at_a_word(tmp_path: Path) -> None:
    long_body = " ".join(["Museums across Europe share their collections online."] * 10)
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-02-10-x.md": news(
                "Long one", "2026-02-10", long_body, image="{src: pic.svg, alt: Two screens with code}"
            ),
            "content/news/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
        },
    )
    run_build(site)
    listing = (site / "output/news/index.html").read_text()
    excerpt = re.search(r'class="card-summary">([^<]+)<', listing).group(1)
    assert excerpt.endswith("…") and len(excerpt) <= 182
    assert long_body.startswith(excerpt[:-1])
    assert long_body[len(excerpt) - 1] == " "  # the cut falls between words
    assert '<time datetime="2026-02-10T00:00:00+01:00">10 February 2026</time>' in listing
    page = (site / "output/news/x/index.html").read_text()
    assert '<img src="/news/pic.svg" alt="Two screens with code">' in page
    assert (site / "output/news/pic.svg").exists()


def test_programme_page_lists_its_items_and_has_feeds(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/programmes/echoes.md": "---\ntitle: ECHOES\n---\nAn EU project.\n",
            "content/news/2026-01-01-a.md": news("Programme news", "2026-01-01", programme="echoes"),
            "content/news/2026-01-02-b.md": news("Other news", "2026-01-02"),
        },
    )
    run_build(site)
    page = (site / "output/programmes/echoes/index.html").read_text()
    assert "Programme news" in page and "Other news" not in page
    assert 'type="application/rss+xml" title="ECHOES – Test Network (RSS)" href="/programmes/echoes/feed.xml"' in page
    assert "Programme news" in (site / "output/programmes/echoes/atom.xml").read_text()


def test_base_url_path_prefixes_every_link(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "site.yaml": "title: T\nbase_url: https://example.org/network/\ntimezone: UTC\n",
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", "See [about](../pages/about.md)."),
            "content/pages/about.md": "---\ntitle: About\n---\nUs.\n",
        },
    )
    run_build(site)
    page = (site / "output/news/a/index.html").read_text()
    assert '<a href="/network/about/">about</a>' in page
    assert 'href="/network/static/style.css"' in page
    assert 'href="https://example.org/network/about/"' in (site / "output/feed.xml").read_text()


def test_site_templates_override_the_theme_by_name(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01"),
            "templates/partials/footer.html": "<footer>Our own footer</footer>\n",
            "templates/item-news.html": '{% extends "item.html" %}{% block details %}<p>News!</p>{% endblock %}',
        },
    )
    run_build(site)
    page = (site / "output/news/a/index.html").read_text()
    assert "Our own footer" in page and "<p>News!</p>" in page
