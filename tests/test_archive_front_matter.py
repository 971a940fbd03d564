"""Front matter moved in from WordPress, Jekyll and Hugo, and the slips editors make in it: each
is either read as the old site showed it, or told at its line with the fix in the editor's
words; none is published wrong in silence."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from .conftest import SITE_YAML, build_errors, make_site, run_build

NEWS = "content/news/2026-01-10-a.md"
EVENT = "content/events/2026-01-10-e.md"


def _news(front: str) -> str:
    return f"---\ntitle: A\ndate: 2026-01-10\n{front}---\nBody.\n"


def _event(front: str, date: str = "2026-01-10") -> str:
    return f"---\ntitle: E\ndate: {date}\n{front}registration: https://example.org/r\n---\nBody.\n"


def _errors(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    return build_errors(make_site(tmp_path / "s", files))


def _one_error(tmp_path: Path, files: dict[str, str | bytes]) -> str:
    (error,) = _errors(tmp_path, files)
    return error


# 1. A number where a date or a list is meant is named as one, with what to write.


def test_a_time_alone_is_told_with_the_events_own_date(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {EVENT: _event("starts: 2026-07-05 10:00\nends: 16:30\n")})
    assert error == (
        f"{EVENT}:5:7: error: `ends` must be a date and time, not the time `16:30` alone\n"
        "    hint: write the date too: `ends: 2026-07-05 16:30`"
    )


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "tags: 2026\n",
            "4:7: error: `tags` must be a list, not a number\n    hint: write a list in square brackets: [2026]",
        ),
        (
            "updated: 1557835200\n",
            "4:10: error: `updated` must be a date, not the number 1557835200\n    hint: 1557835200 looks like a "
            "Unix time (seconds since 1970), which is 2019-05-14 14:00 here: write `updated: 2019-05-14 14:00`",
        ),
    ],
)
def test_a_number_is_named_a_number(tmp_path: Path, front: str, expected: str) -> None:
    assert _one_error(tmp_path, {NEWS: _news(front)}) == f"{NEWS}:{expected}"


# 2. and 3. Times with a range or an offset.


@pytest.mark.parametrize("written", ["10:00-12:00", "10:00 - 12:00", "10:00\u201312:00", "10:00 to 12:00"])
def test_a_time_range_is_refused_not_read_as_a_time_zone(tmp_path: Path, written: str) -> None:
    error = _one_error(tmp_path, {EVENT: _event(f"starts: 2026-07-14 {written}\n")})
    shown = written.replace(" to ", "to").replace(" - ", "-")
    assert error == (
        f"{EVENT}:4:9: error: `starts` must be one date and time, not the time range {shown}\n"
        "    hint: write `starts: 2026-07-14 10:00` and `ends: 2026-07-14 12:00`"
    )


def test_an_offset_that_is_the_zones_own_is_an_offset(tmp_path: Path) -> None:
    front = "starts: 2026-07-14 10:00-04:00\nends: 2026-07-14 12:00\ntimezone: America/New_York\n"
    site = make_site(tmp_path / "s", {EVENT: _event(front)})
    assert run_build(site).warnings == []
    page = (site / "output/events/e/index.html").read_text(encoding="utf-8")
    assert "14 July 2026, 10:00\u201312:00 EDT" in page


def test_an_offset_that_is_not_the_zones_is_a_warning_naming_the_time_shown(tmp_path: Path) -> None:
    front = "starts: 2026-07-13T10:00:00+01:00\nends: 2026-07-13 12:00\ntimezone: Europe/Brussels\n"
    site = make_site(tmp_path / "s", {EVENT: _event(front)})
    (warning,) = run_build(site).warnings
    assert warning.format() == (
        f"{EVENT}:4:9: warning: +01:00 is not Europe/Brussels's offset on that day (+02:00): shown as 11:00 CEST\n"
        "    hint: remove the +01:00: `timezone` says where the event happens"
    )
    page = (site / "output/events/e/index.html").read_text(encoding="utf-8")
    assert "13 July 2026, 11:00\u201312:00 CEST" in page  # the moment written, in the event's zone


# 4. An event announced after it starts.


def test_an_event_dated_after_it_starts_is_a_warning_at_its_date(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {EVENT: _event("starts: 2026-07-05 10:00\n", date="2026-08-01")})
    (warning,) = run_build(site).warnings
    assert warning.format() == (
        f"{EVENT}:3:7: warning: the event is published on 2026-08-01, after it starts (2026-07-05 10:00): "
        "it stays off the site until then\n"
        "    hint: `date` is when it is announced: set it before `starts` (line 4)"
    )


# 5. Character references, as WordPress exports write text.


def test_character_references_are_the_characters_the_old_site_showed(tmp_path: Path) -> None:
    front = (
        'summary: "A **bold** claim &hellip;"\ntags: ["R&amp;D"]\n'
        'image: {src: p.png, alt: "Caf&eacute; AT&T &ampx", caption: "&#x201C;Hi&#x201D;", credit: "M&amp;S"}\n'
    )
    title = 'title: "Director&#8217;s report &#8211; 2019 &amp; beyond"\n'
    files = {NEWS: _news(front).replace("title: A\n", title), "content/news/p.png": b"\x89PNG\r\n\x1a\n"}
    site = make_site(tmp_path / "s", files)
    run_build(site)
    output = site / "output"
    page = lxml.html.fromstring((output / "news/a/index.html").read_bytes())
    assert page.findtext(".//h1") == "Director\u2019s report \u2013 2019 & beyond"
    assert page.find(".//figure//img").get("alt") == "Caf\u00e9 AT&T &ampx"  # only whole references
    assert page.find(".//figcaption").text_content() == "\u201cHi\u201d Photo: M&S"
    ld = json.loads(page.find('.//script[@type="application/ld+json"]').text)
    assert ld["headline"] == "Director\u2019s report \u2013 2019 & beyond"
    feed = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert (feed["title"], feed["summary"]) == (
        "Director\u2019s report \u2013 2019 & beyond",
        "A **bold** claim \u2026",
    )
    tag = lxml.html.fromstring((output / "tags/r-and-d/index.html").read_bytes())
    assert tag.findtext(".//h1") == "Tagged \u201cR&D\u201d"


def test_character_references_in_a_place_are_decoded(tmp_path: Path) -> None:
    front = "starts: 2026-07-05 10:00\nlocation: {name: Caf&eacute; &amp; Bar, city: Li&egrave;ge}\n"
    site = make_site(tmp_path / "s", {EVENT: _event(front)})
    run_build(site)
    assert "LOCATION:Caf\u00e9 & Bar\\, Li\u00e8ge" in (site / "output/events/e/event.ics").read_text(encoding="utf-8")


# 6. Keys other generators write.


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        (
            "published: false",
            "write `draft: true` (sitegen's word; `published: false` would otherwise be dropped and the post "
            "published)",
        ),
        ("published: true", "remove the line: sitegen publishes every item that has no `draft: true`"),
        (
            "permalink: /2019/05/wp-keys/",
            "to keep the old address working, write `aliases: [/2019/05/wp-keys/]`; to choose the new one, `slug:`",
        ),
        ("excerpt: Short.", "write `summary:` instead (sitegen's word for it)"),
        ("description: Short.", "write `summary:` instead (sitegen's word for it)"),
        ("lastmod: 2019-06-01", "write `updated:` instead (sitegen's word for it)"),
        ("modified: 2019-06-01", "write `updated:` instead (sitegen's word for it)"),
        ("categories: [Museums]", "write `tags:` instead (sitegen's word for it)"),
        ("featured_image: p.jpg", 'write `image: {src: p.jpg, alt: "what the picture shows"}`'),
        ("thumbnail: p.jpg", 'write `image: {src: p.jpg, alt: "what the picture shows"}`'),
        ("cover: p.jpg", 'write `image: {src: p.jpg, alt: "what the picture shows"}`'),
        ('coverImage: "images/p.jpg"', 'write `image: {src: images/p.jpg, alt: "what the picture shows"}`'),
        ("images: [/img/p.jpg, /img/q.jpg]", 'write `image: {src: /img/p.jpg, alt: "what the picture shows"}`'),
        ("redirect_from: [/old/]", "write `aliases:` instead (sitegen's word for it)"),
        ("dsq_thread_id: 123", "sitegen has no `dsq_thread_id` setting: the line can go"),
        (
            "url: /2019/05/old/",
            "to keep the old address working, write `aliases: [/2019/05/old/]`; to choose the new one, `slug:`",
        ),
        ("publishDate: 2019-05-07", "write `date:` instead (sitegen's word for it)"),
        ("keywords: [museums]", "write `tags:` instead (sitegen's word for it)"),
        (
            "expiryDate: 2020-01-01",
            "sitegen has no expiry date: remove the file (or set `draft: true`) when it should go",
        ),
        ("toc: true", "write [[toc]] in the body where the table of contents goes; the line can go"),
        (
            "password: secret",
            "sitegen publishes every page for anyone to read: remove the line, and the text if it is private",
        ),
        ("author: Ann", "sitegen has no `author` setting: the line can go"),
        ("layout: post", "sitegen has no `layout` setting: the line can go"),
        ("weight: 3", "sitegen has no `weight` setting: the line can go"),
        (
            "status: publish",
            "`status: publish` is WordPress's: remove the line (use `draft: true` to hold a post back)",
        ),
    ],
)
def test_a_key_from_another_generator_is_an_error_naming_sitegens(tmp_path: Path, line: str, hint: str) -> None:
    key = line.split(":")[0]
    error = _one_error(tmp_path, {NEWS: _news(line + "\n")})
    assert error == f"{NEWS}:4:1: error: unknown key `{key}` in a news item\n    hint: {hint}"


def test_categories_beside_tags_are_merged_into_them(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: _news("tags: [a]\ncategories: [b]\n")})
    assert error.endswith("hint: sitegen has tags alone: move these entries into `tags:` on line 4")


def test_a_wordpress_status_on_an_event_is_named(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {EVENT: _event("starts: 2026-07-05 10:00\nstatus: publish\n")})
    assert error == (
        f"{EVENT}:5:9: error: unknown status `publish`\n"
        "    hint: `status: publish` is WordPress's: remove the line (use `draft: true` to hold a post back)"
    )


# 7. Files as Jekyll and Hugo name and write them.


def test_a_post_without_date_is_told_its_file_names_date(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {"content/news/2019-05-07-nodate.md": "---\ntitle: T\n---\nB.\n"})
    assert error == (
        "content/news/2019-05-07-nodate.md:1:1: error: `date` is missing\n"
        "    hint: add `date: 2019-05-07` (the file name's date)"
    )


def test_hugos_section_page_is_named(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {"content/news/_index.md": "---\ntitle: News\n---\nIntro.\n"})
    assert error == (
        "content/news/_index.md:1:1: error: `_index.md` is Hugo's section page: sitegen makes each section's "
        "page itself\n    hint: remove the file; to keep its text, move it to content/pages/ under a name of its own"
    )


def test_toml_front_matter_is_named_with_its_first_line_in_yaml(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: '+++\ntitle = "Hugo TOML"\ndate = 2019-05-09\n+++\nB.\n'})
    assert error == (
        f"{NEWS}:1:1: error: the front matter is TOML (between +++ lines), as Hugo writes it; sitegen reads YAML "
        "between --- lines\n    hint: write --- for each +++, and `key: value` for `key = value`: "
        '`title = "Hugo TOML"` becomes `title: "Hugo TOML"`'
    )


# 8. Values that start with a sign of YAML's own.


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "summary: #1 priority",
            "4:10: error: `summary` is left empty: YAML reads a `#` after the colon as the start of a comment\n"
            '    hint: put the whole value in quotes: summary: "#1 priority"',
        ),
        (
            "summary: We are #1 again",
            "4:17: error: `summary` stops before the `#`: YAML reads a `#` after a space as the start of a comment\n"
            '    hint: put the whole value in quotes: summary: "We are #1 again"',
        ),
        (
            "tags: [#museum, #ai]",
            "4:7: error: YAML syntax error: the [ opened here is never closed: YAML reads `#museum, #ai]` as a "
            'comment\n    hint: put the entries in quotes: tags: ["#museum", "#ai"] '
            "(or drop the #: tags: [museum, ai])",
        ),
        (
            "summary: 'Twas a good year",
            "4:10: error: YAML syntax error: the quote ' opened here is never closed\n"
            '    hint: a value that starts with an apostrophe must be in double quotes: summary: "\'Twas a good year"',
        ),
        (
            "summary: &Co news",
            "4:10: error: YAML reads `&Co` at the start of a value as a label, and leaves it out of the value\n"
            '    hint: put the value in quotes: summary: "&Co news"',
        ),
    ],
)
def test_a_value_cut_by_a_sign_is_told_with_the_quoted_fix(tmp_path: Path, line: str, expected: str) -> None:
    assert _one_error(tmp_path, {NEWS: _news(line + "\n")}) == f"{NEWS}:{expected}"


@pytest.mark.parametrize("sign", ["@", "`", "*", "!", "%", "|", ">"])
def test_a_value_starting_with_a_sign_is_told_to_be_quoted(tmp_path: Path, sign: str) -> None:
    error = _one_error(tmp_path, {NEWS: _news(f"summary: {sign}home x\n")})
    named = "a backtick (`)" if sign == "`" else f"`{sign}`"
    assert error.startswith(f"{NEWS}:4:")
    assert f"error: YAML syntax error: a value cannot start with {named} unless it is in quotes" in error
    assert error.endswith(f'hint: write summary: "{sign}home x"')


def test_a_comment_after_a_value_is_still_a_comment(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {NEWS: _news("summary: Short  # shown in listings\ntags:  # none yet\n")})
    assert run_build(site).warnings == []


# 9. Tags as exports write them.


def test_empty_tags_and_aliases_are_none(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {NEWS: _news("tags:\naliases:\n")})
    run_build(site)
    page = lxml.html.fromstring((site / "output/news/a/index.html").read_bytes())
    assert page.findtext(".//h1") == "A" and not page.xpath('//*[@rel="tag"]')


def test_tags_split_at_spaces_are_shown_as_a_list_or_one_tag(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: _news("tags: museum digital\n")})
    assert error == (
        f"{NEWS}:4:7: error: `tags` must be a list, not text\n"
        "    hint: write a list in square brackets: [museum, digital] (or [museum digital] for one tag)"
    )


# 10. and 11.


def test_a_latin1_byte_after_a_bom_is_told_at_its_own_place(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf---\ntitle: Caf\xe9 des mus\xe9es\ndate: 2026-01-06\n---\nB.\n"
    error = _one_error(tmp_path, {NEWS: data})
    assert error.startswith(f"{NEWS}:2:11: error: the file is not UTF-8 text (byte 0xe9, probably `\u00e9` saved")


def test_an_event_status_may_be_written_in_any_case(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {EVENT: _event("starts: 2026-07-05 10:00\nstatus: Cancelled\n")})
    run_build(site)
    page = (site / "output/events/e/index.html").read_text(encoding="utf-8")
    assert re.search(r"[Cc]ancelled", page)
    assert "STATUS:CANCELLED" in (site / "output/events/e/event.ics").read_text(encoding="utf-8")


def test_a_comment_after_a_date_or_a_flag_and_labels_inside_block_text_are_read_as_written(tmp_path: Path) -> None:
    """`# tbc` after a date is a comment the editor meant; `&#8220;` inside `summary: |` is text."""
    text = (
        "---\ntitle: A\ndate: 2026-02-10 #tbc\ndraft: false #wip\nsummary: |\n"
        "  Update: &#8220;Open call&#8221; now live\n---\nB.\n"
    )
    site = make_site(tmp_path / "s", {"content/news/2026-02-10-a.md": text})
    run_build(site)
    page = (site / "output/news/a/index.html").read_text(encoding="utf-8")
    assert "Update: “Open call” now live" in page


# 12. Times as Ruby writes them (Jekyll and its importers), and titles YAML reads as comments.


def _news_dated(date: str) -> str:
    return f"---\ntitle: A\ndate: {date}\n---\nBody.\n"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2019-05-07 10:00:00 +0200", "2019-05-07T08:00:00+00:00"),
        ("2013-05-01 09:42:43 UTC", "2013-05-01T09:42:43+00:00"),
        ("2013-05-01 09:42:43 GMT", "2013-05-01T09:42:43+00:00"),
    ],
)
def test_a_ruby_time_with_its_offset_or_utc_is_the_moment_written(tmp_path: Path, written: str, shown: str) -> None:
    site = make_site(tmp_path / "s", {NEWS: _news_dated(written)})
    assert run_build(site).warnings == []
    page = lxml.html.fromstring((site / "output/news/a/index.html").read_bytes())
    written_moment = datetime.fromisoformat(page.xpath("//article//time/@datetime")[0])
    assert written_moment == datetime.fromisoformat(shown)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "2013-05-01 09:42 CEST",
            "`date` must be a date and time with a number for its offset, not the zone name `CEST`\n"
            "    hint: leave `CEST` out: the time is then Europe/Brussels's, the item's zone (set `timezone:` for "
            "another); or write its offset as a number, e.g. Europe/Brussels's that day: `2013-05-01 09:42 +02:00`",
        ),
        (
            "2013-01-07 09:42 EST",
            "`date` must be a date and time with a number for its offset, not the zone name `EST`\n"
            "    hint: leave `EST` out: the time is then Europe/Brussels's, the item's zone (set `timezone:` for "
            "another); or write its offset as a number, e.g. Europe/Brussels's that day: `2013-01-07 09:42 +01:00`",
        ),
        (
            "2026-02-30 10:00 UTC",
            "`date` must be a date, not `2026-02-30 10:00 UTC` (day is out of range for month)\n"
            "    hint: write a date as 2026-02-10, or a date and time as 2026-02-10 14:30",
        ),
        (
            "2013-05-01 09:42 pm",
            "`date` must be a time on the 24-hour clock, not `09:42 pm`\n    hint: write `2013-05-01 21:42`",
        ),
        (
            "2013-05-01 12:15 AM",
            "`date` must be a time on the 24-hour clock, not `12:15 AM`\n    hint: write `2013-05-01 00:15`",
        ),
    ],
)
def test_a_zone_name_or_12_hour_time_is_told_with_what_to_write(tmp_path: Path, written: str, expected: str) -> None:
    assert _one_error(tmp_path, {NEWS: _news_dated(written)}) == f"{NEWS}:3:7: error: {expected}"


def test_a_title_that_yaml_reads_as_a_comment_is_told_to_be_quoted(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: "---\ntitle: # Heading\ndate: 2026-01-10\n---\nBody.\n"})
    assert error == (
        f"{NEWS}:2:7: error: `title` must be text, not nothing\n"
        "    hint: YAML reads what follows ` #` as a comment, so nothing is left: put the value in quotes, "
        '`title: "# Heading"`'
    )


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("7 May 2019", "write `2019-05-07`"),
        ("May 7, 2019", "write `2019-05-07`"),
        ("07.05.2019", "write `2019-05-07`"),
        ("2019/05/07", "write `2019-05-07`"),
        ("13/05/2019", "write `2019-05-13`"),
        ("07/05/2019", "write `2019-05-07` if the day comes first, or `2019-07-05` if the month does"),
    ],
)
def test_a_date_as_people_write_it_is_told_as_sitegen_reads_it(tmp_path: Path, written: str, hint: str) -> None:
    error = _one_error(tmp_path, {NEWS: _news_dated(written)})
    assert error == f"{NEWS}:3:7: error: `date` must be a date, not `{written}`\n    hint: {hint}"


def test_a_post_type_from_jekyll_or_hugo_is_told_the_line_can_go(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: _news("type: post\n")})
    told = "error: `type` must be a content type, not `post`\n    hint: the line can go: the folder gives the type"
    assert error == f"{NEWS}:4:7: {told}"


@pytest.mark.parametrize("ending", [".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown"])
def test_jekylls_other_markdown_endings_are_markdown_files(tmp_path: Path, ending: str) -> None:
    files = {
        f"content/news/2019-05-08-post{ending}": "---\ntitle: A\ndate: 2019-05-08\n---\n"
        "See [the other post](2019-05-09-other.md).\n",
        "content/news/2019-05-09-other.md": "---\ntitle: B\ndate: 2019-05-09\n---\nB.\n",
    }
    site = make_site(tmp_path / "s", files)
    assert run_build(site).warnings == []
    page = lxml.html.fromstring((site / "output/news/post/index.html").read_bytes())
    assert page.xpath('//a[text()="the other post"]/@href') == ["/news/other/"]
    assert not list((site / "output").rglob(f"*{ending}"))  # never published as written


@pytest.mark.parametrize("site_yaml", ["", "html_assets: true\n"])
def test_an_imported_html_post_with_front_matter_is_told_to_be_renamed(tmp_path: Path, site_yaml: str) -> None:
    post = "content/news/2019-05-07-imported.html"
    files = {post: "---\nlayout: post\ntitle: Imported\nauthor_email: ann@example.org\n---\n<p>Hello</p>\n"}
    error = _one_error(tmp_path, {**files, "site.yaml": SITE_YAML + site_yaml})
    assert error == (
        f"{post}:1:1: error: this HTML file opens with front matter, as the posts jekyll-import writes do: "
        "it would be published as written\n"
        "    hint: rename it to .md: a Markdown file may hold HTML, which becomes the item's page "
        "(cleaned, as any body)"
    )


def test_a_value_yaml_reads_as_a_comment_keeps_its_own_hint_when_it_is_no_text(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: "---\ntitle: A\ndate: # 2026-01-10\n---\nBody.\n"})
    assert error == (
        f"{NEWS}:3:6: error: `date` must be a date, not nothing\n"
        "    hint: YAML reads what follows ` #` as a comment, so nothing is left: remove the `#` if the rest is the "
        "value; write a date as 2026-02-10, or a date and time as 2026-02-10 14:30"
    )


def test_a_flag_named_like_a_picture_is_no_picture(tmp_path: Path) -> None:
    error = _one_error(tmp_path, {NEWS: _news("featured: true\n")})
    assert "image:" not in error and error.startswith(f"{NEWS}:4:1: error: unknown key `featured`")
