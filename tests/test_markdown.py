from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import posts
from sitegen.content.config import HtmlPolicy
from sitegen.content.excerpt import cut_at_word
from sitegen.content.markdown import _cleaner, links, render


def _render(body: str, path: str = "news/2026-01-01-a.md"):
    return render(body, path, "", HtmlPolicy())


def test_body_headings_nest_under_the_page_title() -> None:
    html = _render("# Top\n\n## Sub\n").html
    assert '<h2 id="top">Top</h2>' in html and '<h3 id="sub">Sub</h3>' in html
    assert "<h1" not in html
    assert '<h2 id="already">' in _render("## Already\n").html
    skipped = _render("## A\n\n#### B\n")
    assert '<h3 id="b">B</h3>' in skipped.html and skipped.findings[0].message.startswith("heading level skipped")


def test_each_heading_has_a_visible_link_to_its_section_named_for_screen_readers() -> None:
    html = _render("## Next steps\n\n## Next steps\n").html
    assert html.startswith(
        '<div class="heading">\n<h2 id="next-steps">Next steps</h2>\n<a class="heading-anchor" href="#next-steps">'
        '<span aria-hidden="true">#</span><span class="visually-hidden">Link to this section: Next steps</span></a>\n'
        "</div>\n"
    )
    assert '<h2 id="next-steps-1">' in html  # ids are unique in the page


def test_heading_and_image_attributes() -> None:
    html = _render(
        "## Results {#results-2026 .wide}\n\n![A chart](c.png){width=640 loading=lazy onload=x style=y}\n"
    ).html
    assert '<h2 id="results-2026" class="wide">Results</h2>' in html and 'href="#results-2026"' in html
    assert '<img src="/news/c.png" alt="A chart" width="640" loading="lazy">' in html


def test_definition_lists() -> None:
    assert (
        _render("Call\n: An invitation to apply.\n").html
        == "<dl>\n<dt>Call</dt>\n<dd>An invitation to apply.</dd>\n</dl>\n"
    )


@pytest.mark.parametrize(
    "body",
    ["> [!WARNING]\n> The deadline moved.\n", "::: warning\nThe deadline moved.\n:::\n"],
    ids=["as on GitHub", "as a container"],
)
def test_callouts(body: str) -> None:
    assert _render(body).html == (
        '<div class="callout callout-warning" role="note">\n<p class="callout-title">Warning</p>\n'
        "<p>The deadline moved.</p>\n</div>\n"
    )


def test_an_ordinary_quote_stays_a_quote() -> None:
    assert _render("> [not a callout] words\n").html == "<blockquote>\n<p>[not a callout] words</p>\n</blockquote>\n"


def test_a_table_of_contents_where_the_editor_asks_for_one() -> None:
    html = _render("Intro.\n\n[[toc]]\n\n## One\n\n### One a\n\n## Two\n").html
    assert (
        '<nav class="toc" aria-label="Contents">\n<ol>\n<li><a href="#one">One</a><ol>\n'
        '<li><a href="#one-a">One a</a></li>\n</ol>\n</li>\n<li><a href="#two">Two</a></li>\n</ol>\n</nav>\n'
    ) in html
    assert "[[toc]]" not in html and "toc" not in _render("Intro.\n\n[[toc]]\n").html


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


def test_addresses_nh3_would_refuse_become_their_words() -> None:
    html = _render("[ftp](ftp://example.org/f) [tel](tel:+32123) ![data](data:image/png;base64,AA)\n").html
    assert "<p>ftp " in html and '<a href="tel:+32123">' in html and "</a> data</p>" in html  # its alt text


def test_without_raw_html_the_body_is_already_as_nh3_writes_it() -> None:
    """A body without the editor's own HTML skips nh3: markdown-it escaped everything, so
    sanitizing it again must change nothing (here: every construct, and generated posts)."""
    clean = _cleaner(HtmlPolicy())
    syntax = (Path(__file__).parent / "markdown_syntax.md").read_text(encoding="utf-8")
    bodies = [syntax.replace("<b>bold raw</b>", "bold").split("<table>")[0]]
    bodies += [post.body for post in posts(300)]
    for body in bodies:
        result = _render(body)
        assert "<b>" not in body and "<table>" not in body
        assert clean(result.html) == result.html


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "JaVaScRiPt:x", "vbscript:x", "file:///etc/passwd", "data:text/html,x"]
)
def test_addresses_that_are_not_web_addresses_never_become_links_or_images(address: str) -> None:
    html = _render(f"[link]({address}) ![picture]({address})\n").html
    assert "href" not in html and "src" not in html


def test_warnings_name_the_line_of_the_image_or_link() -> None:
    findings = _render("Intro line\nsecond line with ![photo.jpg](photo.jpg)\nthird [here](/events/).\n").findings
    assert [(f.line, f.message.split(" `")[0].split(" “")[0]) for f in findings] == [
        (2, "the alt text"),
        (3, "the link text"),
    ]


@pytest.mark.parametrize(
    "body",
    ["- " * 332 + "x", "> " * 497 + "x", "*" * 993 + "x", "> " * 50_000 + "x", "[" * 20_000 + "x", "1. " * 400 + "x"],
    ids=["332 nested lists", "497 quotes", "993 stars", "50,000 quotes", "20,000 brackets", "400 ordered lists"],
)
def test_deep_nesting_is_rendered_without_running_out_of_stack(body: str) -> None:
    result = _render(body)
    assert result.html.count("<blockquote>") <= 20 and result.html.count("<ul>") <= 20
    if body.startswith(("- ", "> ", "1. ")):
        assert [f.line for f in result.findings if "nested more than 20 levels" in f.message] == [1]


def test_links_as_written_with_their_lines_for_check() -> None:
    found = links("Intro\nsee [a](../calls/x.md) and\n![Alt text](p.png)\n")
    assert [(link.href, link.line, link.is_image, link.alt) for link in found] == [
        ("../calls/x.md", 2, False, ""),
        ("p.png", 3, True, "Alt text"),
    ]


def test_windows_line_ends_read_like_unix_ones() -> None:
    unix = _render("# T\n\nsecond `c\nd` x\n\n![A chart](chart.png)\n")
    windows = _render("# T\r\n\r\nsecond `c\r\nd` x\r\n\r\n![A chart](chart.png)\r\n")
    assert windows.html == unix.html and "<code>c d</code>" in windows.html
    assert [r.line for r in windows.references] == [r.line for r in unix.references] == [6]


def test_addresses_left_as_written_are_those_markdown_it_would_leave_as_written() -> None:
    """sitegen skips markdown-it's normalizeLink for addresses it would not change: for any
    address, the two must agree (thousands of random ones from the characters that matter)."""
    import random

    from markdown_it.common.normalize_url import normalizeLink

    from sitegen.content.addresses import normalize_link

    alphabet = "aZ09-._~:/?#[]@!$&'()*+,;=% \"<>\\^`{|}é\u3002HTtps\n\t\xa0\u212a\u017f"
    written = [
        "https://www.example.org/members/631",
        "http://example.org",
        "../2026-01-01-a.md#results",
        "HTTPS://Example.ORG/A",
        "https://exa_mple.org/",
        "https://" + "a" * 64 + ".org/",
        "https://example.org:8080/x",
        "//example.org/x",
        "mailto:someone@example.org",
        "javascript:alert(1)",
        "a%20b",
        "https://" + "a." * 130 + "org",
        "https://bücher.de/",
        "https://" + "a" * 63 + ".org/",
        "https://" + ".".join(["b" * 63] * 3) + "/x",
        "https://example.org/x\n",
        "https://\u212aexample.org/",
        "",
    ]
    chooser = random.Random(13)
    for _ in range(5000):
        start = chooser.choice(["", "https://", "http://", "//", "mailto:", "/", "../"])
        written.append(start + "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, 30))))
    left_as_written = 0
    for address in written:
        assert normalize_link(address) == normalizeLink(address), address
        left_as_written += normalize_link(address) == address
    assert left_as_written > 100  # both kinds of address were tried


@pytest.mark.parametrize(
    "body",
    [
        "Term\n: Definition\n",
        "Term\n~ Definition\n",
        "> Term\n> : Definition\n",
        ">Term\n>: Definition\n",
        "- Term\n\n  : Definition\n",
        "1. Term\n   : Definition\n",
        ": A colon first\n\nTerm\n\n: Definition\n",
        "Text[^1] and more.\n\n[^1]: The note.\n",
        "Inline^[a note] here.\n",
        "::: note\nBody\n:::\n",
        "> ::: warning\n> Body\n> :::\n",
        "![A chart](c.png){width=640}\n",
        "## Heading {#custom}\n\nText with {braces} and a [link](x.md){.wide}\n",
        "Plain text: with a colon, a ~tilde~ and a caret^ [in brackets].\n",
    ],
)
def test_a_body_parsed_without_the_plugins_it_has_no_mark_of_is_parsed_as_with_all(
    body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser leaves out a plugin when its mark is not in the body (speed): every body,
    here and in generated posts, must give what the parser with every plugin gives."""
    from sitegen.content import markdown

    texts = [body, *(post.body for post in posts(40))]
    chosen = [_render(text) for text in texts]
    monkeypatch.setattr(markdown, "_parser_for", lambda text: markdown._parser())
    for text, result in zip(texts, chosen, strict=True):
        assert result == _render(text), text
