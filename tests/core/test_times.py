"""The one canonical spelling of times, dates and months (ledger.core.times)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.errors import EncodingError
from ledger.core.times import format_time, parse_date, parse_month, parse_time, utc_now

CST = timezone(timedelta(hours=8))

# ---------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-11-02T07:58:03+08:00", datetime(2026, 11, 1, 23, 58, 3, tzinfo=UTC)),
        ("2026-11-01T23:58:03.250Z", datetime(2026, 11, 1, 23, 58, 3, 250_000, tzinfo=UTC)),
        ("2026-11-01T23:58:03.000001Z", datetime(2026, 11, 1, 23, 58, 3, 1, tzinfo=UTC)),
        ("2026-11-01T23:58:03.123456-05:30", datetime(2026, 11, 2, 5, 28, 3, 123456, tzinfo=UTC)),
        ("2000-01-01T00:00:00Z", datetime(2000, 1, 1, tzinfo=UTC)),
        ("2199-12-31T23:59:59.999Z", datetime(2199, 12, 31, 23, 59, 59, 999_000, tzinfo=UTC)),
        ("2028-02-29T12:00:00+14:00", datetime(2028, 2, 28, 22, 0, tzinfo=UTC)),
        ("2026-01-01T00:00:00+23:59", datetime(2025, 12, 31, 0, 1, tzinfo=UTC)),
    ],
)
def test_canonical_times_parse_to_their_instant_and_keep_their_offset(
    text: str, instant: datetime
) -> None:
    value = parse_time(text)
    assert value == instant
    assert format_time(value) == text


def test_offset_is_kept_not_normalised_to_utc() -> None:
    value = parse_time("2026-11-02T07:58:03+08:00")
    assert value.utcoffset() == timedelta(hours=8)
    assert value.date() == date(2026, 11, 2)  # the local calendar day payroll counts


# ---------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2026-11-01T23:58:03+00:00", "2026-11-01T23:58:03Z"),
        ("2026-11-01T23:58:03.250000Z", "2026-11-01T23:58:03.250Z"),
        ("2026-11-01T23:58:03.000Z", "2026-11-01T23:58:03Z"),
        ("2026-11-01T23:58:03.000000+08:00", "2026-11-01T23:58:03+08:00"),
        ("2026-11-01T23:58:03-00:00", "2026-11-01T23:58:03Z"),
    ],
)
def test_non_canonical_spellings_are_refused_naming_the_canonical_one(
    text: str, canonical: str
) -> None:
    with pytest.raises(EncodingError) as info:
        parse_time(text, "time")
    assert info.value.field == "time"
    assert info.value.reason == f"{text!r} is not in canonical form, write {canonical!r}"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-01T23:58:03",  # missing offset
        "2026-11-01T23:58:03z",  # lowercase z
        "2026-11-01t23:58:03Z",
        "2026-11-01 23:58:03Z",  # space instead of T
        "2026-11-01T23:58Z",  # no seconds
        "2026-11-01T23:58:03.25Z",  # 2 fraction digits
        "2026-11-01T23:58:03.2500Z",  # 4 fraction digits
        "2026-11-01T23:58:03.1234567Z",  # 7 fraction digits
        "2026-11-01T23:58:03.Z",
        "2026-11-01T23:58:03+0800",  # offset without colon
        "2026-11-01T23:58:03+08",
        "2026-11-01T23:58:03+8:00",
        "2026-11-01T23:58:03 +08:00",
        "20261101T235803Z",  # basic format
        "2026-11-01T23:58:03Z ",
        "+2026-11-01T23:58:03Z",
        "２０２６-11-01T23:58:03Z",  # fullwidth digits
        "2026-11-01T23:58:0\u0663Z",  # Arabic-Indic digit
    ],
)
def test_other_shapes_are_refused(text: str) -> None:
    with pytest.raises(EncodingError) as info:
        parse_time(text, "received_at")
    assert info.value.field == "received_at"
    assert info.value.reason == f"{text!r} is not an RFC 3339 time with offset"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-11-01T23:58:03+24:00", "offset +24:00 out of range"),
        ("2026-11-01T23:58:03-08:60", "offset -08:60 out of range"),
        ("2026-13-01T00:00:00Z", "month must be in 1..12"),
        ("2026-02-29T00:00:00Z", "day is out of range for month"),
        ("2026-11-01T24:00:00Z", "hour must be in 0..23"),
        ("2026-12-31T23:59:60Z", "second must be in 0..59"),  # no leap seconds
    ],
)
def test_out_of_range_parts_are_refused(text: str, reason: str) -> None:
    with pytest.raises(EncodingError, match=re.escape(reason)) as info:
        parse_time(text, "t")
    assert info.value.field == "t"


@pytest.mark.parametrize(
    "text",
    [
        "1999-12-31T23:59:59.999Z",
        "2200-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2000-01-01T07:59:59+08:00",  # 1999-12-31T23:59:59Z
        "2199-12-31T20:00:00-04:00",  # 2200-01-01T00:00:00Z
    ],
)
def test_instants_outside_2000_to_2199_are_refused(text: str) -> None:
    with pytest.raises(EncodingError) as info:
        parse_time(text, "time")
    assert info.value.reason == f"{text!r} is outside 2000..2199"


@pytest.mark.parametrize("value", [None, 1_700_000_000, b"2026-11-01T23:58:03Z", ["x"]])
def test_non_strings_are_refused(value: object) -> None:
    with pytest.raises(EncodingError) as info:
        parse_time(value, "time")
    assert info.value.reason == "must be an RFC 3339 time string"


def test_format_time_refuses_naive_and_sub_minute_offsets() -> None:
    with pytest.raises(EncodingError, match="time has no UTC offset"):
        format_time(datetime(2026, 1, 1))
    # Python allows offsets in seconds; RFC 3339 cannot write them, and -00:00:30 used to come
    # out as "-00:01", a different instant.
    for seconds in (30, -30, 3600 + 1):
        tz = timezone(timedelta(seconds=seconds))
        with pytest.raises(EncodingError, match="is not a whole number of minutes"):
            format_time(datetime(2026, 1, 1, tzinfo=tz))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05Z"),
        (datetime(2026, 1, 2, 3, 4, 5, 120_000, tzinfo=CST), "2026-01-02T03:04:05.120+08:00"),
        (datetime(2026, 1, 2, 3, 4, 5, 120_001, tzinfo=CST), "2026-01-02T03:04:05.120001+08:00"),
        (
            datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(-timedelta(hours=3, minutes=30))),
            "2026-01-02T03:04:05-03:30",
        ),
        (datetime(2026, 1, 2, tzinfo=timezone(timedelta(0))), "2026-01-02T00:00:00Z"),
    ],
)
def test_format_time_known_answers(value: datetime, text: str) -> None:
    assert format_time(value) == text


# ---------------------------------------------------------------------------- round trips

_offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
_times = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2199, 12, 30), timezones=_offsets
)


@settings(max_examples=200, deadline=None)
@given(_times)
def test_format_then_parse_is_the_identity(value: datetime) -> None:
    text = format_time(value)
    back = parse_time(text)
    assert back == value
    assert back.utcoffset() == value.utcoffset()
    assert format_time(back) == text
    frac = text[19:].split("Z")[0].split("+")[0].split("-")[0]
    assert frac in ("",) or len(frac) in (4, 7)  # "." and 3 or 6 digits


@settings(max_examples=100, deadline=None)
@given(_times)
def test_every_instant_has_exactly_one_spelling_per_offset(value: datetime) -> None:
    text = format_time(value)
    if value.microsecond and value.microsecond % 1000 == 0:
        padded = text[:23] + "000" + text[23:]
        with pytest.raises(EncodingError, match="not in canonical form"):
            parse_time(padded)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2199, 12, 31)))
def test_dates_round_trip(value: date) -> None:
    assert parse_date(value.isoformat()) == value


def test_utc_now_is_aware_utc_in_milliseconds() -> None:
    now = utc_now()
    assert now.utcoffset() == timedelta(0)
    assert now.microsecond % 1000 == 0
    assert parse_time(format_time(now)) == now


# ---------------------------------------------------------------------------- dates, months


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-1-05", "must be a date YYYY-MM-DD"),
        ("2026-01-05T00:00:00Z", "must be a date YYYY-MM-DD"),
        ("20260105", "must be a date YYYY-MM-DD"),
        ("２０２６-01-05", "must be a date YYYY-MM-DD"),
        (20260105, "must be a date YYYY-MM-DD"),
        ("2026-02-30", "'2026-02-30': day is out of range for month"),
        ("2026-00-10", "'2026-00-10': month must be in 1..12"),
        ("1999-12-31", "'1999-12-31' is outside 2000..2199"),
        ("2200-01-01", "'2200-01-01' is outside 2000..2199"),
    ],
)
def test_bad_dates_are_refused(text: object, reason: str) -> None:
    with pytest.raises(EncodingError) as info:
        parse_date(text, "pay_date")
    assert info.value.field == "pay_date"
    assert info.value.reason == reason


def test_month_is_returned_unchanged() -> None:
    assert parse_month("2026-01") == "2026-01"
    assert parse_month("2199-12") == "2199-12"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13", "must be a month YYYY-MM"),
        ("2026-00", "must be a month YYYY-MM"),
        ("2026-1", "must be a month YYYY-MM"),
        ("2026-01-01", "must be a month YYYY-MM"),
        ("２０２６-01", "must be a month YYYY-MM"),  # used to pass through unchanged
        (202601, "must be a month YYYY-MM"),
        ("1999-12", "'1999-12' is outside 2000..2199"),
        ("2200-01", "'2200-01' is outside 2000..2199"),
    ],
)
def test_bad_months_are_refused(text: object, reason: str) -> None:
    with pytest.raises(EncodingError) as info:
        parse_month(text)
    assert info.value.field == "pay_month"
    assert info.value.reason == reason


# ---------------------------------------------------------------------------- the fast check


_DIGITS = st.text("0123456789", min_size=2, max_size=2)


@st.composite
def _time_texts(draw: st.DrawFn) -> str:
    """Texts of the pattern's shape, canonical or not: zero and trailing-zero fractions, every
    sign of a zero offset, out-of-range parts."""
    year = draw(st.sampled_from(["1999", "2000", "2026", "2199", "2200"]))
    parts = [draw(_DIGITS) for _ in range(5)]
    frac = draw(st.sampled_from(["", ".000", ".250", ".001", ".000000", ".250000", ".123456",
                                 ".000001", ".100000", ".999000"]))  # fmt: skip
    off = draw(st.sampled_from(["Z", "+00:00", "-00:00", "+08:00", "-05:30", "+14:00",
                                "+23:59", "-23:59", "+24:00", "+08:60", "-00:01"]))  # fmt: skip
    return f"{year}-{parts[0]}-{parts[1]}T{parts[2]}:{parts[3]}:{parts[4]}{frac}{off}"


def _slow_parse(text: str) -> datetime:
    """The definition: parse without the canonical check, then compare with format_time."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}|\d{6}))?"
                     r"(Z|[+-]\d{2}:\d{2})", text)  # fmt: skip
    assert m is not None
    year, month, day, hour, minute, second, frac, off = m.groups()
    if off == "Z":
        tz = UTC
    else:
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            raise EncodingError(f"offset {off} out of range", "time")
        delta = timedelta(hours=oh, minutes=om)
        tz = timezone(-delta if off[0] == "-" else delta)
    try:
        micro = int(frac.ljust(6, "0")) if frac else 0
        value = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                         micro, tz)  # fmt: skip
    except ValueError as exc:
        raise EncodingError(f"{text!r}: {exc}", "time") from exc
    if not datetime(2000, 1, 1, tzinfo=UTC) <= value < datetime(2200, 1, 1, tzinfo=UTC):
        raise EncodingError(f"{text!r} is outside 2000..2199", "time")
    canonical = format_time(value)
    if canonical != text:
        raise EncodingError(f"{text!r} is not in canonical form, write {canonical!r}", "time")
    return value


@settings(max_examples=3000)
@given(_time_texts())
def test_the_canonical_check_agrees_with_format_time(text: str) -> None:
    """parse_time decides canonical form without formatting the value again; it must accept
    and refuse exactly what ``format_time(value) == text`` does, with the same error."""
    try:
        want: datetime | str = _slow_parse(text)
    except EncodingError as exc:
        want = str(exc)
    try:
        got: datetime | str = parse_time(text, "time")
    except EncodingError as exc:
        got = str(exc)
    assert got == want
    if isinstance(got, datetime):
        assert isinstance(want, datetime) and got.utcoffset() == want.utcoffset()
