"""Calendars are read back by a second, independent parser (vobject) and the instants compared;
their VTIMEZONE blocks are read back alone (icalendar, without its own zone database) and
compared byte for byte with what icalendar writes."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import vobject

from sitegen.content.config import SiteConfig
from sitegen.model import CallInfo, EventInfo, Item, Location
from sitegen.render import ical
from sitegen.site.timeline import event_end

from .conftest import make_site, run_build

EVENT = """---
title: {title}
date: 2026-01-10
starts: {starts}
ends: {ends}
timezone: {zone}
location: {{name: Azkuna Zentroa, city: Bilbao, country: ES}}
registration: https://example.org/register
{extra}---
Body.
"""


def _site(tmp_path: Path, **events: dict) -> Path:
    files = {
        f"content/events/2026-01-10-{slug}.md": EVENT.format(
            title=fields.get("title", slug.title()),
            starts=fields["starts"],
            ends=fields["ends"],
            zone=fields.get("zone", "Europe/Brussels"),
            extra=fields.get("extra", ""),
        )
        for slug, fields in events.items()
    }
    return make_site(tmp_path / "site", files)


def _read(path: Path):
    return vobject.readOne(path.read_text(encoding="utf-8"))


def test_event_times_keep_their_zone_and_instant(tmp_path: Path) -> None:
    site = _site(tmp_path, academy={"starts": "2026-04-21 09:30", "ends": "2026-04-24 17:00", "zone": "Europe/Madrid"})
    run_build(site)
    calendar = _read(site / "output/events/academy/event.ics")
    event = calendar.vevent
    assert event.dtstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Madrid"]  # vobject's name for TZID
    assert event.dtstart.value == datetime(2026, 4, 21, 9, 30, tzinfo=ZoneInfo("Europe/Madrid"))
    assert event.dtstart.value.astimezone(UTC) == datetime(2026, 4, 21, 7, 30, tzinfo=UTC)
    assert event.dtend.value.astimezone(UTC) == datetime(2026, 4, 24, 15, 0, tzinfo=UTC)
    assert calendar.vtimezone.tzid.value == "Europe/Madrid"
    assert event.location.value == "Azkuna Zentroa, Bilbao, ES"
    assert event.url.value == "https://example.org/events/academy/"
    assert event.status.value == "CONFIRMED"


def test_across_midnight_and_daylight_saving(tmp_path: Path) -> None:
    site = _site(tmp_path, night={"starts": "2026-03-28 22:00", "ends": "2026-03-29 04:00"})
    run_build(site)
    event = _read(site / "output/events/night/event.ics").vevent
    # 22:00 CET to 04:00 CEST is five real hours.
    assert (event.dtend.value.astimezone(UTC) - event.dtstart.value.astimezone(UTC)).total_seconds() == 5 * 3600
    assert event.dtend.value.astimezone(UTC) == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_all_day_events_are_dates_with_an_exclusive_end(tmp_path: Path) -> None:
    site = _site(tmp_path, days={"starts": "2026-04-21", "ends": "2026-04-24"})
    run_build(site)
    event = _read(site / "output/events/days/event.ics").vevent
    assert event.dtstart.value == date(2026, 4, 21) and event.dtend.value == date(2026, 4, 25)


def test_uid_is_stable_and_sequence_grows_with_updated(tmp_path: Path) -> None:
    site = _site(tmp_path, talk={"title": "Old title", "starts": "2026-02-05 10:00", "ends": "2026-02-05 12:00"})
    run_build(site)
    before = _read(site / "output/events/talk/event.ics").vevent
    _site(
        tmp_path,
        talk={
            "title": "New title",
            "starts": "2026-02-05 11:00",
            "ends": "2026-02-05 13:00",
            "extra": "updated: 2026-01-20 09:00\n",
        },
    )
    run_build(site)
    after = _read(site / "output/events/talk/event.ics").vevent
    assert after.uid.value == before.uid.value == "events-talk@example.org"
    assert int(after.sequence.value) > int(before.sequence.value) == 0
    assert after.last_modified.value > before.last_modified.value


def test_cancelled_events_say_so_in_the_calendar(tmp_path: Path) -> None:
    site = _site(
        tmp_path, off={"starts": "2026-02-05 10:00", "ends": "2026-02-05 12:00", "extra": "status: cancelled\n"}
    )
    run_build(site)
    assert _read(site / "output/events/off/event.ics").vevent.status.value == "CANCELLED"
    page = (site / "output/events/off/index.html").read_text()
    assert "This event has been cancelled." in page and "Register" not in page


def test_site_programme_and_tag_calendars_hold_their_events(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "content/programmes/echoes.md": "---\ntitle: ECHOES\n---\nx\n",
            "content/events/2026-01-10-a.md": "---\ntitle: A\ndate: 2026-01-10\nstarts: 2026-02-05 10:00\n"
            "programme: echoes\ntags: [Policy]\nlocation: online\n---\nx\n",
            "content/events/2026-01-10-b.md": "---\ntitle: B\ndate: 2026-01-10\nstarts: 2026-03-05\n---\nx\n",
        },
    )
    run_build(site)
    out = site / "output"
    summaries = {
        path: sorted(e.summary.value for e in _read(out / path).vevent_list)
        for path in ("events/calendar.ics", "programmes/echoes/calendar.ics", "tags/policy/calendar.ics")
    }
    assert summaries == {
        "events/calendar.ics": ["A", "B"],
        "programmes/echoes/calendar.ics": ["A"],
        "tags/policy/calendar.ics": ["A"],
    }


def test_call_deadlines_calendar_with_reminder(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "content/calls/2026-01-10-timed.md": "---\ntitle: Timed\ndate: 2026-01-10\ndeadline: 2026-02-27 17:00\n"
            "apply: https://example.org/apply\n---\nx\n",
            "content/calls/2026-01-10-day.md": "---\ntitle: Day\ndate: 2026-01-10\ndeadline: 2026-03-01\n"
            "apply: https://example.org/apply\n---\nx\n",
        },
    )
    run_build(site)
    entries = {e.summary.value: e for e in _read(site / "output/calls/calendar.ics").vevent_list}
    timed = entries["Deadline: Timed"]
    assert timed.dtstart.value.astimezone(UTC) == datetime(2026, 2, 27, 16, 0, tzinfo=UTC)
    assert timed.valarm.trigger.value.total_seconds() == -86400
    assert entries["Deadline: Day"].dtstart.value == date(2026, 3, 1)


def test_pages_link_calendars_with_webcal_and_https(tmp_path: Path) -> None:
    site = _site(tmp_path, talk={"starts": "2026-12-05 10:00", "ends": "2026-12-05 12:00"})
    run_build(site)
    page = (site / "output/events/talk/index.html").read_text()
    assert 'href="webcal://example.org/events/talk/event.ics"' in page
    assert 'href="/events/talk/event.ics" download' in page
    assert 'href="webcal://example.org/events/calendar.ics"' in (site / "output/events/index.html").read_text()


def test_lines_are_folded_as_icalendar_folds_them() -> None:
    """icaltext.fold() stands in for icalendar's own folding (a character at a time): same bytes,
    also for parts that would end in the middle of a character or just after an escape."""
    import random

    from icalendar.parser import Contentline

    from sitegen.render.icaltext import fold

    lines = ["", "DESCRIPTION:short", "X" * 74, "X" * 75, "X" * 148, "X" * 149]
    for length in range(70, 80):
        for tail in ("\\,", "^^", "é", "€", "😀", "\\\\"):
            lines.append("D" * length + tail + "x" * 90)
    shuffle = random.Random(6)
    lines += ["".join(shuffle.choice("ab ,;\\^é€😀") for _ in range(shuffle.randint(0, 400))) for _ in range(3000)]
    for line in lines:
        assert fold(line) == Contentline(line).to_ical(), line


def test_each_zone_has_a_vtimezone_that_gives_its_events_their_offsets(tmp_path: Path) -> None:
    """Each zone's VTIMEZONE, read on its own, must put every start and end at the offset
    the zone has then, also across the changes the events straddle (both hemispheres)."""
    site = _site(
        tmp_path,
        brussels={"starts": "2026-03-28 22:00", "ends": "2026-03-29 04:00"},
        sydney={"starts": "2026-10-04 01:30", "ends": "2026-10-04 04:00", "zone": "Australia/Sydney"},
        kolkata={"starts": "2027-01-15 09:00", "ends": "2027-01-15 10:00", "zone": "Asia/Kolkata"},
        newyork={"starts": "2025-11-02 00:30", "ends": "2025-11-02 03:00", "zone": "America/New_York"},
    )
    run_build(site)
    calendar = icalendar.Calendar.from_ical((site / "output/events/calendar.ics").read_bytes())
    zones = {vtimezone.tz_name: vtimezone.to_tz(lookup_tzid=False) for vtimezone in calendar.walk("VTIMEZONE")}
    assert sorted(zones) == ["America/New_York", "Asia/Kolkata", "Australia/Sydney", "Europe/Brussels"]
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            tzid = event[name].params["TZID"]
            local = event[name].dt.replace(tzinfo=None)
            assert local.replace(tzinfo=zones[tzid]).utcoffset() == local.replace(tzinfo=ZoneInfo(tzid)).utcoffset()


ZONES = [
    "Europe/Brussels",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/New_York",
    "Africa/Casablanca",  # an hour less during Ramadan: changes closer than icalendar's 64-day steps
    "America/Sao_Paulo",  # changes at midnight, and none since 2019
    "Europe/Dublin",  # a negative DST: winter is the DAYLIGHT observance
    "Pacific/Chatham",  # +12:45 / +13:45
]


def test_vtimezone_is_what_icalendar_writes_for_the_same_dates() -> None:
    """_timezone() follows icalendar's search with steps other calendars already took: it must
    give icalendar's bytes for any dates, whichever calendars came before."""
    shuffle = random.Random(5545)
    for _ in range(400):
        tzid = shuffle.choice(ZONES)
        since = date(1990, 1, 1) + timedelta(days=shuffle.randint(0, 50 * 365))
        until = since + timedelta(days=shuffle.choice([0, 1, shuffle.randint(2, 6 * 366)]))
        expected = icalendar.Timezone.from_tzid(tzid, first_date=since, last_date=until).to_ical()
        assert ical.timezone.__wrapped__(tzid, since, until) == expected, (tzid, since, until)


def test_vtimezone_before_standard_time() -> None:
    """Local mean time (an offset with seconds) and the change to standard time."""
    expected = icalendar.Timezone.from_tzid("Europe/Brussels", first_date=date(1880, 1, 1), last_date=date(1893, 1, 1))
    assert ical.timezone("Europe/Brussels", date(1880, 1, 1), date(1893, 1, 1)) == expected.to_ical()
    assert b"TZOFFSETFROM:+001730" in expected.to_ical()


def test_unknown_zone_has_no_vtimezone() -> None:
    assert ical.timezone("Europe/Atlantis", date(2026, 1, 1), date(2027, 1, 1)) == b""


def test_calendar_name_is_escaped_text_and_reads_back() -> None:
    """X-WR-CALNAME is escaped as every TEXT property (icalendar, which does not know it, would
    write it as it is: issue 14, finding 3); vobject and icalendar read the title back."""
    for title in ("Events", "Tag: Art, music; dance", 'C:\\path "quoted"', "Émile’s " * 20, "A\rB\nC"):
        data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + ical._name(title) + b"END:VCALENDAR\r\n"
        expected = title.replace("\r", "\n")
        assert vobject.readOne(data.decode()).x_wr_calname.value == expected
        calendar = icalendar.Calendar.from_ical(data)  # X-WR-CALNAME is one of its three lines, still
        assert (sorted(calendar), calendar.subcomponents) == (["PRODID", "VERSION", "X-WR-CALNAME"], [])


def _icalendar_entry(item: Item, kind: str, config: SiteConfig) -> icalendar.Event:
    """The entry as icalendar builds it: what ical.entry_lines() must write, byte for byte."""
    entry = icalendar.Event()
    modified = (item.modified or item.date or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    entry.add("uid", ical.uid(item, config))
    entry.add("dtstamp", modified)
    entry.add("last-modified", modified)
    entry.add("sequence", ical.sequence(item))
    entry.add("url", config.absolute(item.url))
    entry.add("description", f"{item.summary}\n\n{config.absolute(item.url)}")
    for name in item.tag_names:
        entry.add("categories", name)
    if kind == "events":
        event = item.event
        assert event is not None
        entry.add("summary", item.title)
        end = event_end(event)
        entry.add("dtstart", event.starts.date() if event.all_day else event.starts)
        entry.add("dtend", end.date() if event.all_day else end)
        entry.add("status", {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(event.status, "CONFIRMED"))
        place = event.location
        if place and place.online:
            entry.add("location", f"Online {place.url}".strip())
        elif place:
            entry.add("location", ", ".join(p for p in (place.name, place.address, place.city, place.country) if p))
        return entry
    call = item.call
    assert call is not None and call.deadline is not None
    entry.add("summary", f"Deadline: {item.title}")
    day = call.deadline.date()
    entry.add("dtstart", day if call.deadline_all_day else call.deadline)
    entry.add("dtend", day + timedelta(days=1) if call.deadline_all_day else call.deadline)
    entry.add("transp", "TRANSPARENT")
    if config.call_reminder_days:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Deadline soon: {item.title}")
        alarm.add("trigger", timedelta(days=-config.call_reminder_days))
        entry.add_component(alarm)
    return entry


def _random_item(shuffle: random.Random, kind: str) -> Item:
    def text(longest: int) -> str:
        written = "".join(shuffle.choice("ab ,;:\\N\r\n\"'é€😀") for _ in range(shuffle.randint(0, longest)))
        return written.replace("\\N", "\\ N")  # icalendar writes `\N` as a line break: hostile/test_ical_backslash.py

    def moment() -> datetime:
        zone = ZoneInfo(shuffle.choice([*ZONES, "UTC", "Etc/UTC", "Etc/GMT+5"]))
        return datetime(2026, 1, 1, 9, tzinfo=zone) + timedelta(minutes=shuffle.randint(-(10**6), 10**6))

    published = moment()
    all_day = shuffle.random() < 0.3
    starts = moment()
    place = shuffle.choice([None, Location(online=True, url=shuffle.choice(["", "https://example.org/a,b"]))])
    place = place or Location(text(20), text(20), shuffle.choice(["", "Bilbao"]), shuffle.choice(["", "ES"]))
    return Item(
        source="content/x.md",
        type="event" if kind == "events" else "call",
        title=text(120),
        slug="x",
        url=f"/{kind}/{text(5).encode().hex()}/",
        date=published,
        updated=shuffle.choice([None, published + timedelta(hours=shuffle.randint(1, 5000))]),
        summary=text(300),
        body="",
        tag_names=tuple(text(15) for _ in range(shuffle.randint(0, 4))),
        programme=None,
        image=None,
        lang=None,
        draft=False,
        aliases=(),
        event=EventInfo(
            starts=starts.replace(hour=0, minute=0) if all_day else starts,
            ends=shuffle.choice([None, starts + timedelta(hours=shuffle.randint(0, 80))]),
            all_day=all_day,
            timezone=str(starts.tzinfo),
            location=shuffle.choice([None, place]),
            registration="",
            status=shuffle.choice(["scheduled", "moved-online", "postponed", "cancelled"]),
        ),
        call=CallInfo(opens=None, deadline=moment(), deadline_all_day=all_day, timezone="", apply=""),
    )


def test_entries_are_what_icalendar_writes_for_the_same_event_or_deadline() -> None:
    """ical.entry_lines() writes each VEVENT itself (icalendar took an eighth of the parse of a
    site full of events): the same bytes and zones as icalendar's Event for random items, with
    every character TEXT escapes, long lines, zones that are UTC by another name, all-day and
    timed events and deadlines, with and without a reminder."""
    shuffle = random.Random(2445)
    for number in range(1500):
        kind = shuffle.choice(["events", "calls"])
        config = SiteConfig(title="T", base_url=shuffle.choice(["https://example.org/", "https://x.eu/network/"]))
        config = dataclasses.replace(config, call_reminder_days=shuffle.choice([0, 1, 7, 14]))
        item = _random_item(shuffle, kind)
        expected = _icalendar_entry(item, kind, config)
        lines, zones = ical.entry_lines(item, kind, config)
        assert lines == expected.to_ical(), number
        tzids = [str(expected[name].params["TZID"]) for name in ("DTSTART", "DTEND") if "TZID" in expected[name].params]
        assert list(zones) == tzids, number
