"""The validators every channel shares, and their form-field and schema adapters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from ninja import Schema
from pydantic import ValidationError as PydanticError

from wenmin.core import formfields, validators
from wenmin.core.schematypes import AwareDateTime, Date, Id, Latitude, Line, Paragraph

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _refused(check: Any, *args: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        check(*args, **kwargs)
    return refused.value.messages


# Dates and date-times -------------------------------------------------------------------------


@pytest.mark.parametrize("day", [dt.date(1899, 12, 31), dt.date(3000, 1, 1), dt.date(1, 1, 1)])
def test_dates_outside_1900_to_2999_are_refused(day):
    with translation.override("en"):
        assert _refused(validators.check_date, day) == [
            "Enter a date between 1900-01-01 and 2999-12-31."
        ]


def test_the_edges_of_the_range_are_dates_and_leave_room_for_arithmetic():
    first, last = validators.DATE_MIN, validators.DATE_MAX
    assert validators.check_date(first) == first and validators.check_date(last) == last
    # What the pages do with a date: a year back, a 90-day window, a day's offset in any zone.
    assert first - dt.timedelta(days=366) < first < last + dt.timedelta(days=366)
    edge = dt.datetime.combine(last, dt.time(23, 59), tzinfo=dt.timezone(dt.timedelta(hours=14)))
    assert edge.astimezone(dt.UTC).date() == last


@pytest.mark.parametrize("text", ["2026-02-30", "20260101", "2026-1-1", " ", "²０２６-01-01", "x"])
def test_a_date_must_be_a_real_iso_date(text):
    assert _refused(validators.parse_date, text)


def test_parse_date_reads_iso_and_checks_the_range():
    assert validators.parse_date(" 2026-11-30 ") == dt.date(2026, 11, 30)
    assert _refused(validators.parse_date, "0001-01-01")
    assert _refused(validators.parse_date, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    "text",
    ["9999-12-31T23:59:59+14:00", "0001-01-02T00:00:00", "0001-01-01T00:00:00-12:00", "soon"],
)
def test_date_times_beyond_the_range_or_unreadable_are_refused(text):
    assert _refused(validators.parse_datetime, text, naive_zone=SHANGHAI)


def test_a_naive_date_time_needs_a_zone_to_be_taken_in():
    assert _refused(validators.parse_datetime, "2026-05-01T08:00:00")
    taken = validators.parse_datetime("2026-05-01T08:00:00", naive_zone=SHANGHAI)
    assert taken == dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert _refused(validators.check_datetime, dt.datetime(2026, 5, 1))  # noqa: DTZ001


# Coordinates and numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["NaN", "nan", "sNaN", "inf", "-Infinity", "1e400", 1e400, float("nan"), "90.0000004", 91,
     -90.5, "", "north", True, None, [28], "1" * 100, pytest.param(10**5000, id="5000 digits")],
)  # fmt: skip
def test_latitudes_must_be_finite_and_within_90_degrees(value):
    assert _refused(validators.check_latitude, value)


def test_coordinates_come_back_as_decimals_with_the_models_precision():
    assert validators.check_latitude(" 28.4123456 ") == Decimal("28.412346")
    assert validators.check_latitude(-90) == Decimal("-90.000000")
    assert validators.check_longitude(117.61) == Decimal("117.610000")
    assert validators.check_longitude("180") == Decimal("180.000000")
    assert _refused(validators.check_longitude, "180.0000001")


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "1.5", "²", "１２", "", "0x10", True, 2**63, -1, 0, None]
)
def test_ids_are_whole_numbers_a_database_can_hold(value):
    assert _refused(validators.check_id, value)


def test_whole_numbers_and_pages_within_their_bounds():
    assert validators.check_id(" 42 ") == 42 and validators.check_id(2**63 - 1) == 2**63 - 1
    assert validators.check_page("100000") == 100_000
    assert _refused(validators.check_page, "10000000000000000")
    assert validators.check_int("-5", minimum=-5, maximum=5) == -5


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "1e13", -(10**13), "", "一", [1], True])
def test_numbers_must_be_finite_and_bounded(value):
    assert _refused(validators.check_number, value)


def test_numbers_are_decimals():
    assert validators.check_number("2") == Decimal(2)
    assert validators.check_number(1.5) == Decimal("1.5")
    assert validators.check_number("-1e12") == Decimal("-1e12")


# Text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["a\x00b", "\x1b[2J", "a\x7fb", "a\x85b", "a\ud800b", "tab\there", "line\nbreak"]
)
def test_one_line_text_has_no_control_characters(text):
    assert _refused(validators.check_text, text, max_length=100)


@pytest.mark.parametrize("text", ["a\x00b", "\x1b[2J", "a\x0bb", "a\udfffb"])
def test_multi_line_text_allows_only_line_breaks_and_tabs(text):
    assert _refused(validators.check_text, text, max_length=100, multiline=True)


def test_text_keeps_letters_punctuation_and_its_length_limit():
    text = "路面塌陷，=HYPERLINK(“x”) ‮ 😀"
    assert validators.check_text(text, max_length=100) == text
    assert validators.check_text("一\r\n二\t三", max_length=10, multiline=True) == "一\r\n二\t三"
    with translation.override("en"):
        assert _refused(validators.check_text, "x" * 11, max_length=10) == [
            "At most 10 characters."
        ]
    assert _refused(validators.check_text, 5, max_length=10)


def test_a_service_s_text_error_is_keyed_by_its_field():
    with pytest.raises(ValidationError) as refused:
        validators.text_field_check("a\x00", field="reply", max_length=10, multiline=True)
    assert list(refused.value.message_dict) == ["reply"]


def test_json_values_are_checked_keys_and_all():
    validators.json_text_check({"a": ["b", {"c": 1}]}, field="data")
    for bad in ({"a\x00": 1}, ["\x00"], {"a": {"b": "\ud800"}}):
        with pytest.raises(ValidationError):
            validators.json_text_check(bad, field="data")


def test_logs_are_scrubbed_not_refused():
    assert validators.scrubbed({"q\x00": ["a\x1bb", 1], "ok": "一\n二"}) == {
        "q\ufffd": ["a\ufffdb", 1],
        "ok": "一\n二",
    }


# The adapters -------------------------------------------------------------------------------


def test_form_fields_use_the_validators():
    assert formfields.DateField().clean("2026-11-30") == dt.date(2026, 11, 30)
    with pytest.raises(ValidationError):
        formfields.DateField().clean("0001-01-01")
    with pytest.raises(ValidationError):
        formfields.DateTimeField().clean("9999-12-31T23:59")
    assert formfields.CoordinateField(axis="latitude", required=False).clean("") is None
    with pytest.raises(ValidationError):
        formfields.CoordinateField(axis="latitude").clean("NaN")
    assert formfields.NumberField().clean("2") == Decimal(2)
    with pytest.raises(ValidationError):
        formfields.TextField(max_length=10).clean("a\x1bb")
    assert formfields.TextField(max_length=10, multiline=True).clean("a\nb") == "a\nb"


class _Shape(Schema):
    day: Date | None = None
    due: AwareDateTime | None = None
    lat: Latitude | None = None
    who: Id | None = None
    name: Line = ""
    text: Paragraph = ""


@pytest.mark.parametrize(
    "data",
    [
        {"day": "0001-01-01"},
        {"due": "9999-12-31T23:59:59+14:00"},
        {"due": "2026-05-01T08:00:00"},
        {"lat": float("nan")},
        {"lat": "1e400"},
        {"who": 10**20},
        {"name": "陈\n明"},
        {"text": "内容\x00"},
    ],
)
def test_schema_types_use_the_validators(data):
    with pytest.raises(PydanticError):
        _Shape.model_validate(data)


def test_schema_types_pass_good_values_through():
    shape = _Shape.model_validate(
        {"day": "2026-11-30", "due": "2026-12-01T17:30+08:00", "lat": 28.41, "who": 3}
    )
    assert (shape.day, shape.lat, shape.who) == (dt.date(2026, 11, 30), 28.41, 3)
