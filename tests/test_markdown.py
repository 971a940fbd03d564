from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import posts
from sitegen.content.bodyhtml import KNOWN_NODES
from sitegen.content.config import HtmlPolicy
from sitegen.content.markdown import _cleaner, _parser, cut_at_word, render
from sitegen.content.mdbugs import UnreadableMarkdown


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


def test_code_spans_keep_what_the_editor_wrote() -> None:
    # The parser's typographer also runs inside code spans; bodyhtml takes them from the source.
    html = _render('Run `sitegen build ... "now"` -- then `a\nb`.\n').html
    assert '<code>sitegen build ... "now"</code> – then <code>a b</code>' in html


def test_block_layout_is_the_one_markdown_it_wrote() -> None:
    assert _render("- one\n- two\n").html == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    assert _render("- one\n\n- two\n").html == "<ul>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ul>\n"
    fenced = _render("1. one\n   ```\n   code\n   ```\n").html
    assert fenced == "<ol>\n<li>one<pre><code>code\n</code></pre>\n</li>\n</ol>\n"
    assert _render("- a\n  - b\n").html == "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"
    assert _render("3. x\n\n> q\n").html == '<ol start="3">\n<li>x</li>\n</ol>\n<blockquote>\n<p>q</p>\n</blockquote>\n'


def test_footnotes_are_numbered_by_first_reference() -> None:
    html = _render("A^[inline] b[^x] c[^x]\n\n[^x]: Named.\n").html
    assert '<a href="#fn1" id="fnref1">[1]</a>' in html  # the inline note comes first
    assert '<a href="#fn2" id="fnref2">[2]</a>' in html and '<a href="#fn2" id="fnref2:1">[2:1]</a>' in html
    assert html.index('id="fn1"') < html.index('id="fn2"')
    assert '<p>Named. <a href="#fnref2" class="footnote-backref">↩︎</a> <a href="#fnref2:1"' in html


def test_addresses_nh3_would_refuse_lose_their_href() -> None:
    html = _render("[ftp](ftp://example.org/f) [tel](tel:+32123) ![data](data:image/png;base64,AA)\n").html
    assert "<a>ftp</a>" in html and '<a href="tel:+32123">' in html and '<img alt="data">' in html


def test_without_raw_html_the_body_is_already_as_nh3_writes_it() -> None:
    """A body without the editor's own HTML skips nh3: the walk escaped everything, so
    sanitizing it again must change nothing (here: every construct, and generated posts)."""
    clean = _cleaner(HtmlPolicy())
    syntax = (Path(__file__).parent / "markdown_syntax.md").read_text(encoding="utf-8")
    bodies = [syntax.replace("<b>bold raw</b>", "bold").split("<table>")[0]]
    bodies += [post.body for post in posts(300)]
    for body in bodies:
        result = _render(body)
        assert "<b>" not in body and "<table>" not in body
        assert clean(result.html) == result.html


def test_every_syntax_the_parser_knows_is_written() -> None:
    """Each node type markdown-it-pyrs gives for our plugins has a rule in bodyhtml.py."""
    body = (Path(__file__).parent / "markdown_syntax.md").read_text(encoding="utf-8")
    names = {node.name for node in _parser().tree(body).walk()}
    assert names <= KNOWN_NODES, names - KNOWN_NODES
    assert {"footnote_ref", "table", "fence", "code_block", "html_block", "html_inline", "lheading"} <= names


def test_warnings_name_the_line_of_the_image_or_link() -> None:
    findings = _render("Intro line\nsecond line with ![photo.jpg](photo.jpg)\nthird [here](/events/).\n").findings
    assert [(f.line, f.message.split(" `")[0].split(" “")[0]) for f in findings] == [
        (2, "the alt text"),
        (3, "the link text"),
    ]


def test_inputs_that_make_the_parser_panic_are_shown_as_commonmark_says() -> None:
    # markdown-it-pyrs 0.4 panics on these; mdbugs.py escapes what CommonMark shows as written.
    assert _render("the [` is shown\n").html == "<p>the [` is shown</p>\n"
    assert _render("a note^[ never closed\n").html == "<p>a note^[ never closed</p>\n"
    fenced = _render("a [`x` b `\n\n```\n[`\n```\n").html
    assert fenced == "<p>a [<code>x</code> b `</p>\n<pre><code>[`\n</code></pre>\n"


def test_a_paragraph_the_parser_cannot_read_is_named_by_its_line() -> None:
    with pytest.raises(UnreadableMarkdown) as caught:
        _render("Fine.\n\nStill fine.\n\nNot: [[^1](`)[` here.\n\n[^1]: Note.\n")
    assert caught.value.line == 5


def test_windows_line_ends_read_like_unix_ones() -> None:
    unix = _render("# T\n\nsecond `c\nd` x\n\n![A chart](chart.png)\n")
    windows = _render("# T\r\n\r\nsecond `c\r\nd` x\r\n\r\n![A chart](chart.png)\r\n")
    assert windows.html == unix.html and "<code>c d</code>" in windows.html
    assert [r.line for r in windows.references] == [r.line for r in unix.references] == [6]
