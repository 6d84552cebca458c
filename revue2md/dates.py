"""Parse the date forms Revue sources hold, and write them as Hugo wants (RFC 3339)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from revue2md.models import Choice


class DateRule(Choice):
    """Where a source has no date: leave it out, or take a YYYY-MM-DD from the source's file name."""

    none = "none"
    filename = "filename"


_DATETIME = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$",
    re.IGNORECASE,
)


def parse_date(value: str) -> datetime | date | None:
    """An aware datetime (or a plain date when the text has no time), None when not understood.

    Accepts RFC 3339 / ISO 8601 (`2021-09-23T23:16:41.420Z`, `2019-03-24T23:33:48-05:00`),
    the ZIP export's `2022-12-01 01:01:30 UTC`, and `2021-09-23`. A time without an offset
    is taken as UTC, which is what Revue stored.
    """
    match = _DATETIME.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        if hour is None:
            if zone:
                return None
            return date(int(year), int(month), int(day))
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro,
            tzinfo=_zone(zone),
        )
    except ValueError:
        return None


def _zone(zone: str | None) -> timezone:
    if not zone or zone.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if offset >= timedelta(hours=24):
        raise ValueError("offset out of range")
    return timezone(sign * offset)


def format_date(value: datetime | date) -> str:
    """RFC 3339 with the source's own offset (`Z` for UTC); a plain date stays a date."""
    if not isinstance(value, datetime):
        return value.isoformat()
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset()
    if offset is None or offset == timedelta(0):
        return text + "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
