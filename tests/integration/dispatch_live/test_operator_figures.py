"""The operator's delivery figures: on time by hour, the fleet now, waiting work per zone."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import delete

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch.models import Courier, DeliveryJob
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from medrush.kernel.errors import PermissionDenied
from tests.factories.accounts import make_user

NOW = datetime(2026, 12, 6, 12, 30, tzinfo=UTC)


def job(status: str, placed_minutes_ago: float, *, zone: str = "z1", **times: float | None) -> DeliveryJob:
    """A delivery job placed some minutes before NOW, promised 30 minutes after placement; other
    times are given in minutes after placement."""
    placed = NOW - timedelta(minutes=placed_minutes_ago)
    at = {k: None if v is None else placed + timedelta(minutes=v) for k, v in times.items()}
    return DeliveryJob(
        order_id=uuid.uuid4(),
        pharmacy_id=uuid.uuid4(),
        pharmacy_lat=31.2,
        pharmacy_lng=121.4,
        dropoff_lat=31.21,
        dropoff_lng=121.41,
        zone=zone,
        placed_at=placed,
        ready_at=placed + timedelta(minutes=5),
        promised_by=placed + timedelta(minutes=30),
        status=status,
        **at,
    )


@pytest.fixture
async def world(on_private_database: str) -> AsyncIterator[list[uuid.UUID]]:
    """Two couriers online (one carrying a job), one offline; jobs on time, late, open."""
    clock.set_clock(FrozenClock(NOW))
    couriers = [uuid.uuid4() for _ in range(3)]
    async with db.session_scope() as session:
        await session.execute(delete(DeliveryJob))
        await session.execute(delete(Courier))
        for user_id, status in zip(couriers, ("online", "online", "offline"), strict=True):
            session.add(
                Courier(
                    user_id=user_id,
                    status=status,
                    zone="z1",
                    shift_ends_at=NOW + timedelta(hours=2),
                    lat=31.2,
                    lng=121.4,
                )
            )
        session.add_all(
            [
                job("delivered", 100, delivered_at=25),  # on time
                job("delivered", 95, delivered_at=40),  # late
                job("cancelled", 90, cancelled_at=10),  # neither
                job("open", 45),  # promise passed 15 minutes ago: late
                job("open", 10, zone="z2"),  # still within its promise
                job("open", 5, zone="z2"),
            ]
        )
        carrying = job("assigned", 20, eta_dropoff=25)
        carrying.courier_id = couriers[0]
        session.add(carrying)
    yield couriers
    clock.set_clock(None)


async def test_on_time_rate_fleet_and_waiting_zones(world: list[uuid.UUID]) -> None:
    operator = await make_user(Role.OPERATOR)
    async with db.session_scope() as session:
        f = await dispatch.fleet_figures(session, operator.actor)
    # decided: 1 on time, 1 delivered late, 1 open past its promise
    assert f["on_time_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert (f["delivered"], f["couriers_online"], f["couriers_busy"], f["couriers_idle"]) == (2, 2, 1, 1)
    assert (f["jobs_waiting"], f["jobs_at_risk"]) == (3, 1)
    assert [(z["zone"], z["waiting"], z["couriers_online"]) for z in f["zones"]] == [
        ("z2", 2, 0),
        ("z1", 1, 2),
    ]
    assert f["zones"][1]["oldest_wait_minutes"] == 45.0
    assert sorted(c["busy"] for c in f["map"]["couriers"]) == [False, True]  # the offline one is not shown
    assert sorted((j["status"], j["late"]) for j in f["map"]["jobs"]) == [
        ("assigned", False),
        ("open", False),
        ("open", False),
        ("open", True),
    ]
    hours = {h["hour"][11:16]: h for h in f["by_hour"]}
    assert (hours["10:00"]["on_time"], hours["10:00"]["late"], hours["10:00"]["cancelled"]) == (1, 1, 0)
    assert hours["10:00"]["p50_minutes"] == pytest.approx(32.5)
    assert (hours["11:00"]["late"], hours["11:00"]["cancelled"], hours["11:00"]["on_time_rate"]) == (
        1,
        1,
        0.0,
    )
    assert (hours["12:00"]["jobs"], hours["12:00"]["on_time_rate"]) == (3, None)  # nothing decided yet


async def test_only_operators_see_the_figures(world: list[uuid.UUID], app: object) -> None:
    customer = await make_user(Role.CUSTOMER)
    async with db.session_scope() as session:
        with pytest.raises(PermissionDenied):
            await dispatch.fleet_figures(session, customer.actor)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        assert (await http.get("/api/v1/dispatch/operator", headers=customer.headers)).status_code == 403
        operator = await make_user(Role.OPERATOR)
        r = await http.get("/api/v1/dispatch/operator", params={"hours": 0}, headers=operator.headers)
        assert r.status_code == 422
        r = await http.get("/api/v1/dispatch/operator", headers=operator.headers)
        assert (r.status_code, r.json()["couriers_online"]) == (200, 2)
        page = await http.get("/operator", headers=operator.headers)
        assert 'data-test="on-time-rate"><strong>33.3%' in page.text
