"""Courier positions through Redis: pings land there, rounds read them, silence checks them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch.live import locations, zone_of
from medrush.dispatch.models import Courier
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from medrush.settings import reset_settings
from tests.factories.accounts import make_user

REDIS = os.environ.get("MEDRUSH_TEST_REDIS", "redis://127.0.0.1:6379/15")
SPOT = (39.9042, 116.4074)  # Beijing: a zone of its own


def _redis_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_positions(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings with MEDRUSH_REDIS_URL for this test only."""
    monkeypatch.setenv("MEDRUSH_REDIS_URL", REDIS)
    reset_settings()
    locations._redis = None
    yield
    locations._redis = None
    monkeypatch.delenv("MEDRUSH_REDIS_URL")
    reset_settings()


async def test_pings_go_to_redis_and_rounds_trust_them(redis_positions: None) -> None:
    fake = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    clock.set_clock(fake)
    try:
        started = clock.now()
        pinging = await make_user(Role.COURIER)
        quiet = await make_user(Role.COURIER)
        for who in (pinging, quiet):
            async with db.session_scope() as session:
                await dispatch.start_shift(session, who.actor, minutes=60, lat=SPOT[0], lng=SPOT[1])
        fake.advance(seconds=5)
        async with db.session_scope() as session:
            await dispatch.record_location(session, pinging.actor, SPOT[0] + 0.001, SPOT[1])
        seen = await locations.latest_positions([pinging.user.id, quiet.user.id])
        assert seen == {pinging.user.id: locations.Position(SPOT[0] + 0.001, SPOT[1], clock.now())}
        async with db.session_scope() as session:
            row = await session.get(Courier, pinging.user.id)
            assert row is not None
            assert (row.lat, row.location_at) == (SPOT[0], started)  # refreshed every 15 s only

        fake.advance(seconds=150)  # both rows are now older than the 120 s silence limit
        fresh = locations.Position(SPOT[0] + 0.002, SPOT[1], clock.now())
        assert await locations.remember_position(pinging.user.id, fresh) is True
        async with db.session_scope() as session:
            await dispatch.run_round(session, zone_of(*SPOT))
        async with db.session_scope() as session:
            kept = await session.get(Courier, pinging.user.id)
            dropped = await session.get(Courier, quiet.user.id)
            assert kept is not None and dropped is not None
            assert (kept.status, dropped.status, dropped.offline_reason) == ("online", "offline", "silent")
    finally:
        clock.set_clock(None)
