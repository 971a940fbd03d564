from __future__ import annotations

from sitegen.config import HtmlPolicy
from sitegen.markdown import cut_at_word, render


def _render(body: str, path: str = "news/2026-01-01-a.md"):
    return render(body, path, "", HtmlPolicy())


def test_body_headings_nest_under_the_page_title() -> None:
    html = _render("# Top\n\n## Sub\n").html
    assert '<h2 id="top">Top</h2>' in html and '<h3 id="sub">Sub</h3>' in html
    assert "<h1" not in html
    assert '<h2 id="already">' in _render("## Already\n").html


def test_tables_footnotes_and_typography() -> None:
    html = _render('| a | b |\n|---|--:|\n| 1 | 2 |\n\n"Quoted"[^1]\n\n[^1]: Note.\n').html
    assert "<th>a</th>" in html and '<td style="text-align:right">2</td>' in html
    assert "“Quoted”" in html and 'class="footnotes"' in html


def test_scripts_and_handlers_are_removed() -> None:
    html = _render('<script>x()</script>\n\n<a href="javascript:x()" onmouseover="y()">link</a>\n').html
    assert "x()" not in html and "onmouseover" not in html and "javascript:" not in html
    assert ">link</a>" in html


def test_relative_references_are_rewritten_and_recorded() -> None:
    result = _render("![A chart](chart.png)\n\nSee [the call](../calls/2026-01-01-researcher.md#apply).\n")
    assert '<img src="/news/chart.png" alt="A chart">' in result.html
    assert '<a href="/calls/researcher/#apply">' in result.html
    assert [(r.content_path, r.line, r.is_image) for r in result.references] == [
        ("news/chart.png", 1, True),
        ("calls/2026-01-01-researcher.md", 3, False),
    ]


def test_external_links_and_anchors_are_left_alone() -> None:
    result = _render("[x](https://example.org/a) [y](#top) [z](mailto:a@example.org)\n")
    assert result.references == []
    assert 'href="https://example.org/a"' in result.html


def test_excerpt_uses_top_level_paragraphs_only() -> None:
    result = _render("## Heading\n\nFirst paragraph.\n\n- a list item\n\n| t |\n|---|\n| cell |\n\nSecond.\n")
    assert result.excerpt == "First paragraph. Second."


def test_cut_at_word_adds_an_ellipsis_only_when_cutting() -> None:
    assert cut_at_word("short text", 20) == "short text"
    assert cut_at_word("one two three four", 12) == "one two…"
    assert cut_at_word("one two, three", 8) == "one two…"


def test_site_pages_written_as_folders_are_links_to_the_built_site() -> None:
    result = render("See [events](/events/) and [AI](/tags/ai/#top).\n", "pages/about.md", "/network", HtmlPolicy())
    assert '<a href="/network/events/">events</a>' in result.html
    assert '<a href="/network/tags/ai/#top">AI</a>' in result.html
    assert result.references == []
