"""Links between items at the build's clock (site/links.py): the site never shows a reader a
dead internal link. A link to a draft or a scheduled item is its text until that item is
published, with a warning at the link's line; a link to an item whose `slug:` changed its
address goes to that address; the feeds say the same as the pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sitegen.pipeline import BuildOptions, BuildState, build

from .conftest import NOW, make_site, news

BODY = (
    "First paragraph.\n\n"
    "See [the draft](2026-01-02-draft.md), [the launch](2026-12-24-launch.md#when) and\n"
    "[the renamed one](2026-01-03-renamed.md).\n"
)


def _site(root: Path) -> Path:
    return make_site(
        root,
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01", body=BODY),
            "content/news/2026-01-02-draft.md": news("Draft", "2026-01-02", draft="true"),
            "content/news/2026-12-24-launch.md": news("Launch", "2026-12-24"),
            "content/news/2026-01-03-renamed.md": news("Renamed", "2026-01-03", slug="new-name"),
        },
    )


def test_links_to_unpublished_items_are_text_and_say_why(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    result = build(BuildOptions(site, None, NOW, cache=False))
    page = (site / "output/news/a/index.html").read_text()
    assert "See the draft, the launch and" in page
    assert 'href="/news/draft/' not in page and 'href="/news/launch/' not in page
    assert '<a href="/news/new-name/">the renamed one</a>' in page
    feed = (site / "output/feed.xml").read_text()
    assert "/news/draft/" not in feed and "/news/launch/" not in feed and "https://example.org/news/new-name/" in feed
    said = sorted(w.message for w in result.warnings if (w.path, w.line) == ("content/news/2026-01-01-a.md", 7))
    assert said == [
        "the link to `news/2026-01-02-draft.md` is shown as text: it is a draft",
        "the link to `news/2026-12-24-launch.md` is shown as text until 2026-12-24T00:00+01:00,"
        " when that item is published",
    ]


def test_the_link_appears_when_its_item_is_published_also_in_a_remembered_build(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    state = BuildState()
    build(BuildOptions(site, None, NOW), state)
    later = datetime.fromisoformat("2026-12-24T12:00:00+01:00")
    result = build(BuildOptions(site, None, later), state)
    page = (site / "output/news/a/index.html").read_text()
    assert '<a href="/news/launch/#when">the launch</a>' in page
    assert "news/a/index.html" in result.rendered
    clean = tmp_path / "clean"
    build(BuildOptions(site, clean, later, cache=False))
    assert (clean / "news/a/index.html").read_text() == page
