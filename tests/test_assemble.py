from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sitegen.content.config import SiteConfig
from sitegen.errors import ErrorLog
from sitegen.model import Item
from sitegen.site.assemble import assemble, collect_tags, paginate

NOW = datetime.fromisoformat("2026-06-01T12:00:00+02:00")
CONFIG = SiteConfig(title="T", base_url="https://example.org/", per_page=2)


def _item(slug: str, date: str | None = "2026-01-01T00:00:00+01:00", **fields) -> Item:
    defaults = dict(
        source=f"content/news/{slug}.md",
        type="news",
        title=slug.title(),
        slug=slug,
        url=f"/news/{slug}/",
        date=datetime.fromisoformat(date) if date else None,
        updated=None,
        summary="",
        body="",
        tag_names=(),
        programme=None,
        image=None,
        lang=None,
        draft=False,
        aliases=(),
    )
    defaults.update(fields)
    return Item(**defaults)


def _assemble(items: list[Item], **flags: bool):
    log = ErrorLog()
    site = assemble(items, [], CONFIG, NOW, flags.get("drafts", False), flags.get("future", False), log)
    return site, log


def test_newest_first_with_a_stable_order_for_equal_dates() -> None:
    site, _ = _assemble([_item("b"), _item("a"), _item("c", "2026-02-01T00:00:00+01:00")])
    assert [i.slug for i in site.items] == ["c", "a", "b"]


def test_pagination_urls_and_neighbours() -> None:
    pages = paginate([_item(str(n)) for n in range(5)], "/news/", 2)
    assert [p.url for p in pages] == ["/news/", "/news/page/2/", "/news/page/3/"]
    assert (pages[0].prev_url, pages[0].next_url) == (None, "/news/page/2/")
    assert len(pages[2].items) == 1
    assert len(paginate([], "/news/", 2)) == 1  # an empty listing still has its page


def test_tag_display_form_is_the_most_used_one() -> None:
    items = [_item("a", tag_names=("ai",)), _item("b", tag_names=("AI",)), _item("c", tag_names=("AI",))]
    tags = collect_tags(items, CONFIG, ErrorLog())
    assert [tag.name for tag in tags.values()] == ["AI"]


def test_c_cpp_and_csharp_are_three_tags_with_three_addresses() -> None:
    items = [_item("a", tag_names=("C",)), _item("b", tag_names=("C++",)), _item("c", tag_names=("C#", "c"))]
    log = ErrorLog()
    tags = collect_tags(items, CONFIG, log)
    assert not log.errors
    assert {slug: tag.name for slug, tag in tags.items()} == {"c": "C", "c-plus-plus": "C++", "c-sharp": "C#"}
    site, _ = _assemble(items)
    urls = {page.url for page in site.pages}
    assert {"/tags/c/", "/tags/c-plus-plus/", "/tags/c-sharp/"} <= urls


def test_two_tags_written_differently_at_one_address_name_both_files() -> None:
    items = [_item("a", tag_names=("C++",)), _item("b", tag_names=("c plus plus",), lines={"tags": 5})]
    log = ErrorLog()
    collect_tags(items, CONFIG, log)
    [error] = log.errors
    assert (error.path, error.line) == ("content/news/b.md", 5)
    assert "/tags/c-plus-plus/" in error.message and "content/news/a.md" in error.message


def test_a_programme_that_does_not_exist_names_the_line() -> None:
    _, log = _assemble([_item("a", programme="echos", lines={"programme": 4})])
    assert [(e.path, e.line, e.message) for e in log.errors] == [
        ("content/news/a.md", 4, "the programme `echos` does not exist")
    ]


def test_two_items_at_one_url_name_both_files() -> None:
    first = _item("same")
    second = _item("same", source="content/news/other.md", lines={"slug": 3})
    _, log = _assemble([first, second])
    assert len(log.errors) == 1
    error = log.errors[0]
    assert "content/news/same.md" in error.message and "content/news/other.md" in error.message
    assert (error.path, error.line) == ("content/news/other.md", 3)


def test_a_page_cannot_take_a_listing_address() -> None:
    page = _item("tags", type="page", url="/tags/", source="content/pages/tags.md", date=None)
    _, log = _assemble([page])
    message = log.errors[0].message
    assert "the tags index" in message and "content/pages/tags.md" in message and "/tags/index.html" in message


def test_feeds_are_stamped_with_the_newest_item_not_the_clock() -> None:
    site, _ = _assemble([_item("a", updated=datetime.fromisoformat("2026-03-03T10:00:00+01:00")), _item("b")])
    assert site.stamp == datetime.fromisoformat("2026-03-03T10:00:00+01:00")


def test_empty_site_still_has_home_tags_archive_and_404(tmp_path: Path) -> None:
    site, log = _assemble([])
    assert not log.errors
    assert {"/", "/tags/", "/archive/", "/404.html", "/news/"} <= {p.url for p in site.pages}
