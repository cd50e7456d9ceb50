"""Opening hours: weekly intervals, overnight intervals, 24-hour shops and holiday exceptions."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from medrush.kernel.errors import InvalidInput
from medrush.pharmacies.hours import DayException, Interval, WeeklyHours, parse_interval

SHANGHAI = "Asia/Shanghai"


def at_local(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant given in Shanghai local time in November 2026 (the 23rd is a Monday), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(SHANGHAI)).astimezone(UTC)


def test_a_day_interval_is_open_inside_and_closed_at_the_closing_minute() -> None:
    hours = WeeklyHours(SHANGHAI, (Interval(0, time(8), time(22)),))
    assert hours.is_open_at(at_local(23, 8, 0)) is True
    assert hours.is_open_at(at_local(23, 21, 59)) is True
    assert hours.is_open_at(at_local(23, 22, 0)) is False
    assert hours.is_open_at(at_local(23, 7, 59)) is False


def test_the_interval_belongs_to_its_weekday_only() -> None:
    hours = WeeklyHours(SHANGHAI, (Interval(0, time(8), time(22)),))
    assert hours.is_open_at(at_local(24, 12)) is False  # Tuesday


def test_an_overnight_interval_runs_into_the_next_morning() -> None:
    hours = WeeklyHours(SHANGHAI, (Interval(0, time(20), time(2)),))
    assert hours.is_open_at(at_local(23, 23, 30)) is True
    assert hours.is_open_at(at_local(24, 1, 59)) is True
    assert hours.is_open_at(at_local(24, 2, 0)) is False
    assert hours.is_open_at(at_local(23, 1, 0)) is False  # Monday 01:00 follows Sunday, closed


def test_closing_at_midnight_means_the_end_of_the_day() -> None:
    opens, closes = parse_interval("07:00-24:00")
    hours = WeeklyHours(SHANGHAI, (Interval(0, opens, closes),))
    assert hours.is_open_at(at_local(23, 23, 59)) is True
    assert hours.is_open_at(at_local(24, 0, 0)) is False


def test_a_24_hour_pharmacy_is_always_open() -> None:
    hours = WeeklyHours(SHANGHAI, always_open=True)
    assert all(hours.is_open_at(at_local(25, h)) for h in range(24))


def test_a_holiday_closes_even_a_24_hour_pharmacy() -> None:
    hours = WeeklyHours(
        SHANGHAI, always_open=True, exceptions={date(2026, 11, 25): DayException(date(2026, 11, 25))}
    )
    assert hours.is_open_at(at_local(25, 12)) is False
    assert hours.is_open_at(at_local(26, 12)) is True


def test_holiday_special_hours_replace_the_weekly_hours() -> None:
    special = DayException(date(2026, 11, 23), closed=False, opens=time(10), closes=time(14))
    hours = WeeklyHours(SHANGHAI, (Interval(0, time(8), time(22)),), exceptions={special.day: special})
    assert hours.is_open_at(at_local(23, 9)) is False
    assert hours.is_open_at(at_local(23, 10)) is True
    assert hours.is_open_at(at_local(23, 15)) is False


def test_the_pharmacy_time_zone_decides() -> None:
    hours = WeeklyHours("Europe/Helsinki", (Interval(0, time(9), time(18)),))
    # Monday 07:30 UTC is 09:30 in Helsinki (UTC+2 in November)
    assert hours.is_open_at(datetime(2026, 11, 23, 7, 30, tzinfo=UTC)) is True
    assert hours.is_open_at(datetime(2026, 11, 23, 6, 30, tzinfo=UTC)) is False


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        WeeklyHours(SHANGHAI, always_open=True).is_open_at(datetime(2026, 11, 23, 12))


def test_bad_interval_text_is_refused() -> None:
    with pytest.raises(InvalidInput, match="HH:MM-HH:MM") as refused:
        parse_interval("8 to 10")
    assert refused.value.code == "bad_hours"
    chinese = refused.value.translated("zh")
    assert chinese != str(refused.value) and "'8 to 10'" in chinese
    for bad in ("25:00-26:00", "08:00", "8:0-9:00"):
        with pytest.raises(InvalidInput):
            parse_interval(bad)


def test_weekday_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday"):
        Interval(7, time(8), time(9))


def test_osm_style_weekly_hours() -> None:
    from medrush.pharmacies.hours import parse_weekly

    intervals = parse_weekly("Mo-Fr 09:00-21:00; Sa 09:00-19:00; Su 11:00-18:00")
    assert len(intervals) == 7
    assert intervals[0] == Interval(0, time(9), time(21))
    assert intervals[5] == Interval(5, time(9), time(19))
    assert intervals[6] == Interval(6, time(11), time(18))
    assert parse_weekly("Sa,Su 10:00-12:00") == (
        Interval(5, time(10), time(12)),
        Interval(6, time(10), time(12)),
    )
    assert [i.weekday for i in parse_weekly("Fr-Mo 20:00-02:00")] == [4, 5, 6, 0]
    assert len(parse_weekly("24/7")) == 7
    assert parse_weekly("Mo 9:00-18:00") == (Interval(0, time(9), time(18)),)
    with pytest.raises(InvalidInput, match="bad days"):
        parse_weekly("Xx 09:00-10:00")
    with pytest.raises(InvalidInput, match="bad opening-hours rule"):
        parse_weekly("Mo")
