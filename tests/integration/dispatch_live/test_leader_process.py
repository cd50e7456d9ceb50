"""Zone leadership across processes: a loop in another process leads; killed, this one takes over."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch import subscribers
from medrush.dispatch.live import zone_key, zone_of
from medrush.dispatch.models import DeliveryJob, Offer
from medrush.kernel import clock, db
from medrush.kernel.events import Event
from tests.factories.accounts import make_user

ROOT = Path(__file__).resolve().parents[3]
SPOT = (47.5, 19.05)  # a zone no other test uses


async def _lock_holders(zone: str) -> int:
    key = zone_key(zone) & 0xFFFFFFFFFFFFFFFF
    async with db.session_scope() as session:
        count = await session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = :hi AND objid = :lo AND objsubid = 1"
            ),
            {"hi": key >> 32, "lo": key & 0xFFFFFFFF},
        )
    return int(count or 0)


async def _wait_for(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.2)
    return False


async def test_killed_leader_process_hands_the_zone_over(database: str) -> None:
    zone = zone_of(*SPOT)
    courier = await make_user(Role.COURIER)
    async with db.session_scope() as session:
        await dispatch.start_shift(session, courier.actor, minutes=120, lat=SPOT[0], lng=SPOT[1])
    env = {**os.environ, "MEDRUSH_DATABASE_URL": database}
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush.cli.courier", "loop", "--zone", zone, "--interval", "0.3"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    here = dispatch.DispatchLoop([zone])
    try:

        async def held_elsewhere() -> bool:
            return await _lock_holders(zone) == 1

        assert await _wait_for(held_elsewhere), "the other process never took the zone"
        assert await here.claim() == set()

        order_id = uuid.uuid4()
        payload = {
            "order_id": str(order_id),
            "pharmacy_id": str(uuid.uuid4()),
            "fulfilment": "delivery",
            "lat": SPOT[0] + 0.01,
            "lng": SPOT[1],
            "promised_by": (clock.now() + timedelta(minutes=30)).isoformat(),
            "pharmacy_lat": SPOT[0],
            "pharmacy_lng": SPOT[1],
        }
        async with db.session_scope() as session:
            await subscribers.on_order_ready(
                session, Event(987_654_321, "orders.ready", payload, clock.now())
            )

        async def offered() -> bool:
            async with db.session_scope() as session:
                job = (
                    await session.scalars(select(DeliveryJob).where(DeliveryJob.order_id == order_id))
                ).one()
                return job.status == "offered"

        assert await _wait_for(offered), "the leading process did not dispatch the job"

        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

        async def taken_over() -> bool:
            return await here.claim() == {zone}

        assert await _wait_for(taken_over, 15), "the zone was not handed over"
        assert await _lock_holders(zone) == 1
        await here.tick()
        async with db.session_scope() as session:
            offers = (await session.scalars(select(Offer).where(Offer.zone == zone))).all()
        assert [o.status for o in offers] == ["pending"]  # one offer: never offered twice
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        await here.close()
