"""Opening hours as plain values: weekly intervals, 24-hour shops and holiday exceptions.

Pure functions (no database) so the rules are tested directly; the models turn their rows into
these values. An interval whose ``closes`` is not after ``opens`` runs past midnight (22:00-02:00),
and ``closes == 00:00`` means midnight at the end of the day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from medrush.kernel.errors import InvalidInput

__all__ = ["DayException", "Interval", "WeeklyHours", "format_interval", "parse_interval", "parse_weekly"]


@dataclass(frozen=True, slots=True)
class Interval:
    """Open from ``opens`` to ``closes`` on ``weekday`` (0 = Monday), local time."""

    weekday: int
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday}")

    @property
    def crosses_midnight(self) -> bool:
        """True when the interval ends on the next day."""
        return self.closes <= self.opens


@dataclass(frozen=True, slots=True)
class DayException:
    """A holiday rule for one local date: closed all day, or open only within the given hours."""

    day: date
    closed: bool = True
    opens: time | None = None
    closes: time | None = None


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """A pharmacy's weekly timetable in its own time zone."""

    timezone: str
    intervals: tuple[Interval, ...] = ()
    always_open: bool = False
    exceptions: dict[date, DayException] = field(default_factory=dict)

    def is_open_at(self, t: datetime) -> bool:
        """True when the pharmacy is open at the aware instant ``t``."""
        if t.tzinfo is None:
            raise ValueError("is_open_at needs an aware datetime")
        local = t.astimezone(ZoneInfo(self.timezone))
        today, now = local.date(), local.time()
        exception = self.exceptions.get(today)
        if exception is not None:
            if exception.closed or exception.opens is None or exception.closes is None:
                return False
            return _within(exception.opens, exception.closes, now)
        if self.always_open:
            return True
        yesterday = (local - timedelta(days=1)).weekday()
        for interval in self.intervals:
            if interval.weekday == local.weekday() and _starts_today(interval, now):
                return True
            # the tail of yesterday's overnight interval, unless today is an exceptional day
            if interval.weekday == yesterday and interval.crosses_midnight and now < interval.closes:
                return True
        return False


def _starts_today(interval: Interval, now: time) -> bool:
    if interval.crosses_midnight:
        return now >= interval.opens
    return interval.opens <= now < interval.closes


def _within(opens: time, closes: time, now: time) -> bool:
    if closes <= opens:
        return now >= opens or now < closes
    return opens <= now < closes


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(text)
    return time(int(hours), int(minutes))


def parse_interval(text: str) -> tuple[time, time]:
    """Parse ``"08:00-22:00"`` (``24:00`` allowed as the closing time) into two times."""
    try:
        start, end = (part.strip() for part in text.split("-"))
        opens = _clock(start)
        closes = time(0, 0) if end in ("24:00", "24:00:00") else _clock(end)
    except ValueError:
        raise InvalidInput("bad hours {text!r}: expected HH:MM-HH:MM", code="bad_hours", text=text) from None
    return opens, closes


def format_interval(opens: time, closes: time) -> str:
    """``"08:00-22:00"``, the form ``parse_interval`` reads (a midnight close written ``24:00``)."""
    end = "24:00" if closes == time(0, 0) else closes.strftime("%H:%M")
    return f"{opens.strftime('%H:%M')}-{end}"


_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def parse_weekly(text: str) -> tuple[Interval, ...]:
    """Parse the simple OpenStreetMap form ``"Mo-Fr 09:00-21:00; Sa 10:00-16:00"`` into intervals.

    Supports day ranges, comma-separated days and several rules; ``24/7`` gives one all-day
    interval per weekday. Anything else raises InvalidInput naming the rule.
    """
    text = text.strip()
    if text == "24/7":
        return tuple(Interval(d, time(0), time(0)) for d in range(7))
    intervals: list[Interval] = []
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        try:
            days_part, hours_part = rule.split(" ", 1)
        except ValueError:
            raise InvalidInput("bad opening-hours rule {rule!r}", code="bad_hours", rule=rule) from None
        days: list[int] = []
        for chunk in days_part.split(","):
            if "-" in chunk:
                first, last = chunk.split("-")
                if first not in _DAYS or last not in _DAYS:
                    raise InvalidInput("bad days in {rule!r}", code="bad_hours", rule=rule)
                a, b = _DAYS.index(first), _DAYS.index(last)
                days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
            elif chunk in _DAYS:
                days.append(_DAYS.index(chunk))
            else:
                raise InvalidInput("bad days in {rule!r}", code="bad_hours", rule=rule)
        for span in hours_part.split(","):
            opens, closes = parse_interval(span)
            intervals.extend(Interval(d, opens, closes) for d in days)
    return tuple(intervals)
