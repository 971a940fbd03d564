"""How each front-matter value is read: dates in the right zone, lists, zones, addresses,
and messages that read well after the key's name ("`tags` must be a list, not text")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sitegen.content import schema
from sitegen.content.frontmatter import parse_document
from sitegen.content.moments import end_of_day, read_moment
from sitegen.content.schema import FieldError, read_text_list, read_timezone, read_url

BRUSSELS = ZoneInfo("Europe/Brussels")
TOKYO = ZoneInfo("Asia/Tokyo")


def _yaml_value(text: str) -> object:
    """A value as the front-matter loader hands it over (YAML may already make it a date)."""
    return parse_document(f"---\nvalue: {text}\n---\n").data["value"]


def _field_error(read, *args) -> FieldError:
    with pytest.raises(FieldError) as failed:
        read(*args)
    return failed.value


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-02-10 14:30", 1),  # winter in Brussels: +01:00
        ("2026-07-10 14:30", 2),  # summer: +02:00
        ("2026-07-10T14:30", 2),
        ("2026-07-10 14:30:00", 2),  # YAML makes this one a naive datetime itself
    ],
)
def test_a_time_without_offset_is_in_the_given_zone_never_utc(text: str, offset: int) -> None:
    moment, date_only = read_moment(_yaml_value(text), BRUSSELS)
    assert moment.tzinfo is not None
    assert moment.utcoffset() == timedelta(hours=offset)
    assert (moment.hour, moment.minute) == (14, 30)
    assert date_only is False


def test_the_same_text_in_another_zone_is_another_moment() -> None:
    in_brussels = read_moment("2026-02-10 14:30", BRUSSELS)[0]
    in_tokyo = read_moment("2026-02-10 14:30", TOKYO)[0]
    assert in_brussels - in_tokyo == timedelta(hours=8)


def test_an_explicit_offset_wins_over_the_zone() -> None:
    moment, _ = read_moment(_yaml_value("2026-02-10T14:30:00+05:00"), BRUSSELS)
    assert moment.utcoffset() == timedelta(hours=5)
    moment, _ = read_moment("2026-02-10T14:30Z", BRUSSELS)
    assert moment == datetime(2026, 2, 10, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", [date(2026, 2, 10), "2026-02-10", "2026-2-10"])
def test_a_date_only_is_midnight_in_the_zone(value: object) -> None:
    moment, date_only = read_moment(value, BRUSSELS)
    assert moment == datetime(2026, 2, 10, 0, 0, tzinfo=BRUSSELS)
    assert date_only is True


def test_a_yaml_date_is_date_only() -> None:
    assert read_moment(_yaml_value("2026-02-10"), BRUSSELS) == (datetime(2026, 2, 10, tzinfo=BRUSSELS), True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "must be a date, not `2026-02-30` (day is out of range for month)"),
        ("2026-13-01", "must be a date, not `2026-13-01` (month must be in 1..12)"),
        ("2026-02-10 25:00", "must be a date, not `2026-02-10 25:00` (hour must be in 0..23)"),
        ("next Tuesday", "must be a date, not `next Tuesday`"),
        ("10/02/26", "must be a date, not `10/02/26`"),  # `10/02/2026`: test_archive_front_matter.py
        (20260210, "must be a date, not a number"),
        ([2026, 2, 10], "must be a date, not a list"),
        (None, "must be a date, not nothing"),
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    error = _field_error(read_moment, value, BRUSSELS)
    assert error.message == message
    assert error.hint == "write a date as 2026-02-10, or a date and time as 2026-02-10 14:30"


def test_an_impossible_date_from_yaml_is_explained() -> None:
    error = _field_error(read_moment, _yaml_value("2026-02-29"), BRUSSELS)
    assert error.message == "must be a date, not `2026-02-29` (day is out of range for month)"


def test_end_of_day() -> None:
    assert end_of_day(datetime(2026, 3, 1, tzinfo=BRUSSELS)) == datetime(2026, 3, 1, 23, 59, 59, tzinfo=BRUSSELS)
    assert end_of_day(datetime(2026, 3, 1, 17, 0, tzinfo=BRUSSELS)).hour == 17


def test_read_text_list() -> None:
    assert read_text_list(["AI", " Policy ", 2026]) == ("AI", "Policy", "2026")
    assert read_text_list([]) == ()


def test_read_text_list_on_text_shows_the_list_to_write() -> None:
    error = _field_error(read_text_list, "AI, Policy,Accessibility")
    assert error.message == "must be a list, not text"
    assert error.hint == "write a list in square brackets: [AI, Policy, Accessibility]"


def test_read_text_list_points_at_the_bad_entry() -> None:
    error = _field_error(read_text_list, ["AI", {"name": "Policy"}])
    assert error.message == "must be a list of text; entry 2 is a mapping"
    assert error.at == "1"


def test_read_text_list_on_a_number() -> None:
    assert _field_error(read_text_list, 7).message == "must be a list, not a number"


def test_read_timezone() -> None:
    assert read_timezone(" Europe/Brussels ") == BRUSSELS


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Europe/Brusels", "did you mean `Europe/Brussels`?"),
        ("europe/brussels", "did you mean `Europe/Brussels`?"),
        ("Brussels time", "use an IANA name such as Europe/Brussels"),
    ],
)
def test_an_unknown_timezone_suggests_the_right_one(text: str, hint: str) -> None:
    error = _field_error(read_timezone, text)
    assert error.message == f"must be a time zone name, not `{text}`"
    assert error.hint == hint


def test_unknown_key_hint_and_closest() -> None:
    keys = schema.KEYS_BY_TYPE["news"]
    assert schema.closest("tittle", keys) == "title"
    assert schema.unknown_key_hint("sumary", keys) == "did you mean `summary`?"
    assert schema.closest("venue", keys) is None
    assert schema.unknown_key_hint("venue", keys).startswith("known keys here: title, type, date")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("see our website", "write the full address starting with https:// (or mailto: for an email)"),
        ("www.example.org/register", "write the full address: https://www.example.org/register"),
        ("events@example.org", "write an email address as mailto:events@example.org"),
    ],
)
def test_read_url_says_how_to_fix_the_address(text: str, hint: str) -> None:
    error = _field_error(read_url, text)
    assert error.message == f"must be a web address, not `{text}`"
    assert error.hint == hint


def test_read_url_accepts_web_and_mail_addresses() -> None:
    assert read_url(" https://example.org/apply ") == "https://example.org/apply"
    assert read_url("mailto:calls@example.org") == "mailto:calls@example.org"


@pytest.mark.parametrize(
    ("read", "value", "message"),
    [
        (schema.read_text, ["a"], "must be text, not a list"),
        (schema.read_required_text, "  ", "must not be empty"),
        (schema.read_bool, "yes please", "must be true or false, not text"),
        (schema.read_lang, "english", "must be a language code, not `english`"),
        (schema.read_type, "article", "must be a content type, not `article`"),
    ],
)
def test_messages_read_after_the_key_name(read, value: object, message: str) -> None:
    error = _field_error(read, value)
    assert error.message == message
    assert error.hint


def test_read_type_accepts_folder_names() -> None:
    assert schema.read_type("Events") == "event"
