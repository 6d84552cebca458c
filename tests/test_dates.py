from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from revue2md.dates import format_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected", "written"),
    [
        ("2021-09-23T23:16:41.420Z", datetime(2021, 9, 23, 23, 16, 41, 420000, tzinfo=timezone.utc),
         "2021-09-23T23:16:41.42Z"),
        ("2019-03-24T23:33:48-05:00", datetime(2019, 3, 24, 23, 33, 48, tzinfo=timezone(timedelta(hours=-5))),
         "2019-03-24T23:33:48-05:00"),
        ("2022-12-01 01:01:30 UTC", datetime(2022, 12, 1, 1, 1, 30, tzinfo=timezone.utc), "2022-12-01T01:01:30Z"),
        ("2021-01-01T10:00:00+0530", datetime(2021, 1, 1, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))),
         "2021-01-01T10:00:00+05:30"),
        ("2021-09-23", date(2021, 9, 23), "2021-09-23"),
    ],
)
def test_parse_and_write(text, expected, written):
    parsed = parse_date(text)
    assert parsed == expected
    assert format_date(parsed) == written


@pytest.mark.parametrize("text", ["", "yesterday", "2021-13-01T00:00:00Z", "2021-02-30", "23/09/2021",
                                  "2021-01-01T00:00:00+25:00"])
def test_not_understood(text):
    assert parse_date(text) is None


def test_time_without_offset_is_utc():
    assert parse_date("2021-06-25T00:00:00").tzinfo == timezone.utc
