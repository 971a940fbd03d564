"""Links in bodies to the site's own paths (`/news/`, `/about`, a migrated archive's
`/2019/05/old-post/`): the build warns at the link's line about one that names no file it
writes, shows it as its words alone, and `sitegen check` finds the same links (as errors). A
failed build still tells every file's warnings; the summary line reads right."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.commands.check import check_site

from .conftest import NOW, make_site, news, run_build
from .test_cache import WAYS, Session

NOW_TEXT = NOW.isoformat()
POST = "content/news/2026-02-10-a.md"


def _body(site: Path, url: str) -> str:
    html = (site / "output" / url.strip("/") / "index.html").read_text(encoding="utf-8")
    return html.split('<div class="item-body">', 1)[1].split("</div>", 1)[0]


def _warnings(result) -> list[str]:
    return [warning.format() for warning in result.warnings if "goes to no page" in warning.message]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    finally:
        gc.enable()  # `sitegen build` turns the collector off for its own process
    out = capsys.readouterr()
    return code, out.out, out.err


ARCHIVE = {
    "content/news/2026-01-01-old-post.md": news("Old post", "2026-01-01", "## Notes\n\nText."),
    "content/news/2026-01-02-other.md": news("Other", "2026-01-02", aliases="[/2015/02/other.html]"),
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/media/report.pdf": "%PDF-1.4\n",
    "static/logo.png": "png",
    POST: news(
        "A",
        body="See [the old post](/2019/05/old-post/) and [othr](/news/othr/).\n\n"
        "[about](/about), [feed](/news/feed.xml), [map](/sitemap.xml), [robots](/robots.txt),\n"
        "[logo](/static/logo.png), [report](/media/report.pdf?v=2), [alias](/2015/02/other.html),\n"
        "[notes](/news/old-post/#notes), [index](/news/other/index.html?x=1&y=2), [home](/).",
    ),
}


def test_a_link_to_a_site_path_the_build_writes_nothing_at_is_a_warning_and_its_words(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", ARCHIVE)
    result = run_build(site)
    assert _warnings(result) == [
        f"{POST}:5:20: warning: the link `/2019/05/old-post/` goes to no page of this site: shown as its words alone\n"
        "    hint: did you mean `/news/old-post/`?",
        f"{POST}:5:51: warning: the link `/news/othr/` goes to no page of this site: shown as its words alone\n"
        "    hint: did you mean `/news/other/`?",
        f"{POST}:7:9: warning: the link `/about` goes to no page of this site: sent to `/about/`\n"
        "    hint: write `/about/`: a page's address ends with /",
    ]
    body = _body(site, "/news/a/")
    assert "See the old post and othr." in body  # readers meet no dead link
    assert '<a href="/about/">about</a>' in body
    for kept in ("/news/feed.xml", "/sitemap.xml", "/robots.txt", "/static/logo.png", "/media/report.pdf?v=2"):
        assert f'href="{kept}"' in body, kept  # files the build writes: as written, no warning
    for kept in ("/2015/02/other.html", "/news/old-post/#notes", "/news/other/index.html?x=1&amp;y=2", "/"):
        assert f'href="{kept}"' in body, kept


def test_sitegen_check_finds_the_same_links(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", ARCHIVE)
    built = {(w.path, w.line, w.col, w.hint) for w in run_build(site).warnings if "goes to no page" in w.message}
    checked = [p for p in check_site(site, NOW).problems if "goes to no page" in p.message]
    assert {(p.path, p.line, p.col, p.hint) for p in checked} == built
    # An error where the link leads nowhere (a pull request must not add one); a warning where
    # the build sends it to its page.
    assert [(p.line, p.severity, p.message) for p in checked] == [
        (5, "error", "the link `/2019/05/old-post/` goes to no page of this site"),
        (5, "error", "the link `/news/othr/` goes to no page of this site"),
        (7, "warning", "the link `/about` goes to no page of this site: sent to `/about/`"),
    ]


BASE_YAML = "title: T\nbase_url: https://example.org/network/\ntimezone: Europe/Brussels\n"


def test_a_link_may_be_written_with_or_without_the_base_path(tmp_path: Path) -> None:
    files = {
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
        "static/café.png": "png",
        POST: news(
            "A",
            body="[1](/news/) [2](/network/news/) [3](/network/about) [4](/static/café.png?v=1) "
            "[5](/network/nothing/#x) [6](/network)",
        ),
    }
    site = make_site(tmp_path / "s", files, BASE_YAML)
    result = run_build(site)
    assert _warnings(result) == [
        f"{POST}:5:37: warning: the link `/network/about` goes to no page of this site: sent to `/about/`\n"
        "    hint: write `/about/`: a page's address ends with /",
        f"{POST}:5:83: warning: the link `/network/nothing/#x` goes to no page of this site: shown as its words alone\n"
        "    hint: link to a page of this site (e.g. /news/), or add this address to the `aliases:` of its item",
    ]
    body = _body(site, "/news/a/")
    assert '<a href="/network/news/">1</a> <a href="/network/news/">2</a> <a href="/network/about/">3</a>' in body
    assert '<a href="/network/static/caf%C3%A9.png?v=1">4</a> 5 <a href="/network/">6</a>' in body


@pytest.mark.parametrize("way", WAYS)
def test_every_way_of_building_warns_as_a_clean_build_does(tmp_path: Path, way: str) -> None:
    """A dead site link appears, is mended by adding the page it names, and appears again when
    that page is deleted; each build's warnings and output are those of a clean build."""
    session = Session(tmp_path, way)
    warning = f"{POST}:5:10: warning: the link `/news/later/` goes to no page of this site: shown as its words alone"
    session.write(POST, news("A", body="See [it](/news/later/)."))
    session.rebuild()
    assert [w.split("\n")[0] for w in _warnings(session.result)] == [warning]
    session.edit(POST, "See", "Saw")  # the words alone: serve uses its last site, and its warnings
    session.rebuild()
    assert [w.split("\n")[0] for w in _warnings(session.result)] == [warning]
    assert session.result.assembled == (session.state is None)
    session.edit(POST, "Saw", "See")
    session.edit(POST, "/news/later/", "/news/survey/")  # an edit of the link alone (serve: its shape)
    session.rebuild()
    assert _warnings(session.result) == []
    session.edit(POST, "/news/survey/", "/news/later/")
    session.rebuild()
    assert [w.split("\n")[0] for w in _warnings(session.result)] == [warning]
    session.write("content/news/2026-02-11-later.md", news("Later", "2026-02-11"))
    session.rebuild()
    assert _warnings(session.result) == []
    assert '<a href="/network/news/later/">it</a>' in _body(session.site, "/news/a/")  # its base path
    session.delete("content/news/2026-02-11-later.md")
    session.rebuild()
    assert [w.split("\n")[0] for w in _warnings(session.result)] == [warning]
    assert "See it." in _body(session.site, "/news/a/")


def test_the_anchor_hint_lists_the_headings_ids_only(tmp_path: Path) -> None:
    files = {POST: news("A", body="[x](#zzz-qqq)\n\n## Notes\n\nText.\n\n## Votes\n\nMore.")}
    found = check_site(make_site(tmp_path / "s", files), NOW).problems
    (anchor,) = [p for p in found if "anchor" in p.message]
    assert anchor.message == "the anchor `#zzz-qqq` does not exist in /news/a/"
    assert anchor.hint == "headings' ids: notes, votes"  # not the page's skip-link target, `main`


FAILING = {
    "content/news/2026-02-10-broken.md": "---\ndate: 2026-02-10\n---\nNo title.\n",
    "content/news/2026-02-11-other.md": news("Other", "2026-02-11", "See [x](missing.md) and [y](/nowhere/)."),
}


def test_a_failed_build_tells_the_warnings_of_every_other_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", FAILING)
    code, _, err = _cli(capsys, "build", "--site", str(site), "--now", NOW_TEXT, "--no-cache")
    assert code == 1
    lines = [line for line in err.splitlines() if not line.startswith("    hint:")]
    assert lines == [
        "content/news/2026-02-10-broken.md:1:1: error: `title` is missing",
        "content/news/2026-02-11-other.md:5:9: warning: the link `missing.md` does not exist "
        "(looked for content/news/missing.md): shown as its words alone",
        "content/news/2026-02-11-other.md:5:29: warning: the link `/nowhere/` goes to no page of this site: "
        "shown as its words alone",
        "build failed: 1 error(s), 2 warning(s); output/ was left as it was",
    ]
    code, out, _ = _cli(capsys, "build", "--site", str(site), "--now", NOW_TEXT, "--no-cache", "--json")
    report = json.loads(out)
    assert report["ok"] is False and len(report["errors"]) == 1
    assert [(w["line"], w["col"]) for w in report["warnings"]] == [(5, 9), (5, 29)]


def test_a_build_failed_by_a_template_tells_the_warnings_too(tmp_path: Path) -> None:
    files = {**FAILING, "content/news/2026-02-10-broken.md": news("Fine"), "templates/item.html": "{{ nope() }}"}
    site = make_site(tmp_path / "s", files)
    with pytest.raises(Exception) as failed:
        run_build(site, cache=False)
    assert [w.col for w in failed.value.warnings] == [9, 29]  # type: ignore[attr-defined]


def test_the_summary_counts_in_plural_and_says_when_nothing_is_scheduled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = "---\ntitle: E{n}\ndate: 2026-01-0{n}\nstarts: 2026-03-0{n} 10:00\nregistration: https://example.org/r\n---\nX.\n"
    events = {f"content/events/2026-01-0{n}-e{n}.md": event.format(n=n) for n in (1, 2)}
    files = {
        **events,
        "content/news/2026-01-01-a.md": news("A", "2026-01-01"),
        "content/pages/about.md": "---\ntitle: About\n---\nX.\n",
    }
    site = make_site(tmp_path / "s", files)
    _, _, err = _cli(capsys, "build", "--site", str(site), "--now", NOW_TEXT, "--no-cache")
    assert re.search(r"^built 2 events, 1 news, 1 page: ", err, re.M), err
    assert err.rstrip().endswith("\nnext change: none scheduled"), err
    _, _, err = _cli(capsys, "build", "--site", str(site), "--now", "2026-02-01T12:00+01:00", "--no-cache")
    assert "\nnext change: 2026-03-01T10:00:00+01:00 (rebuild the site then)" in err, err


def test_a_site_yaml_that_stops_the_build_tells_its_warnings_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "s", {}, "title: T\nbase_url: https://example.org/\nper_page: many\n")
    code, _, err = _cli(capsys, "build", "--site", str(site), "--no-cache")
    assert code == 1
    assert err.splitlines() == [
        "site.yaml:3:11: error: `per_page` must be a whole number from 1 to 1,000, not `many`",
        "site.yaml:1:1: warning: no timezone set: dates without an offset are read as UTC",
        "    hint: add e.g. `timezone: Europe/Brussels`",
        "build failed: 1 error(s), 1 warning(s); output/ was left as it was",
    ]


def test_check_still_reads_the_rendered_pages_when_a_site_link_is_dead(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {POST: news("A", body="[gone](/nowhere/) and [the page's main part](#main).")})
    found = check_site(site, NOW).problems
    assert [(p.severity, p.message) for p in found] == [
        ("error", "the link `/nowhere/` goes to no page of this site")  # `#main` is the theme's: no error
    ]


def test_links_and_pictures_on_the_sites_own_host_are_checked_as_its_paths(tmp_path: Path) -> None:
    """A WordPress archive links its posts and pictures by the site's full address, with `http:`
    or `www.` as the years went: they are the site's paths, under its base path only."""
    body = (
        "[1](https://example.org/network/news/survey/) [2](http://www.example.org/network/2018/11/old-post/) "
        "[3](https://example.org/shop/) [4](https://other.org/network/x/)\n\n"
        "![A square](https://example.org/network/wp-content/uploads/a.png)\n\n"
        "![A circle](https://www.example.org/network/wp-content/uploads/b.png)\n"
    )
    files = {
        "content/news/2026-01-20-survey.md": news("Survey", "2026-01-20"),
        "content/news/2018-11-08-old-post.md": news("Old post", "2018-11-08"),
        "content/wp-content/uploads/a.png": "png",
        POST: news("A", body=body),
    }
    site = make_site(tmp_path / "s", files, BASE_YAML)
    result = run_build(site)
    told = [w.format() for w in result.warnings if w.path == POST]
    assert told == [
        f"{POST}:9:13: warning: the image `https://www.example.org/network/wp-content/uploads/b.png` is at this "
        "site's own address, where the build publishes no content/wp-content/uploads/b.png: shown from the old "
        "address while it answers\n"
        "    hint: download the picture into content/ (beside this file, or into content/media/) and name it there",
        f"{POST}:5:51: warning: the link `http://www.example.org/network/2018/11/old-post/` goes to no page of this "
        "site: kept as written, for whatever else answers at this site's address\n"
        "    hint: did you mean `/news/old-post/`?",
    ]
    body_html = _body(site, "/news/a/")
    for kept in ("https://example.org/network/news/survey/", "http://www.example.org/network/2018/11/old-post/"):
        assert f'href="{kept}"' in body_html
    assert 'href="https://example.org/shop/"' in body_html and 'href="https://other.org/network/x/"' in body_html
    assert '<img src="/network/wp-content/uploads/a.png" alt="A square">' in body_html  # the file of content/
    assert '<img src="https://www.example.org/network/wp-content/uploads/b.png" alt="A circle">' in body_html


def test_a_dead_link_ending_in_a_number_is_offered_no_listing_page(tmp_path: Path) -> None:
    """`/data/443` shares its last part with `/news/page/443/` only by chance."""
    posts = {f"content/news/2026-01-{day:02d}-p{day}.md": news(f"P{day}", f"2026-01-{day:02d}") for day in range(1, 25)}
    site = make_site(tmp_path / "s", {**posts, POST: news("A", body="[x](/data/3)")})
    (warning,) = _warnings(run_build(site))
    assert warning.endswith(
        "hint: link to a page of this site (e.g. /news/), or add this address to the `aliases:` of its item"
    )
