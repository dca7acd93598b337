"""Times and dates in their one canonical text form.

A signed record carries its times as text, so a time must have exactly one spelling or the same
instant would hash two ways. The canonical form is RFC 3339 with seconds, an optional fraction of
exactly 3 or 6 digits, and the offset ``Z`` for UTC or ``±HH:MM`` otherwise:
``2026-11-02T07:58:03+08:00``, ``2026-11-01T23:58:03.250Z``. The offset the device used is kept,
because a punch's local calendar day is what payroll counts; comparisons use the instant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from ledger.core.errors import EncodingError

_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}|\d{6}))?(Z|[+-]\d{2}:\d{2})",
    re.ASCII,  # \d would also match other scripts' digits, e.g. fullwidth ２０２６
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


_FORMATTED: dict[tuple[datetime, timedelta | None], str] = {}


def format_time(t: datetime) -> str:
    """Return the canonical text of an aware datetime (see the module docstring).

    Results are memoised by (instant, offset): equal datetimes with different offsets are equal
    in Python but spelled differently, so the offset is part of the key.
    """
    key = (t, t.utcoffset())
    text = _FORMATTED.get(key)
    if text is None:
        text = _format_time(t)
        if len(_FORMATTED) >= 4096:
            _FORMATTED.clear()
        _FORMATTED[key] = text
    return text


def _format_time(t: datetime) -> str:
    offset = t.utcoffset()
    if offset is None:
        raise EncodingError("time has no UTC offset")
    if offset % timedelta(minutes=1):
        raise EncodingError(f"UTC offset {offset} is not a whole number of minutes")
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        frac = f"{t.microsecond:06d}"
        text += "." + (frac[:3] if frac.endswith("000") else frac)
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{mins:02d}"


def parse_time(text: object, field: str = "time") -> datetime:
    """Parse a canonical time; any other spelling is refused with the canonical one suggested."""
    if not isinstance(text, str):
        raise EncodingError("must be an RFC 3339 time string", field)
    m = _TIME.fullmatch(text)
    if not m:
        raise EncodingError(f"{text!r} is not an RFC 3339 time with offset", field)
    year, month, day, hour, minute, second, frac, off = m.groups()
    tz = _ZONES.get(off)
    if tz is None:
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            raise EncodingError(f"offset {off} out of range", field)
        delta = timedelta(hours=oh, minutes=om)
        tz = _ZONES[off] = timezone(-delta if off[0] == "-" else delta)
    try:
        micro = int(frac.ljust(6, "0")) if frac else 0
        value = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        )
    except ValueError as exc:
        raise EncodingError(f"{text!r}: {exc}", field) from exc
    if not EARLIEST <= value < LATEST:  # first: strftime would suggest "1-01-01" for year 1
        raise EncodingError(f"{text!r} is outside 2000..2199", field)
    # The text is canonical (``format_time(value) == text``) unless it spells a zero fraction,
    # a fraction of 6 digits that 3 would write, or a zero offset other than Z: the pattern
    # fixes every other digit's place, and datetime() refused values out of range. A test
    # holds this to format_time over generated texts.
    if (frac is not None and (micro == 0 or (len(frac) == 6 and frac.endswith("000")))) or (
        off in _ZERO_OFFSETS
    ):
        canonical = format_time(value)
        raise EncodingError(f"{text!r} is not in canonical form, write {canonical!r}", field)
    return value


_ZONES: dict[str, timezone] = {"Z": UTC}  # offset text -> its zone, filled as offsets are seen
_ZERO_OFFSETS = frozenset({"+00:00", "-00:00"})


def parse_date(text: object, field: str = "date") -> date:
    """Parse ``YYYY-MM-DD``."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise EncodingError("must be a date YYYY-MM-DD", field)
    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise EncodingError(f"{text!r}: {exc}", field) from exc
    if not EARLIEST.date() <= value < LATEST.date():
        raise EncodingError(f"{text!r} is outside 2000..2199", field)
    return value


def parse_month(text: object, field: str = "pay_month") -> str:
    """Check ``YYYY-MM`` and return it unchanged."""
    if not isinstance(text, str) or not _MONTH.fullmatch(text):
        raise EncodingError("must be a month YYYY-MM", field)
    if not 2000 <= int(text[:4]) < 2200:
        raise EncodingError(f"{text!r} is outside 2000..2199", field)
    return text


def offset_timezone(offset: str) -> timezone:
    """The fixed-offset time zone of a checked ``±HH:MM`` offset (a project's ``tz_offset``)."""
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return timezone(-delta if offset[0] == "-" else delta)


def utc_now() -> datetime:
    """The current time in UTC, truncated to milliseconds (callers outside the core use this)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
