"""Demo couriers: on shift around People's Square, supply for the promise, kept online by pings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from medrush import dispatch
from medrush.accounts import user_by_email
from medrush.dispatch.demo import DEMO_COURIERS, PEOPLES_SQUARE, keep_demo_couriers_online, load_demo
from medrush.dispatch.models import Courier, Shift
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock

# Jobs other tests leave waiting near People's Square would lengthen the queue: a database of its own.
pytestmark = pytest.mark.usefixtures("on_private_database")


async def test_demo_couriers_give_supply_and_stay_online(database: str) -> None:
    fake = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    clock.set_clock(fake)
    ids: list[object] = []
    try:
        for _ in range(2):  # loading twice keeps one courier per account
            async with db.session_scope() as session:
                await load_demo(session)
        async with db.session_scope() as session:
            ids[:] = [(await user_by_email(session, e)).id for e, *_ in DEMO_COURIERS]  # type: ignore[union-attr]
            rows = (await session.scalars(select(Courier).where(Courier.user_id.in_(ids)))).all()
            assert len(rows) == 8
            assert {r.status for r in rows} == {"online"}
            assert {r.shift_ends_at for r in rows} == {clock.now() + timedelta(hours=12)}
            # the shift history has the shift too, once (loading again replaced it, as a restart does)
            shifts = (await session.scalars(select(Shift).where(Shift.courier_id.in_(ids)))).all()
            assert sorted(str(s.courier_id) for s in shifts) == sorted(str(i) for i in ids)
            assert {(s.started_at, s.ended_at) for s in shifts} == {
                (clock.now(), clock.now() + timedelta(hours=12))
            }
            # Zhang Wei's scooter is 361 m away: 361 x 1.3 / 370 m/min = 1.3 minutes
            assert await dispatch.nearest_courier_minutes(session, *PEOPLES_SQUARE) == 1.3
        fake.advance(seconds=100)
        async with db.session_scope() as session:
            assert await keep_demo_couriers_online(session) == 8
            rows = (await session.scalars(select(Courier).where(Courier.user_id.in_(ids)))).all()
            assert {r.location_at for r in rows} == {clock.now()}
    finally:
        async with db.session_scope() as session:
            for row in (await session.scalars(select(Courier).where(Courier.user_id.in_(ids)))).all():
                row.status = "offline"
        clock.set_clock(None)
