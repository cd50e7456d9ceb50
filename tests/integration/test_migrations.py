"""Migrations and models agree, and the history runs down and up again."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from medrush.migrations import alembic_config, load_all_models, upgrade
from tests.conftest import create_database, drop_database


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, load_all_models()))


async def test_models_match_the_migrations(database: str) -> None:
    engine = create_async_engine(database.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with engine.connect() as conn:
            differences = await conn.run_sync(_diff)
    finally:
        await engine.dispose()
    assert differences == [], "run `medrush db revision -m ...` and commit the migration"


async def test_history_downgrades_to_nothing_and_upgrades_again() -> None:
    async with _downgraded("base") as engine:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []


async def test_the_shift_history_starts_with_each_couriers_shift() -> None:
    """``dispatch_shifts`` is backfilled with one row per courier row that has a whole shift."""
    whole, open_ended, none = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start, end = datetime(2026, 12, 6, 8, tzinfo=UTC), datetime(2026, 12, 6, 16, tzinfo=UTC)
    async with _downgraded("b3e8d1f4a6c2") as engine:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO dispatch_couriers"
                    " (user_id, vehicle, status, shift_started_at, shift_ends_at) VALUES"
                    " (:a, 'bicycle', 'offline', :start, :end), (:b, 'bicycle', 'offline', :start, NULL),"
                    " (:c, 'bicycle', 'offline', NULL, NULL)"
                ),
                {"a": whole, "b": open_ended, "c": none, "start": start, "end": end},
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT id, courier_id, started_at, ended_at FROM dispatch_shifts"))
            ).all()
        assert [(r.courier_id, r.started_at, r.ended_at) for r in rows] == [(whole, start, end)]
        assert rows[0].id is not None


async def test_the_pauses_start_with_each_courier_offline_within_its_shift() -> None:
    """``dispatch_shift_pauses`` comes to a database with shifts: a courier offline (not by the shift
    ending) within a shift still open gets an open pause from its row's last change; no one else."""
    away, online, ended, over = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    went_away = now - timedelta(minutes=25)
    current = (now - timedelta(hours=1), now + timedelta(hours=1))
    past = (now - timedelta(hours=5), now - timedelta(hours=3))
    async with _downgraded("d5f2a8c3e6b9") as engine:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO dispatch_couriers"
                    " (user_id, vehicle, status, offline_reason, shift_started_at, shift_ends_at, updated_at)"
                    " VALUES (:away, 'bicycle', 'offline', 'went_offline', :start, :end, :went_away),"
                    " (:online, 'bicycle', 'online', NULL, :start, :end, :start),"
                    " (:ended, 'bicycle', 'offline', 'shift_ended', :start, :end, :went_away),"
                    " (:over, 'bicycle', 'offline', 'silent', :old_start, :old_end, :old_start)"
                ),
                {
                    "away": away,
                    "online": online,
                    "ended": ended,
                    "over": over,
                    "start": current[0],
                    "end": current[1],
                    "went_away": went_away,
                    "old_start": past[0],
                    "old_end": past[1],
                },
            )
            await conn.execute(
                text(
                    "INSERT INTO dispatch_shifts (id, courier_id, started_at, ended_at)"
                    " SELECT gen_random_uuid(), user_id, shift_started_at, shift_ends_at"
                    " FROM dispatch_couriers"
                )
            )
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT p.courier_id, p.started_at, p.ended_at, s.courier_id AS of_shift"
                        " FROM dispatch_shift_pauses p JOIN dispatch_shifts s ON s.id = p.shift_id"
                    )
                )
            ).all()
            shifts = (await conn.execute(text("SELECT count(*) FROM dispatch_shifts"))).scalar_one()
        assert [(r.courier_id, r.started_at, r.ended_at, r.of_shift) for r in rows] == [
            (away, went_away, None, away)
        ]
        assert shifts == 4  # the shifts are kept as they were


@asynccontextmanager
async def _downgraded(revision: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a new database migrated and then downgraded to ``revision``; dropped afterwards."""
    url, server = await asyncio.to_thread(create_database)
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), revision))
        yield engine
    finally:
        await engine.dispose()
        await asyncio.to_thread(drop_database, url, server)
