"""What editors write, read as they meant it: files named Łódź or "my photo" linked from a body
and from `image:`, whole web addresses only, real time zones only, text only where text is
asked for, an invisible line separator named for what it is, a picture address no browser shows
named too, and raw HTML whose quoted values hold a `>`."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from sitegen.commands.check import check_site

from .conftest import SITE_YAML, build_errors, make_site, run_build

PNG = b"\x89PNG\r\n\x1a\n"
MEDIA = {"content/media/café.png": PNG, "content/media/my photo.png": PNG, "content/media/Łódź.pdf": b"%PDF"}


def _news(front: str, body: str = "Body.\n") -> str:
    return f"---\ntitle: A\ndate: 2026-01-10\n{front}---\n{body}"


def _body_of(output: Path) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring((output / "news/a/index.html").read_bytes())
    return page.find_class("item-body")[0]


def test_files_with_letters_beyond_ascii_or_spaces_are_linked_with_encoded_addresses(tmp_path: Path) -> None:
    body = (
        "[a](../media/Łódź.pdf) [b](/media/Łódź.pdf) ![c](../media/café.png) ![d](../media/my%20photo.png) "
        "[e](<../media/my photo.png>)\n\n"
        '<img src="../media/café.png" alt="f"> <a href=\'../media/my photo.png\'>g</a>\n'
    )
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body), **MEDIA})
    result = run_build(site)
    assert result.warnings == []
    output = site / "output"
    hrefs = [(e.tag, e.get("href") or e.get("src")) for e in _body_of(output).iter("a", "img")]
    assert [tag for tag, _ in hrefs] == ["a", "a", "img", "img", "a", "img", "a"]
    for _tag, address in hrefs:
        assert " " not in address and address.isascii(), address  # a valid URL in src and href
        assert (output / unquote(address).lstrip("/")).is_file(), address  # and the file is there
    assert hrefs[0][1] == "/media/%C5%81%C3%B3d%C5%BA.pdf" and hrefs[3][1] == "/media/my%20photo.png"
    assert [p.message for p in check_site(site).problems] == []  # nor does `sitegen check`


def test_check_finds_anchors_in_files_named_beyond_ascii(tmp_path: Path) -> None:
    files = {
        "content/news/2026-01-10-a.md": _news("", "[good](../pages/Łódź.md#resume) [bad](../pages/Łódź.md#nope)\n"),
        "content/pages/Łódź.md": "---\ntitle: Łódź\n---\n## Résumé\n\nText.\n",
    }
    site = make_site(tmp_path / "s", files)
    problems = [p.message for p in check_site(site).problems]
    assert problems == ["the anchor `#nope` does not exist in /lodz/"], problems


def test_check_reads_the_alt_text_of_raw_html_images(tmp_path: Path) -> None:
    body = '![](../media/café.png)\n\n<img src="../media/café.png" alt="A café"> ![A cup](../media/café.png)\n'
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body), **MEDIA})
    problems = [(p.line, p.message) for p in check_site(site).problems if "alt text" in p.message]
    assert len(problems) == 1 and problems[0][0] == 5, problems  # the first image, and it alone


def test_a_missing_file_is_still_named_as_the_editor_wrote_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", "![c](../media/cafe.png)\n"), **MEDIA})
    (warning,) = run_build(site).warnings
    assert "`../media/cafe.png` does not exist (looked for content/media/cafe.png)" in warning.message
    assert warning.hint == "did you mean `../media/café.png`?"


@pytest.mark.parametrize("src", ["../media/café.png", "/media/café.png", "../media/caf%C3%A9.png"])
def test_the_image_of_an_item_is_its_file_at_an_encoded_address_everywhere(tmp_path: Path, src: str) -> None:
    item = _news(f"image: {{src: '{src}', alt: A café}}\n")
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item, **MEDIA})
    run_build(site)
    output = site / "output"
    page = lxml.html.fromstring((output / "news/a/index.html").read_bytes())
    expected = "https://example.org/media/caf%C3%A9.png"
    (og_image,) = page.xpath('//meta[@property="og:image"]/@content')
    (ld,) = [json.loads(script.text) for script in page.xpath('//script[@type="application/ld+json"]')]
    feed = json.loads((output / "feed.json").read_bytes())
    assert og_image == ld["image"] == feed["items"][0]["image"] == expected
    assert page.xpath('//figure[@class="item-image"]/img/@src') == [urlsplit(expected).path]


@pytest.mark.parametrize(
    ("front", "line", "hint"),
    [
        (
            "image: {src: '//cdn.example.net/p.png', alt: A photo}\n",
            4,
            "write the full address: https://cdn.example.net/p.png",
        ),
        ("image: {src: 'https:///p.png', alt: A photo}\n", 4, "write it as https:// then the host and the path"),
    ],
)
def test_an_image_address_without_its_scheme_or_host_is_an_error_with_the_fix(
    tmp_path: Path, front: str, line: int, hint: str
) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news(front)})
    (error,) = build_errors(site)
    assert error.startswith(f"content/news/2026-01-10-a.md:{line}:14: error: `image` `src` must be a whole web address")
    assert f"hint: {hint}" in error


@pytest.mark.parametrize(
    ("front", "where"),
    [
        ("starts: 2026-12-01 10:00\nregistration: //example.org/r\n", "5:15: error: `registration`"),
        (
            "starts: 2026-12-01 10:00\nlocation: {online: true, url: //meet.example.org/x}\n",
            "5:31: error: `location` `url`",
        ),
    ],
)
def test_no_other_address_of_the_front_matter_takes_one_without_its_scheme(
    tmp_path: Path, front: str, where: str
) -> None:
    site = make_site(tmp_path / "s", {"content/events/2026-01-10-a.md": _news(front)})
    (error,) = build_errors(site)
    assert f"content/events/2026-01-10-a.md:{where} must be a web address, not `//" in error
    assert "hint: write the full address: https://" in error


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory"])
def test_a_zone_file_that_names_no_place_is_refused(tmp_path: Path, zone: str) -> None:
    site = make_site(
        tmp_path / "s", {"content/events/2026-01-10-a.md": _news(f"starts: 2026-12-01\ntimezone: {zone}\n")}
    )
    (error,) = build_errors(site)
    assert (
        f"content/events/2026-01-10-a.md:5:11: error: `timezone` must be a place's time zone name, not `{zone}`"
        in error
    )
    assert "name the place's own zone, e.g. Europe/Brussels" in error


@pytest.mark.parametrize(
    ("zone", "suggested"),
    [("right/UTC", "UTC"), ("posix/Europe/Paris", "Europe/Paris"), ("europe/brussels", "Europe/Brussels")],
)
def test_a_copy_of_a_zone_or_a_zone_in_other_capitals_gets_a_did_you_mean(
    tmp_path: Path, zone: str, suggested: str
) -> None:
    site = make_site(
        tmp_path / "s", {"content/events/2026-01-10-a.md": _news(f"starts: 2026-12-01\ntimezone: {zone}\n")}
    )
    (error,) = build_errors(site)
    assert f"`timezone` must be a time zone name, not `{zone}`" in error and f"did you mean `{suggested}`?" in error


def test_the_site_zone_is_read_as_strictly(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {}, SITE_YAML.replace("Europe/Brussels", "localtime"))
    (error,) = build_errors(site)
    assert error.startswith("site.yaml:3:11: error: `timezone` must be a place's time zone name, not `localtime`")


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("!!binary aGVsbG8=", "binary data (`!!binary`)"),
        ("!!set {a, b}", "a set (`!!set`)"),
        (".nan", "the number nan"),
    ],
)
def test_a_value_yaml_builds_as_no_text_is_an_error_where_text_is_asked_for(
    tmp_path: Path, value: str, what: str
) -> None:
    item = f"---\ntitle: {value}\ndate: 2026-01-10\n---\nBody.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item})
    (error,) = build_errors(site)
    assert error.startswith(f"content/news/2026-01-10-a.md:2:8: error: `title` must be text, not {what}")
    assert "hint: " in error


def test_binary_data_in_a_list_or_a_place_is_an_error_at_its_own_line(tmp_path: Path) -> None:
    item = "---\ntitle: A\ndate: 2026-01-10\nstarts: 2026-12-01\ntags:\n  - AI\n  - !!binary aGVsbG8=\n---\nBody.\n"
    site = make_site(tmp_path / "s", {"content/events/2026-01-10-a.md": item})
    (error,) = build_errors(site)
    assert error.startswith("content/events/2026-01-10-a.md:7:5: error: `tags` entry 2 must be text, not binary data")


@pytest.mark.parametrize(
    ("character", "name", "hint"),
    [
        ("\u2028", "line separator U+2028", "remove it, or put the whole value in quotes"),
        ("\u2029", "paragraph separator U+2029", "remove it, or put the whole value in quotes"),
        ("\x85", "next-line character U+0085", "remove it"),
    ],
)
def test_an_invisible_line_break_in_a_title_is_named_at_its_own_line(
    tmp_path: Path, character: str, name: str, hint: str
) -> None:
    item = f"---\nsummary: 'S'\ntitle: Board{character}meets\ndate: 2026-01-10\n---\nBody.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item})
    (error,) = build_errors(site)
    message = f"`title` holds the invisible {name}, which YAML reads as the end of the line"
    assert error == f"content/news/2026-01-10-a.md:3:13: error: {message}\n    hint: {hint}"


def test_a_later_mistake_is_told_at_its_file_line_past_an_invisible_break(tmp_path: Path) -> None:
    item = "---\ntitle: 'Board\u2028meets'\ndate: 2026-01-10\ntags: [a, b\n---\nBody.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": item})
    (error,) = build_errors(site)
    assert error.startswith(
        "content/news/2026-01-10-a.md:4:7: error: YAML syntax error: the [ opened here is never closed"
    )


def test_a_quoted_title_keeps_the_separator_as_a_space(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", "x\n").replace("title: A", "title: 'A\u2028B'")}
    )
    run_build(site)
    assert "<h1>A B</h1>" in (site / "output/news/a/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("address", ["data:image/png;base64,iVBORw0KGgo=", "ftp://files.example.org/p.png"])
def test_a_picture_no_browser_shows_is_a_warning_and_its_alt_text(tmp_path: Path, address: str) -> None:
    body = f"Before.\n\nSee ![A chart]({address}) here.\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body)})
    (warning,) = run_build(site).warnings
    scheme = address.split(":")[0]
    assert (warning.path, warning.line) == ("content/news/2026-01-10-a.md", 7)
    assert warning.message == f"the image `{address}` is not a web address ({scheme}:): shown as its alt text"
    assert "content/media/" in warning.hint
    body_html = _body_of(site / "output")
    assert body_html.xpath(".//img") == [] and "See A chart here." in body_html.text_content()


@pytest.mark.parametrize("address", ["ftp://files.example.org/report.pdf", "ssh://host.example.org"])
@pytest.mark.parametrize("raw_html", [False, True])
def test_a_link_no_browser_follows_is_a_warning_and_its_words(tmp_path: Path, address: str, raw_html: bool) -> None:
    body = f"Before.\n\nSee [the report]({address}) here.\n" + ("\n<p>An editor's own HTML.</p>\n" if raw_html else "")
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body)})
    (warning,) = run_build(site).warnings
    assert (warning.path, warning.line) == ("content/news/2026-01-10-a.md", 7)
    assert (
        warning.message
        == f"the link `{address}` is not a web address ({address.split(':')[0]}:): shown as its words alone"
    )
    body_html = _body_of(site / "output")
    assert body_html.xpath(".//a") == [] and "See the report here." in body_html.text_content()


def test_an_alt_text_with_a_greater_than_sign_is_alt_text(tmp_path: Path) -> None:
    body = '<img alt="Prices > 100 EUR, chart" src="../media/café.png">\n\n<p><img src="../media/café.png"></p>\n'
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body), **MEDIA})
    (warning,) = run_build(site).warnings  # the second image alone has none
    assert (warning.line, warning.message) == (7, "this image has no alt text")
    first, _second = _body_of(site / "output").iter("img")
    assert first.get("alt") == "Prices > 100 EUR, chart" and first.get("src") == "/media/caf%C3%A9.png"


def test_a_strict_build_passes_with_such_alt_text_and_a_tag_in_a_comment(tmp_path: Path) -> None:
    body = '<img src="https://images.example.net/a.png" alt=\'a > b\'>\n\n<!-- <img src="x.png"> -->\n'
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-a.md": _news("", body)})
    assert run_build(site, strict=True).warnings == []


def test_numbers_in_text_fields_are_shown_as_the_editor_wrote_them(tmp_path: Path) -> None:
    """YAML 1.1 reads `3.10` as 3.1, `10:30` as 630 and `017` as 15: in a field of text, the
    editor's own characters are published."""
    text = "---\ntitle: 3.10\ndate: 2026-01-10\nsummary: 10:30\ntags: [1.50, 017]\n---\n"
    site = make_site(tmp_path / "s", {"content/news/2026-01-10-n.md": text})
    run_build(site)
    page = lxml.html.parse(str(site / "output/news/n/index.html")).getroot()
    assert page.findtext(".//h1").strip() == "3.10"
    assert "10:30" in page.text_content() and "630" not in page.text_content()
    assert sorted(path.name for path in (site / "output/tags").iterdir() if path.is_dir()) == ["017", "1-50"]
