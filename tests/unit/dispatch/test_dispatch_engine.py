"""The engine on hand-made snapshots with exact expected assignments and ETAs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medrush.dispatch import (
    CeilEuclidTravel,
    CourierState,
    DispatchParams,
    OpenOrder,
    Snapshot,
    estimate_eta,
    plan_round,
    planar_xy,
    travel_minutes,
)

TRAVEL = CeilEuclidTravel(320)
PARAMS = DispatchParams(frequency=2.0)


def order(
    oid: str, drop: tuple[float, float], ready: float, placed: float = 0.0, place: str = "r1"
) -> OpenOrder:
    """An order of restaurant r1 at the origin unless told otherwise."""
    return OpenOrder(oid, place, (0.0, 0.0), drop, placed, ready, placed + 40)


def test_travel_minutes_rounds_up_like_the_benchmark() -> None:
    assert travel_minutes((0, 0), (320, 0), 320) == 1.0
    assert travel_minutes((0, 0), (321, 0), 320) == 2.0
    assert travel_minutes((0, 0), (0, 0), 320) == 0.0
    m = TRAVEL.matrix(np.array([[0.0, 0.0], [640.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 961.0]]))
    assert m.tolist() == [[0.0, 4.0], [2.0, 4.0]]


def test_planar_projection_is_metres_from_origin() -> None:
    x, y = planar_xy(31.001, 121.0, 31.0, 121.0)
    assert x == 0.0
    assert math.isclose(y, 111.19508, rel_tol=1e-5)


def test_single_order_is_postponed_until_the_courier_must_leave() -> None:
    o = order("o1", (3200.0, 0.0), ready=10)
    c = CourierState("c1", (640.0, 0.0), free_at=0, shift_end=100)
    # latest useful start = ready 10 - half pickup 2 - travel 2 = 6, not before the next round
    assert plan_round(Snapshot(0, (o,), (c,)), TRAVEL, "rolling", PARAMS) == []
    [a] = plan_round(Snapshot(5, (o,), (c,)), TRAVEL, "rolling", PARAMS)
    assert (a.courier_id, a.order_ids, a.depart_at) == ("c1", ("o1",), 5)
    assert [(s.kind, s.place_id, s.arrive_at, s.service_at, s.depart_at) for s in a.stops] == [
        ("pickup", "r1", 7, 10, 12),
        ("dropoff", "o1", 22, 24, 26),
    ]
    assert a.pickup_at == 10
    assert a.etas == {"o1": 24}


def test_greedy_waits_for_a_ready_order_then_sends_the_nearest_courier() -> None:
    o = order("o1", (3200.0, 0.0), ready=10)
    near = CourierState("near", (640.0, 0.0), free_at=0, shift_end=100)
    far = CourierState("far", (3200.0, 0.0), free_at=0, shift_end=100)
    assert plan_round(Snapshot(5, (o,), (near, far)), TRAVEL, "greedy", PARAMS) == []
    [a] = plan_round(Snapshot(6, (o,), (far, near)), TRAVEL, "greedy", PARAMS)
    assert (a.courier_id, a.depart_at, a.pickup_at, a.etas) == ("near", 6, 10, {"o1": 24})


def test_two_orders_of_one_restaurant_are_bundled_for_one_courier() -> None:
    a_order = order("oA", (1600.0, 0.0), ready=10)
    b_order = order("oB", (3200.0, 0.0), ready=10, placed=1)
    c = CourierState("c1", (0.0, 0.0), free_at=0, shift_end=100)
    [a] = plan_round(Snapshot(8, (b_order, a_order), (c,)), TRAVEL, "rolling", PARAMS)
    assert a.order_ids == ("oA", "oB")
    assert [(s.place_id, s.arrive_at, s.service_at, s.depart_at) for s in a.stops] == [
        ("r1", 8, 10, 12),
        ("oA", 17, 19, 21),
        ("oB", 26, 28, 30),
    ]


def test_orders_ready_further_apart_than_the_bundle_window_are_not_bundled() -> None:
    a_order = order("oA", (1600.0, 0.0), ready=8)
    b_order = order("oB", (3200.0, 0.0), ready=8 + PARAMS.bundle_window + 1)
    c = CourierState("c1", (0.0, 0.0), free_at=0, shift_end=100)
    [a] = plan_round(Snapshot(6, (a_order, b_order), (c,)), TRAVEL, "rolling", PARAMS)
    assert a.order_ids == ("oA",)
    assert a.pickup_at == 8
    wide = DispatchParams(frequency=2.0, bundle_window=PARAMS.bundle_window + 1)
    later = Snapshot(6 + PARAMS.bundle_window + 1, (a_order, b_order), (c,))
    [a] = plan_round(later, TRAVEL, "rolling", wide)
    assert a.order_ids == ("oA", "oB")


def test_orders_that_wait_for_a_far_courier_anyway_are_bundled_despite_the_window() -> None:
    # the only courier is 20 minutes away: it picks up at 22 at the earliest, after both orders
    # are ready, so their ready times (9 minutes apart) make neither wait longer together
    a_order = order("oA", (1600.0, 0.0), ready=1)
    b_order = order("oB", (3200.0, 0.0), ready=1 + PARAMS.bundle_window + 1)
    far = CourierState("c1", (20 * 320.0, 0.0), free_at=0, shift_end=100)
    [a] = plan_round(Snapshot(0, (a_order, b_order), (far,)), TRAVEL, "rolling", PARAMS)
    assert a.order_ids == ("oA", "oB")
    assert a.pickup_at == 22


def test_greedy_never_bundles() -> None:
    a_order = order("oA", (1600.0, 0.0), ready=10)
    b_order = order("oB", (3200.0, 0.0), ready=10)
    c = CourierState("c1", (0.0, 0.0), free_at=0, shift_end=100)
    out = plan_round(Snapshot(10, (a_order, b_order), (c,)), TRAVEL, "greedy", PARAMS)
    assert [x.order_ids for x in out] == [("oA",)]


@pytest.mark.parametrize("policy", ["greedy", "rolling"])
def test_courier_whose_shift_ends_before_the_pickup_is_not_used(policy: str) -> None:
    o = order("o1", (3200.0, 0.0), ready=10)
    ending = CourierState("ending", (0.0, 0.0), free_at=0, shift_end=11)
    other = CourierState("other", (1600.0, 0.0), free_at=0, shift_end=100)
    [a] = plan_round(Snapshot(10, (o,), (ending, other)), TRAVEL, policy, PARAMS)  # type: ignore[arg-type]
    assert (a.courier_id, a.pickup_at) == ("other", 17)
    assert plan_round(Snapshot(10, (o,), (ending,)), TRAVEL, policy, PARAMS) == []  # type: ignore[arg-type]


def test_busy_courier_starts_after_its_route_ends() -> None:
    o = order("o1", (3200.0, 0.0), ready=10)
    busy = CourierState("busy", (640.0, 0.0), free_at=12, shift_end=100)
    [a] = plan_round(Snapshot(11, (o,), (busy,)), TRAVEL, "rolling", PARAMS)
    assert (a.depart_at, a.pickup_at, a.etas) == (12, 16, {"o1": 30})


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown policy 'best'"):
        plan_round(Snapshot(0, (), ()), TRAVEL, "best")  # type: ignore[arg-type]


def test_each_courier_and_order_at_most_once_per_round() -> None:
    orders = tuple(order(f"o{i}", (320.0 * i, 640.0), ready=5, place=f"r{i}") for i in range(6))
    couriers = tuple(CourierState(f"c{i}", (320.0 * i, 0.0), 0, 100) for i in range(4))
    for policy in ("greedy", "rolling"):
        out = plan_round(Snapshot(5, orders, couriers), TRAVEL, policy, PARAMS)
        assert len(out) == 4
        assert len({a.courier_id for a in out}) == 4
        assert len({o for a in out for o in a.order_ids}) == sum(len(a.order_ids) for a in out)


def test_estimate_eta_plans_without_postponing() -> None:
    c = CourierState("c1", (640.0, 0.0), free_at=0, shift_end=100)
    new = order("new", (3200.0, 0.0), ready=10)
    # leaves now (0), arrives 2, picks up at ready 10, drives 10 minutes, drops at 22 + 2
    assert estimate_eta(Snapshot(0, (), (c,)), new, TRAVEL, PARAMS) == 24
    ended = CourierState("c1", (640.0, 0.0), free_at=0, shift_end=5)
    assert estimate_eta(Snapshot(0, (), (ended,)), new, TRAVEL, PARAMS) is None


def test_pruned_candidates_still_give_each_order_its_nearest_courier() -> None:
    orders = tuple(
        OpenOrder(f"o{i}", f"r{i}", (6400.0 * i, 0.0), (6400.0 * i, 3200.0), 0, 10, 40) for i in range(5)
    )
    near = [CourierState(f"near{i}", (6400.0 * i + 320, 0.0), 0, 100) for i in range(5)]
    far = [CourierState(f"far{j}", (100_000.0 + 10 * j, 0.0), 0, 100) for j in range(25)]
    params = DispatchParams(candidates=3)
    out = plan_round(Snapshot(10, orders, (*far, *near)), TRAVEL, "rolling", params)
    assert sorted((a.order_ids[0], a.courier_id, a.pickup_at) for a in out) == [
        (f"o{i}", f"near{i}", 13) for i in range(5)
    ]


def test_bundle_partner_goes_alone_to_a_courier_left_without_a_job() -> None:
    now_ready = order("oA", (3200.0, 0.0), ready=0)
    later = order("oB", (3200.0, 320.0), ready=15)
    couriers = (CourierState("c1", (0.0, 0.0), 0, 100), CourierState("c2", (0.0, 0.0), 0, 100))
    # the bundle target (2 orders x factor 2 / 2 couriers) puts both in one bundle picked up at
    # 15; the idle second courier takes oA now instead, oB stays open for a later round
    [a] = plan_round(Snapshot(0, (now_ready, later), couriers), TRAVEL, "rolling", PARAMS)
    assert (a.order_ids, a.pickup_at, a.etas) == (("oA",), 2, {"oA": 16})


def test_order_joins_a_committed_pickup_of_its_place_and_is_delivered_last() -> None:
    first = order("o1", (3200.0, 0.0), ready=20)
    route = plan_round(Snapshot(0, (first,), (CourierState("c1", (6400.0, 0.0), 0, 200),)), TRAVEL)[0].stops
    assert [(s.place_id, s.service_at) for s in route] == [("r1", 22), ("o1", 36)]
    heading = CourierState("c1", (3200.0, 0.0), free_at=38, shift_end=200, route=route)
    new = order("o2", (3200.0, 320.0), ready=15, placed=5)
    [a] = plan_round(Snapshot(5, (new,), (heading,)), TRAVEL, "rolling", PARAMS)
    assert (a.courier_id, a.order_ids, a.depart_at) == ("c1", ("o1", "o2"), 5)
    assert a.stops[1:2] == route[1:]
    assert [(s.place_id, s.arrive_at, s.service_at, s.depart_at) for s in a.stops] == [
        ("r1", 20, 22, 24),
        ("o1", 34, 36, 38),
        ("o2", 39, 41, 43),
    ]


@pytest.mark.parametrize(
    ("ready", "place", "max_bundle"),
    [(23, "r1", 3), (15, "r2", 3), (15, "r1", 1)],
    ids=["ready-after-the-pickup", "other-place", "bundle-full"],
)
def test_order_does_not_join_a_committed_pickup(ready: float, place: str, max_bundle: int) -> None:
    first = order("o1", (3200.0, 0.0), ready=20)
    route = plan_round(Snapshot(0, (first,), (CourierState("c1", (6400.0, 0.0), 0, 200),)), TRAVEL)[0].stops
    heading = CourierState("c1", (3200.0, 0.0), free_at=38, shift_end=200, route=route)
    new = order("o2", (3200.0, 320.0), ready=ready, placed=5, place=place)
    params = DispatchParams(frequency=2.0, max_bundle=max_bundle)
    out = plan_round(Snapshot(5, (new,), (heading,)), TRAVEL, "rolling", params)
    assert all(a.stops[0].order_ids == (a.order_ids) and "o1" not in a.order_ids for a in out)


def test_courier_in_a_spot_with_more_work_than_couriers_is_kept_there() -> None:
    x = order("oX", (0.0, 3200.0), ready=7, place="r1")
    y = OpenOrder("oY", "r2", (3200.0, 0.0), (3200.0, 3200.0), 0, 7, 40)
    quiet = CourierState("quiet", (-1600.0, 0.0), 0, 100)  # 5 minutes from r1, 15 from r2
    between = CourierState("between", (1600.0, 0.0), 0, 100)  # 5 minutes from both places
    east = CourierState("east", (4800.0, 0.0), 0, 100)  # 5 minutes from r2, 15 from r1
    params = DispatchParams(frequency=1.0, scarcity_radius=6)
    out = plan_round(Snapshot(0, (x, y), (quiet, between, east)), TRAVEL, "rolling", params)
    assert sorted((a.order_ids, a.courier_id, a.pickup_at) for a in out) == [
        (("oX",), "quiet", 7),
        (("oY",), "east", 7),
    ]
