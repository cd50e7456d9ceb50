"""The transactional outbox: nothing from a rolled-back transaction, everything else at least once,
each handler's effect exactly once, even when a relay dies in the middle of a batch."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid

import pytest
from sqlalchemy import text

from medrush.kernel import db, emit, subscribe
from medrush.kernel.events import Event, OutboxEvent, OutboxRelay
from medrush.worker import Background

pytestmark = pytest.mark.usefixtures("on_private_database")  # no other relay can take our events


async def _effects_table() -> None:
    async with db.session_scope() as session:
        await session.execute(
            text("CREATE TABLE IF NOT EXISTS test_effects (event_id bigint, handler text, note text)")
        )


async def _effects(topic_note: str) -> list[tuple[int, str]]:
    async with db.session_scope() as session:
        rows = await session.execute(
            text("SELECT event_id, handler FROM test_effects WHERE note = :n ORDER BY event_id, handler"),
            {"n": topic_note},
        )
        return [(r[0], r[1]) for r in rows]


def _recording_handler(topic: str, name: str, note: str):
    @subscribe(topic, name=f"{name}-{note}")
    async def handler(session, event: Event) -> None:
        await session.execute(
            text("INSERT INTO test_effects VALUES (:e, :h, :n)"), {"e": event.id, "h": name, "n": note}
        )

    return handler


async def _drain(relay: OutboxRelay) -> None:
    while await relay.run_once():
        pass


async def test_rolled_back_event_is_never_delivered() -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.rollback.{note}"
    _recording_handler(topic, "a", note)
    with pytest.raises(RuntimeError):
        async with db.session_scope() as session:
            await emit(session, topic, {"n": 1})
            raise RuntimeError("the change fails after the event was written")
    async with db.session_scope() as session:
        await emit(session, topic, {"n": 2})
    await _drain(OutboxRelay(db.sessionmaker()))
    async with db.session_scope() as session:
        payloads = (
            (
                await session.execute(
                    text("SELECT payload->>'n' FROM outbox_events WHERE topic = :t"), {"t": topic}
                )
            )
            .scalars()
            .all()
        )
    assert payloads == ["2"]
    assert len(await _effects(note)) == 1


async def test_each_handler_runs_once_per_event_even_when_delivered_again() -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.once.{note}"
    _recording_handler(topic, "a", note)
    _recording_handler(topic, "b", note)
    async with db.session_scope() as session:
        for i in range(3):
            await emit(session, topic, {"i": i})
    relay = OutboxRelay(db.sessionmaker())
    await _drain(relay)
    first = await _effects(note)
    assert len(first) == 6
    # Pretend the rows were never marked delivered (a relay that crashed after its handlers ran).
    async with db.session_scope() as session:
        await session.execute(
            text("UPDATE outbox_events SET delivered_at = NULL WHERE topic = :t"), {"t": topic}
        )
    await _drain(relay)
    assert await _effects(note) == first


async def test_relay_killed_mid_batch_loses_nothing() -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.crash.{note}"
    _recording_handler(topic, "a", note)
    calls = {"n": 0}

    @subscribe(topic, name=f"crasher-{note}")
    async def crasher(session, event: Event) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise asyncio.CancelledError  # the process is killed half-way through the batch

    async with db.session_scope() as session:
        for i in range(10):
            await emit(session, topic, {"i": i})
    with pytest.raises(asyncio.CancelledError):
        await OutboxRelay(db.sessionmaker(), batch_size=100).run_once()
    # The whole batch rolled back: no effect and no delivery mark survived.
    assert await _effects(note) == []
    await _drain(OutboxRelay(db.sessionmaker()))
    effects = await _effects(note)
    assert len(effects) == 10
    assert len({e for e, _h in effects}) == 10


async def test_failing_handler_is_retried_without_blocking_others() -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.retry.{note}"
    attempts = {"n": 0}

    @subscribe(topic, name=f"flaky-{note}")
    async def flaky(session, event: Event) -> None:
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise ValueError("temporary failure")
        await session.execute(
            text("INSERT INTO test_effects VALUES (:e, 'flaky', :n)"), {"e": event.id, "n": note}
        )

    async with db.session_scope() as session:
        await emit(session, topic, {})
    relay = OutboxRelay(db.sessionmaker())
    await relay.run_once()
    async with db.session_scope() as session:
        row = (
            await session.execute(
                text("SELECT attempts, last_error FROM outbox_events WHERE topic = :t"), {"t": topic}
            )
        ).one()
        assert row[0] == 1
        assert "temporary failure" in row[1]
        await session.execute(
            text("UPDATE outbox_events SET available_at = now() WHERE topic = :t"), {"t": topic}
        )
    await _drain(relay)
    assert len(await _effects(note)) == 1


async def test_notify_wakes_the_background_relay_across_connections() -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.notify.{note}"
    _recording_handler(topic, "a", note)
    from medrush.settings import get_settings

    settings = get_settings()
    old_poll = settings.outbox_poll_seconds
    settings.outbox_poll_seconds = 60.0  # only a NOTIFY can make it deliver within the test
    background = Background(relay=True)
    await background.start()
    try:
        await asyncio.sleep(0.2)
        async with db.session_scope() as session:
            await emit(session, topic, {})
        for _ in range(50):
            if await _effects(note):
                break
            await asyncio.sleep(0.1)
        assert len(await _effects(note)) == 1
    finally:
        await background.stop()
        settings.outbox_poll_seconds = old_poll


async def test_outbox_row_shape() -> None:
    async with db.session_scope() as session:
        await emit(session, "test.shape", {"k": "v"})
    async with db.session_scope() as session:
        row = (
            await session.execute(
                text(
                    "SELECT topic, payload FROM outbox_events"
                    " WHERE topic = 'test.shape' ORDER BY id DESC LIMIT 1"
                )
            )
        ).one()
    assert (row[0], row[1]) == ("test.shape", {"k": "v"})
    assert OutboxEvent.__tablename__ == "outbox_events"


RELAY_SCRIPT = """
import asyncio, sys
from sqlalchemy import text
from medrush.kernel import db, subscribe
from medrush.kernel.events import OutboxRelay
from medrush.worker import load_subscribers

load_subscribers()
topic, note = sys.argv[1], sys.argv[2]

@subscribe(topic, name="slow-" + note)
async def slow(session, event):
    sql = "INSERT INTO test_effects VALUES (:e, 'slow', :n)"
    await session.execute(text(sql), {"e": event.id, "n": note})
    print("handled", event.id, flush=True)
    await asyncio.sleep(0.05)

async def main():
    while await OutboxRelay(db.sessionmaker(), batch_size=100).run_once():
        pass

asyncio.run(main())
"""


async def test_relay_process_killed_with_sigkill_mid_batch_loses_nothing(on_private_database: str) -> None:
    await _effects_table()
    note = uuid.uuid4().hex
    topic = f"test.sigkill.{note}"
    async with db.session_scope() as session:
        for i in range(60):
            await emit(session, topic, {"i": i})
    env = {**os.environ, "MEDRUSH_DATABASE_URL": on_private_database}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RELAY_SCRIPT, topic, note, env=env, stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    handled = 0
    while handled < 10:  # let it get well into the batch, then kill it without warning
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert line, "the relay process ended early"
        handled += 1
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    assert await _effects(note) == []  # its uncommitted batch vanished with it

    @subscribe(topic, name=f"slow-{note}")
    async def slow(session, event: Event) -> None:
        await session.execute(
            text("INSERT INTO test_effects VALUES (:e, 'slow', :n)"), {"e": event.id, "n": note}
        )

    await _drain(OutboxRelay(db.sessionmaker()))
    effects = await _effects(note)
    assert len(effects) == 60
    assert len({event_id for event_id, _h in effects}) == 60
