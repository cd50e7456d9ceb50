"""The demo's past day laid over real time: simulated shifts as they fell around the hour of loading,
and the courier accounts that worked them (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from medrush.demo import BREAK_HOURS, REST_HOURS, WORK_HOURS, _last_day, _rota, _shifts
from medrush.simulation import DayScenario, ServedOrder, served_orders
from tests.unit.simulation.test_simulation_day import SHOPS

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 7, tzinfo=UTC)


def _order(courier: str, picked: int, delivered: int, shift: tuple[int, int]) -> ServedOrder:
    return ServedOrder("p", 31.2, 121.4, picked - 10, picked - 2, picked, delivered, 30, courier, *shift)


def test_each_minute_falls_on_its_last_past_day_also_after_midnight() -> None:
    assert _last_day(MIDNIGHT, 12 * 60, NOW) == MIDNIGHT
    assert _last_day(MIDNIGHT, 14 * 60, NOW) == MIDNIGHT - timedelta(days=1)
    # 00:30 of the next day (a shift running on to 01:00), loaded at 00:10: two days back
    early = MIDNIGHT + timedelta(minutes=10)
    assert _last_day(MIDNIGHT, 24 * 60 + 30, early) == MIDNIGHT - timedelta(days=2)


def test_a_shift_straddling_the_hour_of_loading_is_two_and_ends_with_its_last_dropoff() -> None:
    served = [
        _order("c1", 9 * 60, 9 * 60 + 20, (8 * 60, 16 * 60)),  # today, before 13:00
        _order("c1", 15 * 60, 15 * 60 + 20, (8 * 60, 16 * 60)),  # yesterday afternoon
        _order("c2", 16 * 60 - 5, 16 * 60 + 12, (8 * 60, 16 * 60)),  # picked up at the end: overtime
    ]
    days = [_last_day(MIDNIGHT, o.delivered, NOW) for o in served]
    shifts = _shifts(served, days, NOW)
    yesterday = MIDNIGHT - timedelta(days=1)
    assert shifts == {
        ("c1", MIDNIGHT): (MIDNIGHT + timedelta(hours=8), NOW),  # still on when the demo was loaded
        ("c1", yesterday): (yesterday + timedelta(hours=8), yesterday + timedelta(hours=16)),
        ("c2", yesterday): (yesterday + timedelta(hours=8), yesterday + timedelta(hours=16, minutes=12)),
    }


def test_the_rota_never_gives_one_account_two_shifts_at_once_nor_too_much_work() -> None:
    hours = [(h, h + 8) for h in range(-30, 0, 2)] + [(h, h + 1) for h in range(-12, 0)]
    shifts = sorted((NOW + timedelta(hours=a), NOW + timedelta(hours=b)) for a, b in hours)
    rota = _rota(shifts, 3, NOW)
    assert rota == _rota(shifts, 3, NOW)  # the same every time
    by_account: dict[int, list[tuple[datetime, datetime]]] = {}
    for account, shift in zip(rota, shifts, strict=True):
        by_account.setdefault(account, []).append(shift)
    for account, worked in by_account.items():
        for (_, end), (start, _) in pairwise(worked):
            assert end + timedelta(hours=BREAK_HOURS) <= start
        assert sum((b - a for a, b in worked), timedelta(0)) <= timedelta(hours=WORK_HOURS)
        if account < 3:  # a demo courier, on a shift from now on: rested before it
            assert worked[-1][1] + timedelta(hours=REST_HOURS) <= NOW
    assert {0, 1, 2} <= set(rota)  # the demo couriers work first
    assert len(by_account) < len(shifts)


def test_a_served_order_names_the_shift_that_carried_it_and_no_courier_rides_twice_at_once() -> None:
    served = served_orders(SHOPS, DayScenario(orders_per_day=300, seed=3), [6] * 24)
    assert len(served) > 200
    trips: dict[str, dict[int, int]] = {}
    for o in served:
        assert o.courier and o.shift_start <= o.picked_up <= o.shift_end  # then it finishes the trip
        assert o.delivered < o.shift_end + 60
        trip = trips.setdefault(o.courier, {})
        trip[o.picked_up] = max(trip.get(o.picked_up, o.delivered), o.delivered)
    for trip in trips.values():
        for (_, end), (start, _) in pairwise(sorted(trip.items())):
            assert end <= start
