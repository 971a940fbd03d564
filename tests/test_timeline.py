"""Clock-dependent state on each side of every boundary."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sitegen.model import CallInfo, EventInfo, Location
from sitegen.render.dates import duration, event_when
from sitegen.site.timeline import call_state, elapsed, event_end, event_state

BRUSSELS = ZoneInfo("Europe/Brussels")


def _at(text: str, zone: ZoneInfo = BRUSSELS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def _event(starts: str, ends: str | None = None, all_day: bool = False, zone: str = "Europe/Brussels") -> EventInfo:
    tz = ZoneInfo(zone)
    return EventInfo(
        _at(starts, tz), _at(ends, tz) if ends else None, all_day, zone, Location(online=True), "", "scheduled"
    )


def _call(deadline: str, opens: str | None = None) -> CallInfo:
    return CallInfo(_at(opens) if opens else None, _at(deadline), False, "Europe/Brussels", "https://example.org/a")


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-02-05 09:59", "upcoming"),
        ("2026-02-05 10:00", "ongoing"),
        ("2026-02-05 16:29", "ongoing"),
        ("2026-02-05 16:30", "past"),
    ],
)
def test_event_state_around_its_start_and_end(now: str, state: str) -> None:
    assert event_state(_event("2026-02-05 10:00", "2026-02-05 16:30"), _at(now)) == state


def test_an_event_across_midnight_is_ongoing_after_midnight() -> None:
    night = _event("2026-03-06 22:00", "2026-03-07 02:00")
    assert event_state(night, _at("2026-03-07 01:59")) == "ongoing"
    assert event_state(night, _at("2026-03-07 02:00")) == "past"


def test_an_event_across_the_daylight_saving_change_lasts_its_real_length() -> None:
    # Clocks go forward at 02:00 on 29 March 2026 in Brussels: 00:00 to 04:00 is three hours.
    event = _event("2026-03-29 00:00", "2026-03-29 04:00")
    assert elapsed(event.starts, event_end(event)).total_seconds() == 3 * 3600
    assert duration(event) == "3 hours"
    assert event_state(event, datetime.fromisoformat("2026-03-29T01:59:00+00:00")) == "ongoing"  # 03:59 CEST
    assert event_state(event, datetime.fromisoformat("2026-03-29T02:00:00+00:00")) == "past"  # 04:00 CEST


def test_an_event_in_another_zone_than_the_site() -> None:
    # 10:00 in Lisbon is 11:00 in Brussels.
    lisbon = _event("2026-02-05 10:00", "2026-02-05 12:00", zone="Europe/Lisbon")
    assert event_state(lisbon, _at("2026-02-05 10:59")) == "upcoming"
    assert event_state(lisbon, _at("2026-02-05 11:00")) == "ongoing"


def test_an_all_day_event_lasts_until_midnight_after_its_last_day() -> None:
    academy = _event("2026-04-21 00:00", "2026-04-24 00:00", all_day=True, zone="Europe/Madrid")
    assert event_end(academy) == datetime(2026, 4, 25, tzinfo=ZoneInfo("Europe/Madrid"))
    assert event_state(academy, _at("2026-04-24 23:59")) == "ongoing"
    assert event_state(academy, _at("2026-04-25 00:00")) == "past"


def test_a_timed_event_without_end_lasts_until_the_end_of_its_day() -> None:
    talk = _event("2026-02-05 18:00")
    assert event_state(talk, _at("2026-02-05 23:59")) == "ongoing"
    assert event_state(talk, _at("2026-02-06 00:00")) == "past"


@pytest.mark.parametrize(
    ("now", "state"),
    [
        ("2026-01-31 23:59", "upcoming"),
        ("2026-02-01 00:00", "open"),
        ("2026-02-20 23:58", "open"),
        ("2026-02-20 23:59", "closing-soon"),
        ("2026-02-27 23:58", "closing-soon"),
        ("2026-02-27 23:59", "closed"),
    ],
)
def test_call_state_around_opening_window_and_deadline(now: str, state: str) -> None:
    call = _call("2026-02-27 23:59", opens="2026-02-01 00:00")
    assert call_state(call, _at(now), closing_soon_days=7) == state


def test_a_call_without_deadline_stays_open() -> None:
    rolling = CallInfo(None, None, False, "Europe/Brussels", "")
    assert call_state(rolling, _at("2030-01-01 00:00"), 7) == "open"


@pytest.mark.parametrize(
    ("starts", "ends", "shown"),
    [
        # The night the clocks go forward in Brussels (29 March 2026, 02:00 CET -> 03:00 CEST).
        ("2026-03-29 01:30", "2026-03-29 04:00", "Sunday 29 March 2026, 01:30 CET – 04:00 CEST (Europe/Brussels)"),
        # And back (25 October 2026, 03:00 CEST -> 02:00 CET), over two days.
        (
            "2026-10-24 22:00",
            "2026-10-25 09:00",
            "Saturday 24 October 2026, 22:00 CEST – Sunday 25 October 2026, 09:00 CET (Europe/Brussels)",
        ),
        ("2026-03-28 10:00", "2026-03-28 12:00", "Saturday 28 March 2026, 10:00–12:00 CET (Europe/Brussels)"),
    ],
)
def test_a_time_range_across_a_change_of_clocks_names_both_zones(starts: str, ends: str, shown: str) -> None:
    assert event_when(_event(starts, ends)) == shown


def test_the_night_the_clocks_change_lasts_what_it_lasts() -> None:
    assert duration(_event("2026-03-29 01:30", "2026-03-29 04:00")) == "1 hour 30 minutes"


def test_days_are_written_with_the_names_strftime_gives() -> None:
    """dates.py looks the month and weekday names up and writes the hour itself (speed): every
    day of four years, and a time of each, in a zone with summer time, reads as strftime's %A,
    %B and %H:%M write it."""
    from datetime import timedelta

    from sitegen.render.dates import clock, day, long_day

    start = datetime(2025, 1, 1, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    for offset in range(4 * 366):
        moment = start + timedelta(days=offset)
        assert day(moment) == moment.strftime("%-d %B %Y")
        assert long_day(moment) == moment.strftime("%A %-d %B %Y")
        later = moment + timedelta(minutes=offset * 7)
        assert clock(later) == later.strftime("%H:%M")
