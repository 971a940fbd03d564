"""Finding 11: values that used to end in a traceback or a silent misreading. Each is now an
error at its file and line with a hint, or a value that works."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from sitegen.content.config import load_config

from ..conftest import SITE_YAML, build_errors, make_site, news, run_build

EVENT = "---\ntitle: {title}\ndate: 2026-01-10\nstarts: {starts}\ntags: [{tags}]\nprogramme: echoes\n---\nText.\n"


def event(title: str = "Event", starts: str = "2026-12-01 10:00", tags: str = "AI") -> str:
    return EVENT.format(title=title, starts=starts, tags=tags)


def programme(title: str = "ECHOES") -> str:
    return f"---\ntitle: {title}\n---\nA programme.\n"


def test_line_breaks_in_one_line_fields_become_spaces(tmp_path: Path) -> None:
    """A title over two lines (`title: |`), a tag, a programme's and the site's title: each
    reaches pages, feeds and calendars as one line."""
    files = {
        "content/events/e.md": event(title="|\n  Line one\n  Line two", tags='"AI\\nand art", Policy'),
        "content/programmes/echoes.md": programme('"ECHOES\\r\\nproject"'),
    }
    site = make_site(tmp_path / "s", files, SITE_YAML.replace("Test Network", '"Test\\nNetwork"'))
    run_build(site)
    output = site / "output"
    calendar = vobject.readOne((output / "events/e/event.ics").read_text(encoding="utf-8"))
    assert (calendar.x_wr_calname.value, calendar.vevent.summary.value) == ("Line one Line two",) * 2
    assert [name for line in calendar.vevent.categories_list for name in line.value] == ["AI and art", "Policy"]
    assert (output / "tags/ai-and-art/calendar.ics").is_file()
    programme_calendar = (output / "programmes/echoes/calendar.ics").read_text(encoding="utf-8")
    assert "X-WR-CALNAME:ECHOES project events – Test Network" in programme_calendar
    assert "<title>Line one Line two – Test Network</title>" in (output / "events/e/index.html").read_text()


@pytest.mark.parametrize(
    ("front_matter", "where", "message"),
    [
        ('title: "a\\vb"', 2, "`title` holds the invisible control character U+000B"),
        ('summary: "x\\0y"', 4, "`summary` holds the invisible control character U+0000"),
        ('summary: "x\\x1b[31m red"', 4, "`summary` holds the invisible control character U+001B"),
        ('summary: "\\x85 next line"', 4, "`summary` holds the invisible control character U+0085"),
        ('summary: "not a character: \\ufffe"', 4, "`summary` holds the invisible control character U+FFFE"),
        ('tags: [ok, "b\\0"]', 4, "`tags` entry 2 holds the invisible control character U+0000"),
        ('image: {src: a.png, alt: "x\\x07"}', 4, "`image` `alt` holds the invisible control character U+0007"),
    ],
)
def test_control_characters_from_yaml_escapes_are_errors_at_their_line(
    tmp_path: Path, front_matter: str, where: int, message: str
) -> None:
    keys = ["title: T", "date: 2026-01-10", front_matter]
    if front_matter.startswith("title"):
        keys = [front_matter, "date: 2026-01-10"]
    text = "---\n" + "\n".join(keys) + "\n---\nText.\n"
    site = make_site(tmp_path / "s", {"content/news/n.md": text, "content/news/a.png": b"png"})
    errors = build_errors(site)
    lines = [error.split(":")[1] for error in errors]
    assert any(message in error for error in errors), errors
    assert str(where) in lines and all("hint: remove it" in error for error in errors)


def test_a_number_too_long_for_python_is_text_or_an_error(tmp_path: Path) -> None:
    digits = "9" * 5000
    site = make_site(tmp_path / "s", {"content/news/n.md": news(title=digits)})
    run_build(site)
    assert digits in (site / "output/news/n/index.html").read_text()
    site = make_site(tmp_path / "t", {"content/news/n.md": news()}, SITE_YAML + f"per_page: {digits}\n")
    (error,) = build_errors(site)
    assert error == "site.yaml:4:11: error: `per_page` must be a whole number from 1 to 1,000, not a longer one"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("closing_soon_days: 99999999999", "4:20: error: `closing_soon_days` must be a number of days from 1 to 365"),
        ("call_reminder_days: -1", "4:21: error: `call_reminder_days` must be a number of days from 0 to 365"),
        ("feed_items: 99999999999999999999999", "4:13: error: `feed_items` must be a whole number from 1 to 10,000"),
        ("per_page: 0", "4:11: error: `per_page` must be a whole number from 1 to 1,000, not `0`"),
        ("~: x", "4:1: error: `~` is not a key name"),
        ("1: x", "4:1: error: `1` is not a key name"),
        ("html: {allow_attributes: [iframe]}", "4:26: error: `html.allow_attributes` must map each tag to a list"),
        ("html: {allow_tags: iframe}", "4:20: error: `html.allow_tags` must be a list of tag names"),
        ("html: {allow_tags: [ok, 'no tag']}", "4:25: error: `html.allow_tags` has `no tag`, which is not an HTML tag"),
        ("html: {sanitize: 'false'}", "4:18: error: `html.sanitize` must be true or false, not text"),
        ("html: {allow_attributes: {iframe: src}}", "4:35: error: `html.allow_attributes` must give a list"),
        ("html: {}", "4:7: error: `html` must be a mapping with sanitize, allow_tags or allow_attributes"),
        ("tags: [ok, [nested]]", "4:12: error: `tags` must be a list of text; entry 2 is a list"),
        ("title: '  '", "3:8: error: `title` must not be empty"),
        ("contact_email: 'a@b.org?cc=x@evil.org'", "4:16: error: `contact_email` must be an email address"),
    ],
)
def test_site_settings_of_the_wrong_size_or_shape_are_errors_at_their_line(
    tmp_path: Path, setting: str, message: str
) -> None:
    yaml = SITE_YAML.replace("title: Test Network\n", "") if setting.startswith("title:") else SITE_YAML
    site = make_site(tmp_path / "s", {"content/news/n.md": news()}, yaml + setting + "\n")
    errors = build_errors(site)
    assert any(error.startswith("site.yaml:" + message) for error in errors), errors


def test_a_list_of_html_tags_is_read_as_names_not_letters(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {"content/news/n.md": news()},
        SITE_YAML + "html: {allow_tags: [IFrame], allow_attributes: {iframe: [src, title]}, sanitize: true}\n",
    )
    config = load_config(site)[0]
    assert (config.html.extra_tags, config.html.extra_attributes) == (("iframe",), (("iframe", ("src", "title")),))


@pytest.mark.parametrize("starts", ["0001-01-01", "9999-12-31 23:00", "0999-12-31"])
def test_dates_at_the_ends_of_time_are_errors_at_their_line(tmp_path: Path, starts: str) -> None:
    files = {"content/events/e.md": event(starts=starts), "content/programmes/echoes.md": programme()}
    site = make_site(tmp_path / "s", files)
    (error,) = build_errors(site)
    assert error.startswith("content/events/e.md:4:9: error: `starts` must be a date between the years 1000 and 9000")
    assert "hint: check the year" in error


def test_dates_far_but_inside_the_range_build(tmp_path: Path) -> None:
    files = {
        "content/events/e.md": event(starts="1000-01-01"),
        "content/events/f.md": event(title="F", starts="9000-12-31 23:00"),
        "content/programmes/echoes.md": programme(),
    }
    run_build(make_site(tmp_path / "s", files))
