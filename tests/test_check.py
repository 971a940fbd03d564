"""sitegen check: every problem in one run, at its file, line and column, without writing."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sitegen.commands.check import _calendar_problem, _feed_problem, check_site, github
from sitegen.commands.linkcheck import check_links
from sitegen.errors import SourceError

from .conftest import NOW, SITE_YAML, make_site, news
from .test_invalid_sites import CASES, INVALID_DIR


def sitegen_check(site: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sitegen", "check", "--site", str(site), *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)


def problems(site: Path) -> list[str]:
    return [problem.format() for problem in check_site(site, NOW).problems]


@pytest.mark.parametrize("case", CASES)
def test_check_finds_what_the_build_rejects(case: str) -> None:
    result = sitegen_check(INVALID_DIR / case)
    assert result.returncode == 1
    for line in (INVALID_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        assert line in result.stderr
    assert not (INVALID_DIR / case / "output").exists()


ANCHORS = {
    "content/news/2026-02-10-board.md": news(
        "Board",
        body="See [the decisions](2026-02-11-minutes.md#decisions) and [votes](2026-02-11-minutes.md#vote).\n\n"
        "Back to [the top](#top-of-page) or [the notes](#notes).\n\n## Notes\n\nText.",
    ),
    "content/news/2026-02-11-minutes.md": news("Minutes", body="## Decisions\n\nSome.\n\n## Votes\n\nMany."),
}


def test_anchors_must_exist_in_the_target_page(tmp_path: Path) -> None:
    found = check_site(make_site(tmp_path / "s", ANCHORS), NOW).problems
    board = "content/news/2026-02-10-board.md"
    assert [(p.path, p.line, p.col, p.message) for p in found] == [
        (board, 5, 66, "the anchor `#vote` does not exist in /news/minutes/"),
        (board, 7, 19, "the anchor `#top-of-page` does not exist in /news/board/"),
    ]
    assert found[0].hint == "did you mean `#votes`?"
    assert "notes" in found[1].hint or "main" in found[1].hint  # names ids the page has


def test_links_to_site_pages_must_exist(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {"content/news/2026-02-10-a.md": news("A", body="The [news](/news/), [tags](/tags/) and [calls](/cals/).")},
    )
    assert problems(site) == [
        "content/news/2026-02-10-a.md:5:48: error: the link `/cals/` goes to no page of this site\n"
        "    hint: did you mean `/calls/`?"
    ]


def test_images_without_alt_text_and_tags_outside_the_vocabulary_are_warnings(tmp_path: Path) -> None:
    files = {
        "content/news/2026-02-10-a.md": news("A", tags="[Acessibility, Policy]", body="![](chart.svg)\n"),
        "content/news/chart.svg": "<svg/>",
    }
    site = make_site(tmp_path / "s", files, SITE_YAML + "tags: [Accessibility, Policy, AI]\n")
    found = check_site(site, NOW).problems
    assert [(p.line, p.severity, p.message, p.hint) for p in found if "tag" in p.message] == [
        (4, "warning", "the tag `Acessibility` is not in site.yaml's tags", "did you mean `Accessibility`?")
    ]
    # Said once, by the build's own warning or by check's.
    assert [(p.line, p.severity) for p in found if "alt text" in p.message] == [(6, "warning")]
    result = sitegen_check(site)
    assert result.returncode == 0 and "0 error(s), 2 warning(s)" in result.stderr


def test_drafts_and_control_characters(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-02-10-a.md": news("A", draft="true", body="See [the minutes](gone.md)."),
            "content/news/2026-02-11-b.md": news("B", body="Pasted\x0btext."),
        },
    )
    problems = [p.format() for p in check_site(site, NOW).problems]
    assert problems == [
        "content/news/2026-02-10-a.md:6:19: warning: the link `gone.md` does not exist "
        "(looked for content/news/gone.md): shown as its words alone\n"
        "    hint: check the file name; a path is relative to this file, or from content/ if it starts with /",
        "content/news/2026-02-11-b.md:5:7: warning: the invisible control character U+000B is shown as a space\n"
        "    hint: replace it with a space or a line break (it is a word processor's line or page break)",
    ]
    assert not (site / "output").exists()


def test_a_control_character_in_the_front_matter_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/news/2026-02-11-b.md": news("B\x0c")})
    problem = check_site(site, NOW).problems[0]
    assert (problem.severity, problem.line, problem.col, problem.message) == (
        "error",
        2,
        9,
        "the invisible control character U+000C cannot be published",
    )


def test_github_annotations(tmp_path: Path) -> None:
    error = SourceError("content/news/a,b.md", 3, 7, "50% wrong\nreally", "fix: it")
    assert github(error) == "::error file=content/news/a%2Cb.md,line=3,col=7::50%25 wrong%0Areally (hint: fix: it)"
    site = make_site(tmp_path / "s", {"content/news/2026-02-10-a.md": news("A", tags="Policy")})
    result = sitegen_check(site, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=content/news/2026-02-10-a.md,line=4,col=7::`tags` must be a list")


def test_feeds_and_calendars_are_read_back() -> None:
    assert _feed_problem(b"<rss><channel><title>x</title></channel>", "rss").startswith("not well-formed")
    assert _feed_problem(b"<rss><channel><title>x</title></channel></rss>", "rss") == "missing link, description"
    assert _feed_problem(b'{"version": 1, "title": "t", "items": [{}]}', "json") == "missing items[0].id"
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><id>i</id><title>t</title><updated>u</updated>'
    missing = "missing entry 1: title, entry 1: updated"
    assert _feed_problem(atom + b"<entry><id>e</id></entry></feed>", "atom") == missing
    assert _calendar_problem(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    # The minimal site's about page shows that a body's script is removed: the editor is told.
    problems = check_site(Path(__file__).parent / "sites/minimal", NOW).problems
    assert [(p.severity, p.line, p.message) for p in problems] == [
        ("warning", 6, "the <script> element is removed from the page: the site does not allow it in a body"),
        ("warning", 7, "the attribute `onclick` of <p> is removed from the page"),
    ]


class _Links(BaseHTTPRequestHandler):
    active = 0
    most = 0
    asked: ClassVar[list[str]] = []
    lock = threading.Lock()

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        self._think()
        status = {"/missing": 404, "/down": 503}.get(self.path, 200)
        if self.path == "/no-head" and head:
            status = 405
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if not head:
            self.wfile.write(b"ok")

    def _think(self) -> None:
        """A request is in flight from its arrival until its answer starts: counted down before
        the answer is sent, else the client's next request can arrive first (seen on a loaded
        machine: 4 in flight with 3 workers)."""
        cls = type(self)
        # The /slow request outlives the client's timeout: the client has moved on while this
        # server still sleeps, so it is left out of the count of requests in flight at once.
        counted = self.path != "/slow"
        with cls.lock:
            cls.active += counted
            cls.most = max(cls.most, cls.active)
            cls.asked.append(f"{self.command} {self.path}")
        try:
            time.sleep(3.0 if self.path == "/slow" else 0.05)  # /slow: far past the client's 1 s
        finally:
            with cls.lock:
                cls.active -= counted

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def link_server() -> Iterator[str]:
    _Links.active = _Links.most = 0  # counts of this test's requests only
    _Links.asked.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_links_with_bounded_concurrency_and_timeouts(link_server: str) -> None:
    paths = ["ok", "missing", "down", "slow", "no-head", "moved"] + [f"ok?{n}" for n in range(10)]
    urls = {f"{link_server}/{path}": [("content/news/a.md", n + 1, 3)] for n, path in enumerate(paths)}
    urls[f"{link_server}/missing"].append(("content/news/b.md", 9, 1))
    # 1 s: twenty times what the others take, so that a loaded machine does not make them late too.
    found = {(p.path, p.line, p.severity, p.message.split(": ", 1)[-1]) for p in check_links(urls, 1.0, 3)}
    assert found == {
        ("content/news/a.md", 2, "error", "the page is gone (HTTP 404)"),
        ("content/news/b.md", 9, "error", "the page is gone (HTTP 404)"),
        ("content/news/a.md", 3, "warning", f"the link {link_server}/down answered HTTP 503"),
        ("content/news/a.md", 4, "warning", "no answer within 1 s"),
    }
    assert _Links.most <= 3
    assert _Links.asked.count("HEAD /missing") == 1  # one request per address, however often it is written


def test_external_from_the_command_line(tmp_path: Path, link_server: str) -> None:
    body = f"[gone]({link_server}/missing) and [fine]({link_server}/ok)"
    site = make_site(tmp_path / "s", {"content/news/2026-02-10-a.md": news("A", body=body)})
    result = sitegen_check(site, "--external", "--timeout", "2")
    assert result.returncode == 1
    assert f"content/news/2026-02-10-a.md:5:8: error: the link {link_server}/missing is broken" in result.stderr


def test_a_link_to_a_draft_is_named_by_check_too(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/news/2026-02-10-a.md": news("A", body="Intro.\n\nSee [the plan](2026-02-11-plan.md)."),
            "content/news/2026-02-11-plan.md": news("Plan", draft="true"),
        },
    )
    [problem] = check_site(site, NOW).problems
    assert (problem.path, problem.line, problem.severity) == ("content/news/2026-02-10-a.md", 7, "warning")
    assert problem.message == "the link to `news/2026-02-11-plan.md` is shown as text: it is a draft"


def test_check_reports_everything_in_one_run(tmp_path: Path) -> None:
    """A front-matter error in one file does not hide another file's anchors, site links,
    tags outside the vocabulary, dead links or links to drafts: one run shows them all."""
    files = {
        "site.yaml": "title: T\nbase_url: https://example.org/\ntimezone: Europe/Brussels\ntags: [Policy]\n",
        "content/news/2026-02-01-broken.md": "---\ntitle: Broken\ndate: 2026-13-01\n---\nText.\n",
        "content/news/2026-02-02-a.md": news(
            "A",
            tags="[Polcy]",
            body="See [the minutes](2026-02-03-b.md#votes), [gone](gone.md), [events](/no-such-page/)\n"
            "and [the plan](2026-02-04-plan.md).",
        ),
        "content/news/2026-02-03-b.md": news("B", body="## Decisions\n\nSome."),
        "content/news/2026-02-04-plan.md": news("Plan", draft="true"),
    }
    found = [
        (p.severity, p.path.rsplit("/", 1)[-1], p.message.split(" (")[0])
        for p in check_site(make_site(tmp_path / "s", files), NOW).problems
    ]
    assert ("error", "2026-02-01-broken.md", "`date` must be a date, not `2026-13-01`") in found
    messages = " | ".join(message for _severity, _path, message in found)
    for expected in ("#votes", "gone.md", "/no-such-page/", "Polcy", "is a draft"):
        assert expected in messages, (expected, found)
