"""The simulated day: demand by hour and surge, shifts from a roster, the day served by the real
dispatch engine, the fleet sized to the promise and the clinician roster."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medrush.kernel.errors import InvalidInput
from medrush.simulation import (
    DEFAULT_PROFILE,
    DayScenario,
    SimPharmacy,
    Surge,
    build_day,
    clinician_roster,
    run_day,
    shifts_for,
    size_fleet,
)

# two pharmacies 2 km apart near People's Square, Shanghai
SHOPS = (
    SimPharmacy("a", 31.2304, 121.4737, 2000, picking_minutes=5, weight=10),
    SimPharmacy("b", 31.2304, 121.4947, 2000, picking_minutes=4, weight=0),
)


def test_surge_parses_and_refuses_nonsense() -> None:
    assert Surge.parse("18-21x2") == Surge(18, 21, 2.0)
    assert Surge.parse("0-24X1.5") == Surge(0, 24, 1.5)
    for bad in ("18-21", "21-18x2", "18-25x2", "evening", "18-21x0", "18-21x-1"):
        with pytest.raises(InvalidInput, match="surge"):
            Surge.parse(bad)


def test_hourly_demand_follows_the_profile_and_a_surge_adds_to_it() -> None:
    plain = DayScenario(orders_per_day=2400)
    hours = plain.hourly(2400)
    assert math.isclose(sum(hours), 2400)
    assert hours.index(max(hours)) == DEFAULT_PROFILE.index(max(DEFAULT_PROFILE))
    surged = DayScenario(orders_per_day=2400, surge=Surge(18, 20, 3.0)).hourly(2400)
    assert surged[18] == pytest.approx(3 * hours[18]) and surged[17] == pytest.approx(hours[17])
    assert sum(surged) == pytest.approx(2400 + 2 * (hours[18] + hours[19]))


@pytest.mark.parametrize(
    "fields",
    [
        {"orders_per_day": 0},
        {"orders_per_day": 10, "profile": (1.0,) * 23},
        {"orders_per_day": 10, "profile": (0.0,) * 24},
        {"orders_per_day": 10, "consults_per_day": -1},
        {"orders_per_day": 10, "target_on_time": 1.5},
        {"orders_per_day": 10, "seed": -1},
        {"orders_per_day": 10, "consults_per_day": 10**8},
        {"orders_per_day": 90_000, "surge": Surge(0, 24, 20.0)},  # the surge counts toward the limit
    ],
)
def test_scenario_refuses_bad_values(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        DayScenario(**fields)  # type: ignore[arg-type]


def test_promise_is_the_day_or_night_one_by_hour_also_across_midnight() -> None:
    day = DayScenario(orders_per_day=1, day_start_hour=7, night_start_hour=22)
    assert [day.promise_at(h) for h in (6, 7, 21, 22, 23, 0)] == [60, 30, 30, 60, 60, 60]
    wrapped = DayScenario(orders_per_day=1, day_start_hour=20, night_start_hour=4)
    assert [wrapped.promise_at(h) for h in (19, 20, 23, 0, 3, 4)] == [60, 30, 30, 30, 30, 60]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=24, max_size=24))
def test_shifts_cover_the_roster_exactly_and_last_at_most_eight_hours(roster: list[int]) -> None:
    shifts = shifts_for(roster)
    on_duty = [sum(1 for s, e in shifts if s <= h < e) for h in range(24)]
    assert on_duty == roster
    assert all(0 < e - s <= 8 for s, e in shifts)


def test_a_built_day_is_the_same_for_a_seed_and_its_orders_lie_in_the_delivery_areas() -> None:
    scenario = DayScenario(orders_per_day=300, seed=7)
    roster = [3] * 24
    first, again = build_day(SHOPS, scenario, roster), build_day(SHOPS, scenario, roster)
    assert first == again
    assert first != build_day(SHOPS, DayScenario(orders_per_day=300, seed=8), roster)
    assert 240 <= len(first.orders) <= 360  # Poisson draws around 300
    by_place: dict[str, int] = {}
    for o in first.orders:
        x, y = first.restaurants[o.restaurant]
        assert math.hypot(o.x - x, o.y - y) <= 2000 + 1e-6
        assert 1 <= o.ready_time - o.placement_time <= 8
        assert 0 <= o.placement_time < 24 * 60
        by_place[o.restaurant] = by_place.get(o.restaurant, 0) + 1
    assert by_place["p0"] > 5 * by_place["p1"]  # drawn by orders accepted (10 + 1 against 0 + 1)
    assert sum(c.off_time - c.on_time for c in first.couriers) == (3 * 24 + 3) * 60  # 23:00 runs on


def test_a_short_fleet_misses_the_promise_where_a_large_one_keeps_it() -> None:
    scenario = DayScenario(orders_per_day=400, seed=3)
    short = run_day(SHOPS, scenario, [5] * 24)
    large = run_day(SHOPS, scenario, [20] * 24)
    assert short.orders == large.orders > 0
    assert large.meets_target and large.on_time_pct >= 95
    assert not short.meets_target and short.on_time_pct < large.on_time_pct
    busiest = max(short.hours, key=lambda r: r.orders)
    assert busiest.click_to_door_mean is not None and busiest.click_to_door_mean > 30
    assert large.delivered == large.orders
    assert large.courier_hours == 20 * 24


def test_the_sized_fleet_keeps_every_hour_and_needs_fewer_courier_hours_than_a_flat_one() -> None:
    scenario = DayScenario(orders_per_day=400, surge=Surge(18, 20, 2.0), seed=3)
    sized = size_fleet(SHOPS, scenario)
    assert sized.meets_target, sized.notes
    assert all(r.on_time_pct >= 95 for r in sized.hours if r.orders)
    assert sized.courier_hours < 20 * 24
    assert sized.couriers_by_hour[19] > sized.couriers_by_hour[3]  # the surge needs more than the night
    again = run_day(SHOPS, scenario, sized.couriers_by_hour)
    assert again.to_dict() | {"iterations": 0} == sized.to_dict() | {"iterations": 0}


def test_an_unreachable_promise_is_reported_not_hidden() -> None:
    far = (SimPharmacy("far", 31.2304, 121.4737, 20_000, picking_minutes=15),)
    report = size_fleet(
        far, DayScenario(orders_per_day=100, promise_day=10, promise_night=10), max_iterations=3
    )
    assert not report.meets_target
    assert report.iterations == 3
    assert report.notes and "stay below the target" in report.notes[0]


def test_clinicians_follow_the_consultations_by_hour() -> None:
    assert clinician_roster(DayScenario(orders_per_day=10)) == [None] * 24
    roster = clinician_roster(DayScenario(orders_per_day=10, consults_per_day=2400))
    staffed = [r for r in roster if r is not None]
    assert len(staffed) == 24
    peak = DEFAULT_PROFILE.index(max(DEFAULT_PROFILE))
    assert staffed[peak][0] > staffed[3][0] >= 1
    assert all(wait <= 120 for _, wait in staffed)


def test_bad_roster_or_no_pharmacies_are_refused() -> None:
    scenario = DayScenario(orders_per_day=10)
    with pytest.raises(InvalidInput, match="24 courier counts"):
        build_day(SHOPS, scenario, [1] * 23)
    with pytest.raises(InvalidInput, match="24 courier counts"):
        build_day(SHOPS, scenario, [10**6] * 24)
    with pytest.raises(InvalidInput, match="no pharmacies"):
        build_day((), scenario, [1] * 24)
