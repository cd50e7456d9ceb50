"""Housekeeping: delivered outbox events and idempotency keys go after their retention; nothing else."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from medrush.kernel import clock, db
from medrush.kernel.events import HandledEvent, OutboxEvent, purge_delivered
from medrush.orders.models import IdempotencyKey
from medrush.worker import housekeeping

pytestmark = pytest.mark.usefixtures("on_private_database")  # counts of whole tables


async def _event(
    age: timedelta, *, delivered: bool = False, failed: bool = False, handled: bool = False
) -> int:
    created = clock.now() - age
    async with db.session_scope() as session:
        row = OutboxEvent(
            topic="test.housekeeping",
            payload={},
            created_at=created,
            available_at=created,
            attempts=0,
            delivered_at=created if delivered else None,
            failed_at=created if failed else None,
        )
        session.add(row)
        await session.flush()
        if handled:
            session.add(HandledEvent(handler="test.handler", event_id=row.id))
        return row.id


async def _key(age: timedelta) -> str:
    key = str(uuid.uuid4())
    async with db.session_scope() as session:
        session.add(
            IdempotencyKey(
                scope="test:POST:/x",
                key=key,
                request_hash="0" * 64,
                status_code=201,
                response={},
                created_at=clock.now() - age,
            )
        )
    return key


async def test_only_delivered_events_and_keys_past_their_retention_are_deleted() -> None:
    async with db.session_scope() as session:
        await session.execute(text("DELETE FROM handled_events"))
        await session.execute(text("DELETE FROM outbox_events"))
        await session.execute(text("DELETE FROM idempotency_keys"))
    old, new = timedelta(days=8), timedelta(days=6)
    gone = [await _event(old, delivered=True, handled=True) for _ in range(3)]
    kept = [
        await _event(new, delivered=True),
        await _event(old),  # never delivered: the relay still owes it
        await _event(old, failed=True),  # failed for good: an operator looks at it
    ]
    old_key, new_key = await _key(timedelta(hours=25)), await _key(timedelta(hours=23))

    removed = await housekeeping()

    assert removed == {"outbox_events": 3, "idempotency_keys": 1}
    async with db.session_scope() as session:
        ids = set((await session.scalars(select(OutboxEvent.id))).all())
        assert ids == set(kept)
        assert await session.scalar(select(func.count()).select_from(HandledEvent)) == 0
        keys = set((await session.scalars(select(IdempotencyKey.key))).all())
        assert keys == {new_key}
    assert old_key not in keys and not set(gone) & ids
    assert await housekeeping() == {"outbox_events": 0, "idempotency_keys": 0}


async def test_two_processes_purging_at_once_take_different_rows_without_waiting() -> None:
    """Every process that runs order timers also runs housekeeping: their batches must not queue
    behind each other's row locks, nor delete a row twice."""
    async with db.session_scope() as session:
        await session.execute(text("DELETE FROM handled_events"))
        await session.execute(text("DELETE FROM outbox_events"))
    old = timedelta(days=8)
    ids = {await _event(old, delivered=True, handled=True) for _ in range(5)}
    cutoff = clock.now() - timedelta(days=7)
    async with db.session_scope() as first:
        assert await purge_delivered(first, older_than=cutoff, limit=3) == 3  # locks held until commit
        async with db.session_scope() as second:
            assert await asyncio.wait_for(purge_delivered(second, older_than=cutoff, limit=10), 5) == 2
    async with db.session_scope() as session:
        left = set((await session.scalars(select(OutboxEvent.id))).all())
        assert not left & ids
        assert await session.scalar(select(func.count()).select_from(HandledEvent)) == 0
