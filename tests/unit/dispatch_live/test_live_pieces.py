"""DB-free pieces of live dispatch: zones and lock keys, travel, route timing, queueing, exclusions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from medrush.dispatch.engine import CourierState, OpenOrder, Snapshot
from medrush.dispatch.live import CityTravel, LiveParams, Projection, zone_key, zone_of
from medrush.dispatch.live.queries import _queue_minutes
from medrush.dispatch.live.rounds import _plan, serving_zones
from medrush.dispatch.live.route import RouteJob, plan_route

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_zone_is_the_resolution_5_cell_and_keys_are_stable() -> None:
    zone = zone_of(31.2304, 121.4737)
    assert zone == "8530995bfffffff"
    assert zone_key(zone) == 4330769030766641175
    assert zone_key("8530995bfffffff") != zone_key("8530995ffffffff")
    assert -(2**63) <= zone_key("any name") < 2**63


def test_projection_is_metres_around_the_zone_centre() -> None:
    projection = Projection.for_zone("8530995bfffffff")
    x, y = projection.xy(projection.origin_lat + 0.01, projection.origin_lng)
    assert (round(x, 6), round(y, 1)) == (0.0, 1112.0)
    assert Projection.for_zone("not-a-cell") == Projection(0.0, 0.0)


def test_city_travel_applies_detour_and_speed() -> None:
    travel = CityTravel(250.0, 1.3)
    assert travel.minutes((0.0, 0.0), (3000.0, 4000.0)) == 26.0
    assert travel.matrix(np.array([[0.0, 0.0]]), np.array([[0.0, 500.0], [3000.0, 4000.0]])).tolist() == [
        [2.6, 26.0]
    ]
    with pytest.raises(ValueError, match="speed must be positive"):
        CityTravel(0.0)
    with pytest.raises(ValueError, match="detour factor"):
        CityTravel(250.0, 0.9)


def _job(
    seq: int, *, offer: uuid.UUID | None, picked: bool, north_m: float, ready: datetime = T0
) -> RouteJob:
    return RouteJob(
        id=uuid.UUID(int=seq),
        offer_id=offer,
        seq=seq,
        picked_up=picked,
        pharmacy_lat=0.0,
        pharmacy_lng=0.0,
        dropoff_lat=north_m / 111_195.0,
        dropoff_lng=0.0,
        ready_at=ready,
    )


def test_route_delivers_carried_parcels_first_then_each_bundle() -> None:
    bundle = uuid.UUID(int=99)
    jobs = [
        _job(3, offer=bundle, picked=False, north_m=2500.0),
        _job(1, offer=None, picked=True, north_m=1250.0),
        _job(2, offer=bundle, picked=False, north_m=1250.0, ready=T0 + timedelta(minutes=30)),
    ]
    stops = plan_route(0.0, 0.0, T0, jobs, CityTravel(250.0, 1.0))
    kinds = [(s.kind, [j.int for j in s.job_ids]) for s in stops]
    assert kinds == [("dropoff", [1]), ("pickup", [2, 3]), ("dropoff", [2]), ("dropoff", [3])]
    minutes = [round((s.at - T0).total_seconds() / 60, 3) for s in stops]
    # 5 min ride + 1 service; 5 back, but the bundle is ready only at 30; 1 + 5 + 1; 1 + 5 + 1
    assert minutes == [6.0, 30.0, 37.0, 44.0]


def test_waiting_jobs_take_the_earliest_couriers_first() -> None:
    assert _queue_minutes([2.0, 5.0], 0) == 2.0
    assert _queue_minutes([2.0, 5.0], 1) == 5.0
    assert _queue_minutes([2.0, 5.0], 2) == 22.0
    assert _queue_minutes([2.0, 5.0], 5) == 45.0


def test_plan_never_pairs_a_job_with_a_courier_it_excludes() -> None:
    order = OpenOrder("job", "pharmacy", (0.0, 0.0), (0.0, 2000.0), -5.0, -1.0, 25.0)
    near = CourierState("near", (0.0, 100.0), 0.0, 240.0)
    far = CourierState("far", (0.0, 1500.0), 0.0, 240.0)
    snapshot = Snapshot(now=0.0, orders=(order,), couriers=(near, far))
    params = LiveParams()
    travel = CityTravel(params.city_speed, params.detour)
    assert [a.courier_id for a in _plan(snapshot, travel, params, {})] == ["near"]
    assert [a.courier_id for a in _plan(snapshot, travel, params, {"job": {"near"}})] == ["far"]
    assert _plan(snapshot, travel, params, {"job": {"near", "far"}}) == []


def test_a_zone_is_served_by_its_couriers_and_its_neighbours() -> None:
    zones = serving_zones("8530995bfffffff")
    assert len(zones) == 7
    assert "8530995bfffffff" in zones
    assert serving_zones("depot-east") == ["depot-east"]
