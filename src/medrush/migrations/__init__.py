"""One linear Alembic history for every domain's tables, run in-process (no alembic.ini).

``upgrade(engine)`` migrates under a PostgreSQL advisory lock so several processes starting at
once (web nodes, workers, CLI commands) migrate exactly once.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from medrush.kernel.domains import import_domain_module

__all__ = ["DOMAINS_WITH_TABLES", "alembic_config", "current_heads", "load_all_models", "upgrade"]

HERE = Path(__file__).parent
MIGRATION_LOCK = 7_318_001  # advisory lock key held while migrating
# Every package that may define tables; a package without models.py is skipped.
DOMAINS_WITH_TABLES = (
    "kernel.events",
    "accounts.models",
    "catalog.models",
    "prescriptions.models",
    "safety.models",
    "pharmacies.models",
    "dispatch.models",
    "orders.models",
    "consult.models",
    "interop.models",
)


def load_all_models() -> MetaData:
    """Import every domain's models so the shared metadata knows all tables; return it."""
    for name in DOMAINS_WITH_TABLES:
        import_domain_module(name)
    from medrush.kernel.db import Base

    return Base.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at this package; ``connection`` is used by env.py."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("truncate_slug_length", "40")
    config.attributes["connection"] = connection
    return config


def _upgrade_sync(connection: Connection, revision: str) -> None:
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision`` (default: the latest)."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_sync, revision)


def _heads_sync(connection: Connection) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    return set(MigrationContext.configure(connection).get_current_heads())


async def current_heads(engine: AsyncEngine) -> set[str]:
    """The revisions the database is at (empty before the first migration)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_heads_sync)
