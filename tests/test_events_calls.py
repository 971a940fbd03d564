"""Events and calls that know the time: listings, notices, home, programmes, next change."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sitegen.pipeline import BuildResult

from .conftest import make_site, run_build


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+01:00")


def _event(title: str, starts: str, **extra: str) -> str:
    keys = "".join(f"{key}: {value}\n" for key, value in extra.items())
    return f"---\ntitle: {title}\ndate: 2026-01-01\nstarts: {starts}\nlocation: online\n{keys}---\nAbout {title}.\n"


def _call(title: str, deadline: str, **extra: str) -> str:
    keys = "".join(f"{key}: {value}\n" for key, value in extra.items())
    return f"---\ntitle: {title}\ndate: 2026-01-01\ndeadline: {deadline}\n{keys}---\nAbout {title}.\n"


def _titles(page: Path) -> list[str]:
    return re.findall(r'class="card-title"><a href="[^"]+"[^>]*>([^<]+)<', page.read_text())


def _site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path / "s",
        {
            "content/programmes/echoes.md": "---\ntitle: ECHOES\n---\nThe project.\n",
            "content/events/2026-01-01-later.md": _event(
                "Later", "2026-03-10 10:00", registration="https://example.org/r", programme="echoes"
            ),
            "content/events/2026-01-01-sooner.md": _event(
                "Sooner", "2026-02-10 10:00", registration="https://example.org/r"
            ),
            "content/events/2026-01-01-over.md": _event(
                "Over", "2026-01-10 10:00", ends="2026-01-10 12:00", registration="https://example.org/r"
            ),
            "content/events/2026-01-01-older.md": _event(
                "Older", "2026-01-05 10:00", registration="https://example.org/r"
            ),
            "content/calls/2026-01-01-far.md": _call(
                "Far", "2026-04-01 12:00", apply="https://example.org/a", programme="echoes"
            ),
            "content/calls/2026-01-01-near.md": _call("Near", "2026-02-20 12:00", apply="https://example.org/a"),
            "content/calls/2026-01-01-gone.md": _call("Gone", "2026-01-15 12:00", apply="https://example.org/a"),
            "content/news/2026-01-02-n.md": "---\ntitle: Some news\ndate: 2026-01-02\nprogramme: echoes\n---\nx\n",
        },
    )


def test_events_page_lists_upcoming_soonest_first_and_keeps_an_archive(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-02-01T12:00:00"))
    out = site / "output"
    assert _titles(out / "events/index.html") == ["Sooner", "Later"]
    assert _titles(out / "events/past/index.html") == ["Over", "Older"]
    past = (out / "events/over/index.html").read_text()
    assert "This event has ended." in past and "Register" not in past
    upcoming = (out / "events/sooner/index.html").read_text()
    assert 'href="https://example.org/r"' in upcoming and "Add to calendar" in upcoming


def test_an_event_moves_to_the_archive_the_minute_it_ends(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-01-10T11:59:00"))
    assert "Over" in _titles(site / "output/events/index.html")
    assert "Happening now" in (site / "output/events/index.html").read_text()
    run_build(site, now=_at("2026-01-10T12:00:00"))
    assert "Over" not in _titles(site / "output/events/index.html")


def test_calls_page_orders_by_nearest_deadline_and_closes_on_time(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-02-20T11:59:00"))
    out = site / "output"
    assert _titles(out / "calls/index.html") == ["Near", "Far"]
    assert "Closing soon" in (out / "calls/near/index.html").read_text()
    assert 'href="https://example.org/a"' in (out / "calls/near/index.html").read_text()
    run_build(site, now=_at("2026-02-20T12:00:00"))
    assert _titles(out / "calls/index.html") == ["Far"]
    assert _titles(out / "calls/closed/index.html") == ["Near", "Gone"]
    closed = (out / "calls/near/index.html").read_text()
    assert "This call is closed." in closed and 'href="https://example.org/a"' not in closed


def test_home_shows_latest_news_next_events_and_open_calls(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-02-01T12:00:00"))
    home = (site / "output/index.html").read_text()
    sections = dict(re.findall(r'<h2 id="home-(\w+)">.*?</h2>(.*?)</section>', home, re.S))
    assert re.findall(r'card-title"><a[^>]+>([^<]+)<', sections["news"]) == ["Some news"]
    assert re.findall(r'card-title"><a[^>]+>([^<]+)<', sections["events"]) == ["Sooner", "Later"]
    assert re.findall(r'card-title"><a[^>]+>([^<]+)<', sections["calls"]) == ["Near", "Far"]


def test_programme_page_shows_its_events_calls_and_news(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-02-01T12:00:00"))
    page = (site / "output/programmes/echoes/index.html").read_text()
    assert re.findall(r'card-title"><a[^>]+>([^<]+)<', page) == ["Later", "Far", "Some news"]
    for link in (
        "/programmes/echoes/events/",
        "/programmes/echoes/calls/",
        "/programmes/echoes/news/",
        "webcal://example.org/programmes/echoes/calendar.ics",
        "/programmes/echoes/feed.xml",
    ):
        assert f'href="{link}"' in page
    assert (site / "output/programmes/echoes/calendar.ics").exists()


def test_the_build_reports_the_next_change(tmp_path: Path) -> None:
    site = _site(tmp_path)
    result: BuildResult = run_build(site, now=_at("2026-02-01T12:00:00"))
    assert result.next_change == _at("2026-02-10T10:00:00")  # "Sooner" starts
    result = run_build(site, now=_at("2026-02-12T12:00:00"))
    assert result.next_change == _at("2026-02-13T12:00:00")  # "Near" is closing soon 7 days before


def test_feeds_say_when_and_where_or_until_when(tmp_path: Path) -> None:
    site = _site(tmp_path)
    run_build(site, now=_at("2026-02-01T12:00:00"))
    events = (site / "output/events/feed.xml").read_text()
    assert "Tuesday 10 February 2026, 10:00 CET (Europe/Brussels) · Online. About Sooner." in events
    calls = (site / "output/calls/atom.xml").read_text()
    assert "Deadline: Friday 20 February 2026, 12:00 CET (Europe/Brussels). About Near." in calls


def test_warnings_for_upcoming_event_without_registration_and_call_without_apply(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s",
        {
            "content/events/2026-01-01-e.md": "---\ntitle: E\ndate: 2026-01-01\nstarts: 2026-03-01 10:00\n"
            "location: {name: Hall}\n---\nx\n",
            "content/calls/2026-01-01-c.md": "---\ntitle: C\ndate: 2026-01-01\ndeadline: 2026-03-01\n---\nx\n",
        },
    )
    warnings = [w.format() for w in run_build(site, now=_at("2026-02-01T12:00:00")).warnings]
    assert any(
        w.startswith("content/events/2026-01-01-e.md:4:1: warning: this upcoming event has no registration")
        for w in warnings
    )
    assert any(
        w.startswith("content/calls/2026-01-01-c.md:4:1: warning: this call has no way to apply") for w in warnings
    )


def test_a_date_alone_as_deadline_means_the_end_of_that_day(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "s", {"content/calls/2026-01-01-c.md": _call("C", "2026-03-01", apply="https://example.org/a")}
    )
    run_build(site, now=_at("2026-03-01T23:59:00"))
    assert _titles(site / "output/calls/index.html") == ["C"]
    run_build(site, now=datetime.fromisoformat("2026-03-02T00:00:00+01:00"))
    assert _titles(site / "output/calls/index.html") == []
