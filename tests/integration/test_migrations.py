"""Migrations and models agree, and the history runs down and up again."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

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
    url, server = await _fresh()
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()
        await _drop(url, server)


async def _fresh() -> tuple[str, str]:
    import asyncio

    return await asyncio.to_thread(create_database)


async def _drop(url: str, server: str) -> None:
    import asyncio

    await asyncio.to_thread(drop_database, url, server)
