"""A backslash an editor writes (`C:\\New folder`, `\\n` in a shell command) stays a backslash
in every calendar: TEXT escapes `\\` first (RFC 5545, 3.3.11), so no reader sees a line break
where the editor wrote `\\N`. icalendar's vText would write `\\N` as one: sitegen does not."""

from __future__ import annotations

from pathlib import Path

import icalendar
import vobject

from sitegen.render.icaltext import line

from ..conftest import SITE_YAML, make_site, run_build

TITLE = "Files in C:\\New folder; \\n and \\\\N"
PLACE = "Room \\N1"
EVENT = f"""---
title: '{TITLE}'
date: 2026-01-10
starts: 2026-12-01 10:00
summary: 'Bring C:\\Notes, please'
tags: ['C:\\New']
location: {{name: '{PLACE}', city: Bilbao}}
registration: https://example.org/r
---
Body.
"""
CALL = """---
title: 'Apply to C:\\News'
date: 2026-01-10
deadline: 2026-12-01
---
Body.
"""


def _build(tmp_path: Path) -> Path:
    site_yaml = SITE_YAML.replace("Test Network", "'Network C:\\New'") + "call_reminder_days: 7\n"
    site = make_site(tmp_path / "s", {"content/events/e.md": EVENT, "content/calls/c.md": CALL}, site_yaml)
    run_build(site)
    return site / "output"


def test_every_text_property_reads_back_as_written_with_icalendar(tmp_path: Path) -> None:
    output = _build(tmp_path)
    (event,) = icalendar.Calendar.from_ical((output / "events/e/event.ics").read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == f"{PLACE}, Bilbao"
    assert str(event["DESCRIPTION"]).startswith("Bring C:\\Notes, please\n\n")
    assert event.categories == ["C:\\New"]
    calls = icalendar.Calendar.from_ical((output / "calls/calendar.ics").read_bytes())
    (deadline,) = calls.walk("VEVENT")
    assert str(deadline["SUMMARY"]) == "Deadline: Apply to C:\\News"
    (alarm,) = calls.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == "Deadline soon: Apply to C:\\News"
    assert "\n" not in str(calls["PRODID"])  # the site's title is part of it


def test_vobject_reads_the_same_text(tmp_path: Path) -> None:
    output = _build(tmp_path)
    event = vobject.readOne((output / "events/e/event.ics").read_text(encoding="utf-8")).vevent
    assert event.summary.value == TITLE
    assert event.location.value == f"{PLACE}, Bilbao"
    calls = vobject.readOne((output / "calls/calendar.ics").read_text(encoding="utf-8"))
    assert calls.vevent.summary.value == "Deadline: Apply to C:\\News"
    assert "\n" not in calls.prodid.value


def test_the_written_line_escapes_the_backslash_itself(tmp_path: Path) -> None:
    written = (_build(tmp_path) / "events/e/event.ics").read_bytes().decode("utf-8")
    assert "SUMMARY:Files in C:\\\\New folder\\; \\\\n and \\\\\\\\N\r\n" in written


def test_a_text_line_of_a_time_zone_block_is_escaped_the_same_way() -> None:
    assert line("COMMENT", "C:\\New, a;b") == b"COMMENT:C:\\\\New\\, a\\;b\r\n"
