"""cached_partial() (partials.py) renders the theme's header and footer once per variant: the
same bytes as rendering them on every page, a site's own partial that reads its page still sees
that page, and a cached build notices a partial that only cached_partial() names."""

from __future__ import annotations

from pathlib import Path

from sitegen.render.partials import Partials

from .conftest import REPO_ROOT, make_site, news, render_in_memory, run_build


class _EveryPage(Partials):
    """Renders each partial on every call with the page's whole context, as an include would."""

    def _is_pure(self, *args: object) -> bool:
        return False


def test_cached_partials_are_the_partials_rendered_on_each_page() -> None:
    once, every_page = Partials(), _EveryPage()
    rendered_once = render_in_memory(REPO_ROOT, partials=once)
    assert rendered_once == render_in_memory(REPO_ROOT, partials=every_page)
    assert not every_page.html
    names = sorted({key[0] for key in once.html})
    assert names == ["partials/footer.html", "partials/site-header.html"]
    pages = sum(1 for path in rendered_once if path.endswith(".html"))
    # A header for each menu entry being the page or above it, and one for neither; the same for
    # the footer's two links: at most 15 + 5 variants, not one per page.
    assert len(once.html) <= 20 < pages


def test_the_menu_and_footer_mark_the_current_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01", tags="[Art]")})
    run_build(site)
    item = (site / "output/news/a/index.html").read_text()
    assert '<a href="/news/" aria-current="true">News</a>' in item
    tags = (site / "output/tags/index.html").read_text()
    assert '<a href="/tags/" aria-current="page">Tags</a>' in tags
    assert '<a href="/tags/" aria-current="page">All tags</a>' in tags
    assert '<a href="/archive/">Archive</a>' in tags
    assert '<a href="/tags/" aria-current="true">All tags</a>' in (site / "output/tags/art/index.html").read_text()


def test_a_site_footer_that_reads_its_page_is_rendered_on_each_page(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-01-01-a.md": news("A", "2026-01-01"),
            "templates/partials/footer.html": "<footer>{{ site.title }}: {{ page.url }}</footer>\n",
        },
    )
    run_build(site)
    assert "<footer>Test Network: /news/</footer>" in (site / "output/news/index.html").read_text()
    assert "<footer>Test Network: /news/a/</footer>" in (site / "output/news/a/index.html").read_text()


def test_a_cached_build_renders_pages_again_when_a_cached_partial_changes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-01-a.md": news("A", "2026-01-01")})
    run_build(site)
    header = (REPO_ROOT / "sitegen/theme/templates/partials/site-header.html").read_text()
    override = site / "templates/partials/site-header.html"
    override.parent.mkdir(parents=True)
    override.write_text(header.replace('class="site-title"', 'class="site-title" id="brand"'))
    result = run_build(site)
    assert 'id="brand"' in (site / "output/news/a/index.html").read_text()
    assert "news/a/index.html" in result.write.written
