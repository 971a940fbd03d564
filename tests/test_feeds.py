from __future__ import annotations

from pathlib import Path

import feedparser

from .conftest import make_site, news, run_build


def test_feed_ids_survive_a_title_edit(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("Old title", "2026-01-01")})
    run_build(site)
    before = feedparser.parse((site / "output/atom.xml").read_bytes()).entries[0].id
    (site / "content/news/2026-01-01-a.md").write_text(news("New title", "2026-01-01"))
    run_build(site)
    after = feedparser.parse((site / "output/atom.xml").read_bytes()).entries[0]
    assert after.title == "New title" and after.id == before == "https://example.org/news/a/"


def test_feed_content_is_full_html_with_absolute_links(tmp_path: Path) -> None:
    body = "Read [the report](../media/report.pdf) and see ![A chart](/media/chart.svg).\n\n## Details\n\nMore."
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", body),
            "content/media/report.pdf": b"%PDF-1.4",
            "content/media/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
        },
    )
    run_build(site)
    for name in ("feed.xml", "atom.xml"):
        entry = feedparser.parse((site / "output" / name).read_bytes()).entries[0]
        html = entry.content[0].value
        assert 'href="https://example.org/media/report.pdf"' in html
        assert 'src="https://example.org/media/chart.svg"' in html
        assert "<h2" in html and "More." in html


def test_feed_dates_carry_offsets_and_no_build_time(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-07-01-a.md": news("A", "2026-07-01 09:00")})
    run_build(site)
    atom = (site / "output/atom.xml").read_text()
    assert "<updated>2026-07-01T09:00:00+02:00</updated>" in atom
    rss = (site / "output/feed.xml").read_text()
    assert "<lastBuildDate>Wed, 01 Jul 2026 09:00:00 +0200</lastBuildDate>" in rss


def test_feeds_per_type_tag_and_programme(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/programmes/echoes.md": "---\ntitle: ECHOES\n---\nx\n",
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[Policy]", programme="echoes"),
        },
    )
    run_build(site)
    out = site / "output"
    for folder in ("", "news/", "tags/policy/", "programmes/echoes/"):
        for name in ("feed.xml", "atom.xml"):
            parsed = feedparser.parse((out / folder / name).read_bytes())
            assert [e.title for e in parsed.entries] == ["A"], folder + name
    assert (out / "feed.json").exists()


def test_undated_pages_appear_on_tag_pages_but_not_in_feeds(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/programmes/echoes.md": "---\ntitle: ECHOES\ntags: [Cloud]\n---\nx\n",
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[Cloud]"),
        },
    )
    run_build(site)
    assert "ECHOES" in (site / "output/tags/cloud/index.html").read_text()
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / "output/tags/cloud" / name).read_bytes())
        assert [e.title for e in parsed.entries] == ["A"]


def test_each_feed_holds_its_twenty_newest_entries_newest_first(tmp_path: Path) -> None:
    days = [(n * 7) % 31 + 1 for n in range(31)]  # files in another order than their dates
    files = {
        f"content/news/2026-01-{day:02d}-n{day}.md": news(
            f"N{day}", f"2026-01-{day:02d}", tags="[Art]" if day % 2 else "[Art, Music]"
        )
        for day in days
    }
    files["content/about.md"] = "---\ntitle: About\ntags: [Art]\n---\nUndated.\n"
    site = make_site(tmp_path / "s", files)
    run_build(site)
    expected = [f"N{day}" for day in range(31, 11, -1)]
    for folder in ("", "news/", "tags/art/"):
        parsed = feedparser.parse((site / "output" / folder / "feed.xml").read_bytes())
        assert [entry.title for entry in parsed.entries] == expected, folder
    music = feedparser.parse((site / "output/tags/music/feed.xml").read_bytes())
    assert [entry.title for entry in music.entries] == [f"N{day}" for day in range(30, 0, -2)]
