"""The one source of time: aware UTC, replaceable by a simulated or frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["FrozenClock", "now", "set_clock"]

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time as an aware UTC datetime."""
    return _source()


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Replace the clock (None restores the real one)."""
    global _source
    _source = source if source is not None else (lambda: datetime.now(UTC))


class FrozenClock:
    """A clock that moves only when told to: for tests and the simulator."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by a timedelta given as keyword arguments."""
        self.current += timedelta(**delta)
        return self.current
