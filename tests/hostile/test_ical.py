"""Finding 3: no text can add a line, a property or an event to a calendar. Every TEXT
property of every calendar (the calendar's name, SUMMARY, LOCATION, DESCRIPTION, CATEGORIES,
the reminder) is escaped as RFC 5545 says; icalendar and vobject read back exactly the real
events, with the text as written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import vobject

from sitegen.content.config import SiteConfig
from sitegen.model import CalendarSpec, CallInfo, EventInfo, Item, Location
from sitegen.render.ical import render_calendar

from ..conftest import SITE_YAML, make_site, run_build

INJECTION = "Evil\rBEGIN:VEVENT\rUID:injected\rSUMMARY:Fake\rEND:VEVENT\rX-INJECTED:1\r\nBEGIN:VALARM\n; , \\"


def _read_back(data: bytes) -> list[tuple[str, str]]:
    """(UID, SUMMARY) of every event, as icalendar and as vobject read them (which must agree)."""
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert all("X-INJECTED" not in component for component in [calendar, *events])
    assert len(calendar.walk("VALARM")) <= len(events)  # a call's reminder, nothing more
    by_icalendar = [(str(e["UID"]), str(e["SUMMARY"])) for e in events]
    parsed = vobject.readOne(data.decode("utf-8"))
    by_vobject = [(e.uid.value, e.summary.value) for e in parsed.vevent_list]
    assert by_icalendar == by_vobject
    return by_icalendar


def _event(title: str, text: str) -> Item:
    zone = ZoneInfo("Europe/Brussels")
    starts = datetime(2026, 12, 1, 10, tzinfo=zone)
    return Item(
        source="content/events/e.md",
        type="event",
        title=title,
        slug="e",
        url="/events/e/",
        date=datetime(2026, 1, 10, tzinfo=zone),
        updated=None,
        summary=text,
        body="",
        tag_names=(text, "plain"),
        programme=None,
        image=None,
        lang=None,
        draft=False,
        aliases=(),
        event=EventInfo(starts, None, False, "Europe/Brussels", Location(text, text, "City\r", "BE"), "", "scheduled"),
        call=CallInfo(None, starts, False, "Europe/Brussels", ""),
    )


def test_text_with_line_breaks_and_control_characters_stays_inside_its_property() -> None:
    """Whatever reaches the calendar (here straight from an Item, past every check of the
    content): carriage returns alone, line feeds, CR LF, control characters, commas."""
    config = SiteConfig(title=f"Site {INJECTION}", base_url="https://example.org/")
    item = _event(INJECTION + "\x0b\x00\x1b[31m", INJECTION)
    for kind in ("events", "calls"):
        data = render_calendar(CalendarSpec("/c.ics", INJECTION, kind, (item,)), config)
        assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
        assert not any(byte < 0x20 and byte not in b"\t\r\n" for byte in data)
        ((uid, summary),) = _read_back(data)
        expected = INJECTION.replace("\r\n", "\n").replace("\r", "\n") + "[31m"
        assert (uid, summary) == ("events-e@example.org", expected if kind == "events" else f"Deadline: {expected}")
        parsed = vobject.readOne(data.decode("utf-8"))
        assert parsed.x_wr_calname.value == INJECTION.replace("\r\n", "\n").replace("\r", "\n")
        if kind == "events":
            event = parsed.vevent
            assert event.location.value.startswith(INJECTION.replace("\r\n", "\n").replace("\r", "\n"))
            assert event.description.value.startswith(expected.removesuffix("[31m"))


def test_a_site_whose_titles_and_text_try_to_add_events_has_only_its_own(tmp_path: Path) -> None:
    """Titles, tags, a programme and the site's title written with YAML escapes (\\r) reach
    every calendar: each reads back as the events there are, nothing more."""
    quoted = INJECTION.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
    event = (
        f'---\ntitle: "{quoted}"\ndate: 2026-01-10\nstarts: 2026-12-01 10:00\nsummary: "{quoted}"\n'
        f'tags: ["{quoted}", plain]\nprogramme: echoes\nlocation: {{name: "{quoted}"}}\n'
        "registration: https://example.org/r\n---\nText.\n"
    )
    call = f'---\ntitle: "{quoted}"\ndate: 2026-01-10\ndeadline: 2026-12-20\napply: https://example.org/a\n---\nText.\n'
    site = make_site(
        tmp_path / "s",
        {
            "content/events/e.md": event,
            "content/calls/c.md": call,
            "content/programmes/echoes.md": f'---\ntitle: "{quoted}"\n---\nA programme.\n',
        },
        SITE_YAML.replace("Test Network", f'"{quoted}"'),
    )
    run_build(site)
    calendars = sorted((site / "output").rglob("*.ics"))
    assert len(calendars) >= 5  # the events', the calls', the event's own, the programme's, the tags'
    for path in calendars:
        events = _read_back(path.read_bytes())
        uids = [uid for uid, _summary in events]
        assert uids in (["events-e@example.org"], ["calls-c@example.org"]), path
        assert all("BEGIN:VEVENT" in summary for _uid, summary in events)
