"""Bodies moved in from WordPress, Jekyll and Hugo, or pasted from Word: what CommonMark reads
otherwise than the editor meant is a warning at its line with the fix, and the item is still
published (content/body_slips.py); a bare web address is a link; a mail address written as a
link without `mailto:` is told so (content/references.py). The sample sites build with none of these warnings."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from bench.corpus import posts
from sitegen.commands.check import check_site
from sitegen.content import body_slips
from sitegen.content.config import HtmlPolicy
from sitegen.content.markdown import render

from .conftest import GOLDEN_SITES, make_site, run_build

PNG = b"\x89PNG\r\n\x1a\n"
BODY_LINE = 5  # the body's first line in the file: after `---`, title, date and `---`


def _publish(
    tmp_path: Path, body: str, files: dict[str, str | bytes] | None = None
) -> tuple[list[tuple[int, str, str]], str]:
    """The warnings of the item (file line, message, hint) and its published body's HTML."""
    item = f"---\ntitle: A\ndate: 2026-01-10\n---\n{body}"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item, **(files or {})})
    result = run_build(site)
    warnings = [(w.line, w.message, w.hint) for w in result.warnings if w.path.endswith("2026-01-10-a.md")]
    page = lxml.html.fromstring((site / "output/news/a/index.html").read_bytes())
    (body_html,) = page.find_class("item-body")
    inner = (body_html.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in body_html)
    return warnings, inner.strip()


def test_a_caption_shortcode_is_named_and_its_picture_and_words_stay_readable(tmp_path: Path) -> None:
    body = (
        'Intro.\n\n[caption id="attachment_5" align="aligncenter" width="300"]'
        '<img src="../media/board.jpg" alt="Board" /> The board[/caption]\n'
    )
    warnings, html = _publish(tmp_path, body, {"content/media/board.jpg": PNG})
    assert warnings == [
        (
            BODY_LINE + 2,
            "the WordPress shortcode `[caption …]` is left out, its picture and words shown: sitegen has no shortcodes",
            "write the picture as ![what it shows](../media/x.jpg) and its caption as the next paragraph, "
            "or give the item its picture with `image:` in the front matter",
        )
    ]  # one warning: the closing `[/caption]` belongs to it
    assert html == '<p>Intro.</p>\n<p><img src="/media/board.jpg" alt="Board"> The board</p>'


def test_other_shortcodes_are_named_and_shown_as_written(tmp_path: Path) -> None:
    body = (
        '[gallery ids="1,2,3"]\n\nWatch [embed]https://youtu.be/x1[/embed] now.\n\n[contact-form-7 id="9"]\n\n'
        '[video src="https://example.org/v.mp4"]\n'
    )
    warnings, html = _publish(tmp_path, body)
    gallery_hint = "write the gallery's pictures one per line: ![what it shows](../media/x.jpg)"
    assert warnings == [
        (BODY_LINE, "the WordPress shortcode `[gallery …]` is shown as text: sitegen has no shortcodes", gallery_hint),
        (
            BODY_LINE + 2,
            "the WordPress shortcode `[embed]` is shown as text: sitegen has no shortcodes",
            "write a link to it instead, e.g. [the recording](https://…)",
        ),
        (
            BODY_LINE + 4,
            "the WordPress shortcode `[contact-form-7 …]` is shown as text: sitegen has no shortcodes",
            "replace it with what it stood for (a link, a picture, text)",
        ),
        (
            BODY_LINE + 6,
            "the WordPress shortcode `[video …]` is shown as text: sitegen has no shortcodes",
            "write a link to it instead, e.g. [the recording](https://…)",
        ),
    ]
    assert '<p>[gallery ids="1,2,3"]</p>' in html  # its quotes as written, not curled
    assert '[embed]<a href="https://youtu.be/x1">https://youtu.be/x1</a>[/embed]' in html  # the address alone
    assert '<p>[video src="https://example.org/v.mp4"]</p>' in html  # an attribute's address is no link


def test_a_shortcode_in_an_html_block_is_named_at_its_line(tmp_path: Path) -> None:
    warnings, html = _publish(tmp_path, 'Text.\n\n<div class="wp">\n[gallery ids="4"]\n</div>\n')
    assert [(line, message.split(":")[0]) for line, message, _ in warnings] == [
        (BODY_LINE + 3, "the WordPress shortcode `[gallery …]` is shown as text")
    ]
    assert '[gallery ids="4"]' in html


def test_links_footnotes_code_and_brackets_are_never_taken_for_shortcodes(tmp_path: Path) -> None:
    body = (
        "See [gallery](../pages/gallery.md), [video][v], a note[^1], [sic] and [1], `[gallery]`, "
        '\\[gallery ids="2"] and ![gallery](../media/g.jpg).\n\n'
        '```\n[gallery ids="3"]\n    indented in a fence\n```\n\n[v]: https://video.example.net/v\n[^1]: The note.\n'
    )
    files = {"content/pages/gallery.md": "---\ntitle: Gallery\n---\nG.\n", "content/media/g.jpg": PNG}
    warnings, html = _publish(tmp_path, body, files)
    assert warnings == []
    assert '<a href="/gallery/">gallery</a>' in html and '<a href="https://video.example.net/v">video</a>' in html


def test_an_indented_paragraph_is_named_as_code(tmp_path: Path) -> None:
    body = "Text.\n\n    Indented paragraph from a converter.\n\nText.\n\n\tA tab from Word.\n\n```\nfenced code\n```\n"
    warnings, html = _publish(tmp_path, body)
    message = "this text is indented by four spaces (or a tab): shown as code"
    hint = "remove the indent for text, or fence code with a line of ``` above and below it"
    assert warnings == [(BODY_LINE + 2, message, hint), (BODY_LINE + 6, message, hint)]  # not the fenced code
    assert "<pre><code>Indented paragraph from a converter.\n</code></pre>" in html


def test_word_bullets_are_named_once_a_paragraph(tmp_path: Path) -> None:
    body = "Intro.\n\n•\tFirst bullet\n•\tSecond bullet\n\n- ▪ in a list already\n\nFrom 1990\n– 2000, one line.\n"
    warnings, html = _publish(tmp_path, body)
    assert warnings == [
        (
            BODY_LINE + 2,
            "the lines starting with `•` are one paragraph, not a list",
            "write each point on its own line starting with `- `",
        )
    ]
    assert "<p>•\tFirst bullet\n•\tSecond bullet</p>" in html


def test_footnotes_without_their_text_or_never_referred_to_are_named(tmp_path: Path) -> None:
    body = "Footnote[^2] never defined, and one[^1] that is.\n\n[^1]: Defined.\n\n[^3]: Never referred to.\n"
    warnings, html = _publish(tmp_path, body)
    assert warnings == [
        (
            BODY_LINE,
            "footnote [^2] has no text: shown as written",
            "add `[^2]: …` with the note's words on a line of its own at the end",
        ),
        (
            BODY_LINE + 4,
            "footnote [^3] is never referred to in the text: its words are not shown",
            "write [^3] where the note belongs, or remove the note",
        ),
    ]
    assert "Footnote[^2] never defined" in html and "Never referred to" not in html


def test_kramdown_attribute_lists_are_named(tmp_path: Path) -> None:
    warnings, html = _publish(tmp_path, "Kramdown attribute\n{: .lead}\n\n* TOC\n{:toc}\n")
    assert [(line, message) for line, message, _ in warnings] == [
        (BODY_LINE + 1, "`{: .lead}` is a Kramdown attribute list: shown as text"),
        (BODY_LINE + 4, "`{:toc}` is a Kramdown attribute list: shown as text"),
    ]
    assert "`{.class}` right after an image" in warnings[0][2] and "`{#id .class}`" in warnings[0][2]
    assert warnings[1][2] == "for a table of contents write [[toc]] on a line of its own"
    assert "<p>Kramdown attribute\n{: .lead}</p>" in html


def test_an_address_with_a_space_is_named_with_its_angle_brackets(tmp_path: Path) -> None:
    body = 'Intro.\n\n[file with space](my file.pdf) and ![a pic](my pic.jpg "Title").\n\n[video](my talk.mp4)\n'
    warnings, html = _publish(tmp_path, body)
    assert warnings == [
        (
            BODY_LINE + 2,
            "`[file with space](my file.pdf)` is not a link: its address has a space",
            "write the address in angle brackets: [file with space](<my file.pdf>)",
        ),
        (
            BODY_LINE + 2,
            '`![a pic](my pic.jpg "Title")` is not an image: its address has a space',
            'write the address in angle brackets: ![a pic](<my pic.jpg> "Title")',
        ),
        (
            BODY_LINE + 4,
            "`[video](my talk.mp4)` is not a link: its address has a space",
            "write the address in angle brackets: [video](<my talk.mp4>)",
        ),  # and no shortcode: `[video]` is a link's words here
    ]
    assert "[file with space](my file.pdf)" in html


def test_a_bare_web_address_in_the_text_is_a_link(tmp_path: Path) -> None:
    body = (
        "Bare address https://bare.example.org/page in text (see http://old.example.org/a).\n\n"
        "Not: `https://code.example.org`, www.example.org, ftp://files.example.org, office@example.org.\n"
    )
    warnings, html = _publish(tmp_path, body)
    assert warnings == []
    assert (
        '<p>Bare address <a href="https://bare.example.org/page">https://bare.example.org/page</a> in text '
        '(see <a href="http://old.example.org/a">http://old.example.org/a</a>).</p>'
    ) in html
    assert html.count("<a ") == 2


def test_a_body_without_a_mark_is_never_looked_at_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks look only where markdown-it met a mark while reading the body: generated posts
    (links, tables, lists, emphasis, but no slip) are never walked, and linkify runs only at a
    `://` in the text itself."""

    def fail(*args: object) -> None:
        raise AssertionError("looked at a body without slips")

    monkeypatch.setattr(body_slips, "_text_slips", fail)
    monkeypatch.setattr(body_slips.WebAddresses, "match_at_start", fail)
    for post in posts(60):
        assert render(post.body, "news/x.md", "", HtmlPolicy()).findings == []
    with pytest.raises(AssertionError):
        render("Look: https://example.org\n", "news/x.md", "", HtmlPolicy())


def test_a_mail_address_without_mailto_is_told_so(tmp_path: Path) -> None:
    warnings, html = _publish(tmp_path, "Write to [the office](office@example.org).\n\nSee [x](photo@2x.png).\n")
    assert warnings == [
        (
            BODY_LINE,
            "the link `office@example.org` does not exist (looked for content/news/office@example.org): "
            "shown as its words alone",
            "an email address starts with `mailto:`: did you mean `mailto:office@example.org`?",
        ),
        (
            BODY_LINE + 2,  # a file's name with an @ is a file's
            "the link `photo@2x.png` does not exist (looked for content/news/photo@2x.png): shown as its words alone",
            "check the file name; a path is relative to this file, or from content/ if it starts with /",
        ),
    ]
    assert "<p>Write to the office.</p>" in html


_NEW_KINDS = ("shortcode", "indented by four", "not a list", "footnote [^", "Kramdown", "has a space")


@pytest.mark.parametrize("name", sorted(GOLDEN_SITES))
def test_the_sample_sites_have_none_of_these_slips(name: str, tmp_path: Path) -> None:
    result = run_build(GOLDEN_SITES[name], output=tmp_path / "out")
    shown = [f"{w.message} / {w.hint}" for w in result.warnings]
    assert [text for text in shown if any(kind in text for kind in _NEW_KINDS)] == []
    assert [text for text in shown if "mailto:" in text] == []


SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'


def test_an_image_in_static_is_shown_and_hugos_root_address_for_it_is_told(tmp_path: Path) -> None:
    """Hugo and Jekyll publish static/ at the site's root, sitegen under /static/."""
    body = "![A square](/static/images/a.svg)\n\n![A square](/images/a.svg)\n"
    warnings, html = _publish(tmp_path, body, {"static/images/a.svg": SQUARE})
    assert warnings == [
        (
            BODY_LINE + 2,
            "the image `/images/a.svg` does not exist (looked for content/images/a.svg): shown as its alt text",
            "the file is static/images/a.svg, which is published at /static/images/a.svg: write that address",
        )
    ]
    assert html == '<p><img src="/static/images/a.svg" alt="A square"></p>\n<p>A square</p>'


def test_sitegen_check_finds_a_static_image_as_the_build_does(tmp_path: Path) -> None:
    front = "title: A\ndate: 2026-01-10\nimage:\n  src: /static/a.svg\n  alt: A square\n"
    item = f"---\n{front}---\n![A square](/static/a.svg)\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item, "static/a.svg": SQUARE})
    assert check_site(site).problems == []


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("{% highlight ruby linenos %}", "a code block: a line of ```ruby before the code, and a line of ``` after it"),
        ("{% endhighlight %}", "the end of a code block: a line of ```"),
        (
            "See {% post_url 2010-07-21-name %}.",
            "link to the post's Markdown file instead: [words](2010-07-21-name.md) from a post in its folder",
        ),
        (
            '{{< figure src="/images/team.jpg" alt="The team at work" >}}',
            "write the picture in Markdown: ![The team at work](/images/team.jpg)",
        ),
        (
            "{{< youtube w7Ft2ymGmfc >}}",
            "write a link to the video instead: [the video](https://www.youtube.com/watch?v=w7Ft2ymGmfc)",
        ),
        ("{% if page.x %}", "replace it with what it stood for (a link, an address, a picture), or remove it"),
        ("{% include %}", "replace it with what it stood for (a link, an address, a picture), or remove it"),
        ('{{< figure src="" >}}', "replace it with what it stood for (a link, an address, a picture), or remove it"),
        (
            '{{< youtube id="w7Ft2ymGmfc" >}}',
            "write a link to the video instead: [the video](https://www.youtube.com/watch?v=w7Ft2ymGmfc)",
        ),
        (
            "{% comment %}Budget figures: not for publishing.",
            "the other generator hid the text up to its end; sitegen publishes it: delete the words, or write "
            "them in an HTML comment, <!-- … -->",
        ),
        (
            "{{% notice note %}}",
            "a callout: write `> [!NOTE]` on a line of its own, then each line of the text after `> `",
        ),
        (
            '{{< figure src="/images/hall.jpg" alt="The hall" caption="At night" >}}',
            "write the picture in Markdown: ![The hall](/images/hall.jpg), and its caption as the next paragraph: "
            "At night",
        ),
        (
            'See {{< relref "news/2019-05-07-plans" >}}.',
            "link to the Markdown file itself instead: [words](2019-05-07-plans.md) from a file in its folder",
        ),
    ],
)
def test_jekyll_tags_and_hugo_shortcodes_are_told_what_markdown_writes_instead(
    tmp_path: Path, body: str, hint: str
) -> None:
    warnings, _ = _publish(tmp_path, body + "\n")
    assert [(line, told) for line, _, told in warnings] == [(BODY_LINE, hint)]


def test_a_bodys_warnings_are_told_in_the_order_of_its_lines(tmp_path: Path) -> None:
    body = "![](photo.png)\n\nSee [the old page](old.html).\n\n{% highlight ruby %}\n"
    warnings, _ = _publish(tmp_path, body, {"content/news/photo.png": PNG})
    assert [line for line, _, _ in warnings] == [BODY_LINE, BODY_LINE + 2, BODY_LINE + 4]


def _summary(tmp_path: Path, body: str) -> str:
    item = f"---\ntitle: A\ndate: 2026-01-10\n---\n{body}"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item})
    run_build(site)
    page = lxml.html.fromstring((site / "output/news/a/index.html").read_bytes())
    return page.xpath('//meta[@name="description"]/@content')[0]


LONG = "The board met in Brussels to plan the work on digital heritage and accessibility. " * 3


@pytest.mark.parametrize("divider", ["<!--more-->", "<!-- more -->", "<!--More-->"])
def test_the_summary_ends_at_the_more_divider_whole(tmp_path: Path, divider: str) -> None:
    body = f"First words.\n\n{LONG}\n\n{divider}\n\nThe rest of the post.\n"
    assert _summary(tmp_path, body) == "First words. " + LONG.strip()


def test_a_divider_inside_a_paragraph_ends_the_summary(tmp_path: Path) -> None:
    assert _summary(tmp_path, "Short intro. <!--more--> The rest.\n") == "Short intro."


def test_a_body_written_in_html_has_its_paragraphs_as_summary(tmp_path: Path) -> None:
    body = (
        '<!-- wp:paragraph -->\n<p>Over 200 delegates met in <a href="https://example.org">Lodz</a> &amp; talked.</p>\n'
        "<!-- /wp:paragraph -->\n\n"
        '<figure class="wp-block-image"><img src="https://example.org/a.jpg" alt="A hall"><figcaption>The hall'
        "</figcaption></figure>\n\n"
        '[gallery ids="1,2,3"]\n\n<p>Second paragraph.</p>\n'
    )
    assert _summary(tmp_path, body) == "Over 200 delegates met in Lodz & talked. Second paragraph."


def test_a_file_named_as_macos_spells_accents_is_found_as_a_keyboard_spells_them(tmp_path: Path) -> None:
    on_disk = "content/news/" + unicodedata.normalize("NFD", "café.png")  # e + a combining accent
    warnings, html = _publish(tmp_path, "![The café](café.png)\n", {on_disk: PNG})
    assert warnings == []
    assert html == f'<p><img src="/news/{quote(unicodedata.normalize("NFD", "café.png"))}" alt="The café"></p>'


def test_a_picture_in_another_folder_of_content_is_offered(tmp_path: Path) -> None:
    """wordpress-export-to-markdown saves a post's pictures in images/ beside it."""
    warnings, _ = _publish(tmp_path, "![A hall](hall.png)\n", {"content/news/images/hall.png": PNG})
    assert [hint for _, _, hint in warnings] == [
        "did you mean `/news/images/hall.png`? (a path that starts with / is from content/)"
    ]


def test_a_tag_that_never_closes_costs_no_more_than_its_length(tmp_path: Path) -> None:
    """A line of spaces after `{{<` (a converter's leftovers) that no `}}` closes as a shortcode
    would: its hint reads at most a KB of it. The pattern it replaced cost the cube of the
    line's length: this build would have taken about two minutes, where it takes milliseconds."""
    body = "{{< x" + " " * 3_000 + "}}\n\n{{< figure " + "a" * 20_000 + " >}}\n"
    warnings, _ = _publish(tmp_path, body)
    assert [hint for _, _, hint in warnings] == [
        "replace it with what it stood for (a link, an address, a picture), or remove it"
    ] * 2


def test_a_markdown_file_in_static_is_a_file_to_link_to(tmp_path: Path) -> None:
    warnings, html = _publish(tmp_path, "See [the notes](/static/notes.md).\n", {"static/notes.md": "# Notes\n"})
    assert warnings == [] and html == '<p>See <a href="/static/notes.md">the notes</a>.</p>'


@pytest.mark.parametrize(
    ("body", "told", "hint"),
    [
        (
            "See [the about page]({{ site.baseurl }}/about/).",
            "`[the about page]({{ site.baseurl }}/about/)` is not a link: its address holds template syntax from "
            "another site generator",
            "write the address itself: [the about page](/about/)",
        ),
        (
            "See [it]({% post_url 2019-05-07-name %}).",
            "`[it]({% post_url 2019-05-07-name %})` is not a link: its address holds template syntax from another "
            "site generator",
            "link to the post's Markdown file instead: [words](2019-05-07-name.md) from a post in its folder",
        ),
    ],
)
def test_a_link_whose_address_is_jekylls_template_is_told_once_with_the_address(
    tmp_path: Path, body: str, told: str, hint: str
) -> None:
    """The tag's spaces make it no link to CommonMark: told as the tag it is, not as an address
    to put in angle brackets (which would leave the tag in it), and only once."""
    warnings, _ = _publish(tmp_path, body + "\n")
    assert warnings == [(BODY_LINE, told, hint)]


def test_a_wordpress_bodys_html_is_told_what_the_site_keeps_of_it(tmp_path: Path) -> None:
    """An embedded video's iframe is told with every attribute it needs to be allowed (allowed
    alone, it was kept empty); a style pasted from a word processor is told which properties go
    (the site's stylesheet sets them); Gutenberg's <h1> is a second main heading."""
    body = (
        '<iframe src="https://www.youtube.com/embed/x" width="560" allow="autoplay" allowfullscreen '
        'onload="go()"></iframe>\n\n'
        '<table><tr><th>Head</th></tr><tr><td style="width: 50%; text-align: right">cell</td></tr></table>\n\n'
        "<h1>Big heading</h1>\n"
    )
    warnings, html = _publish(tmp_path, body)
    assert warnings == [
        (
            BODY_LINE,
            "the <iframe> element is removed from the page: the site does not allow it in a body",
            "if the site wants it, allow it in site.yaml: "
            "html: {allow_tags: [iframe], allow_attributes: {iframe: [allow, allowfullscreen, src, width]}}",
        ),
        (
            BODY_LINE + 2,
            "the style `width` of <td> is removed from the page",
            "the site's stylesheet sets colours, fonts and sizes: remove the style (only text-align is ever kept)",
        ),
        (
            BODY_LINE + 4,
            "this <h1> is a second main heading on the page (the title is its <h1>)",
            "write it as a section heading: ## Heading (or <h2>)",
        ),
    ]
    assert '<td style="text-align:right">cell</td>' in html.replace("; ", ";").replace(": ", ":")


def test_kramdowns_markdown_attribute_is_told_how_markdown_is_read_inside_html(tmp_path: Path) -> None:
    warnings, html = _publish(tmp_path, '<div markdown="1">\n**Note:** read this.\n</div>\n')
    assert warnings == [
        (
            BODY_LINE,
            "the attribute `markdown` of <div> is removed from the page",
            'remove markdown="1", and leave a blank line after <div> and before </div>: the Markdown between is '
            "then read",
        )
    ]
    fixed, html = _publish(tmp_path / "fixed", "<div>\n\n**Note:** read this.\n\n</div>\n")
    assert fixed == [] and "<strong>Note:</strong>" in html


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("A [x]({{ site.baseurl }} and more\n", 1),  # no link pattern: the tag alone
        ("C [y]({{ site.baseurl }}/a/\ncontinued)\n", 1),  # across lines: the tag alone
        ("[two]({{ site.url }}{{ site.baseurl }}/about/)\n", 1),  # the link, once
        ("[slug](/news/{{ page.slug }}/)\n", 1),
    ],
)
def test_template_syntax_in_or_near_a_link_is_told_exactly_once(tmp_path: Path, body: str, count: int) -> None:
    warnings, _ = _publish(tmp_path, body)
    assert len(warnings) == count, warnings
    assert "(/news//)" not in warnings[0][2]  # a tag inside the address: no address offered without it


def test_a_styles_removed_properties_are_told_as_nh3_removes_them(tmp_path: Path) -> None:
    body = (
        '<table><tr><th>H</th></tr><tr><td style="TEXT-ALIGN: center">a</td>'
        '<td style="text-align:right;/* c; */">b</td>'
        "<td style=\"background:url('data:image/png;base64,AAAA')\">c</td></tr></table>\n\n"
        '<center markdown="1">Old.</center>\n'
    )
    warnings, _ = _publish(tmp_path, body)
    told = [message for _, message, _ in warnings]
    assert told == [
        "the style `TEXT-ALIGN` of <td> is removed from the page",
        "the style `background` of <td> is removed from the page",
        "the <center> element is removed from the page: the site does not allow it in a body",
    ]
    assert warnings[-1][2] == "if the site wants it, allow it in site.yaml: html: {allow_tags: [center]}"


def test_jekylls_highlight_block_is_a_code_block_as_on_the_old_site(tmp_path: Path) -> None:
    """Its code as written (no curled quotes, no emphasis), and the editor told the fence."""
    body = (
        'Before.\n{% highlight python linenos %}\nprint("hi") * 2 * 3\n{% endhighlight %}\n\n'
        "```\n{% highlight ruby %}\nx\n{% endhighlight %}\n```\n"
    )
    warnings, html = _publish(tmp_path, body)
    assert warnings == [
        (
            BODY_LINE + 1,
            "`{% highlight %}` is Jekyll's: read as a code block",
            "write a line of ```python before the code and a line of ``` after it (every Markdown tool reads that)",
        )
    ]
    assert html == (
        "<p>Before.</p>\n"
        '<pre><code class="language-python">print("hi") * 2 * 3\n</code></pre>\n'
        "<pre><code>{% highlight ruby %}\nx\n{% endhighlight %}\n</code></pre>"
    )
