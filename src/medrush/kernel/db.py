"""Database engine, declarative base and the unit of work (one transaction per ``session_scope``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, Uuid, text
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction

__all__ = [
    "Base",
    "configure",
    "database_url",
    "dispose",
    "driver",
    "forget",
    "get_engine",
    "raw_reads",
    "session_scope",
    "sessionmaker",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table; constraint names are deterministic for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=True),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSONB(),
        list[Any]: JSONB(),
    }


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_url: str | None = None


def database_url() -> str:
    """The asyncpg URL this process uses: MEDRUSH_DATABASE_URL, else the embedded server."""
    global _url
    if _url is None:
        from medrush.kernel.embedded import embedded_postgres
        from medrush.kernel.paths import home_dir
        from medrush.settings import get_settings

        external = get_settings().async_database_url
        if external is not None:
            _url = external
        else:
            server = embedded_postgres(home_dir())
            server.ensure_database("medrush")
            _url = server.url("medrush")
    return _url


def configure(url: str | None = None, **engine_options: Any) -> AsyncEngine:
    """(Re)create the engine for ``url`` (default: from the settings)."""
    global _engine, _sessionmaker, _url
    if url is not None:
        _url = url
    from medrush.settings import get_settings

    options: dict[str, Any] = {
        "pool_size": get_settings().database_pool_size,
        "max_overflow": 10,
        "pool_pre_ping": get_settings().database_pre_ping,
        "pool_recycle": 1800,  # stay below common idle-connection timeouts of proxies and servers
    }
    options.update(engine_options)
    _engine = create_async_engine(database_url(), **options)
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_engine() -> AsyncEngine:
    """The process-wide engine, created on first use."""
    if _engine is None:
        return configure()
    return _engine


def sessionmaker() -> async_sessionmaker[AsyncSession]:
    """The session factory bound to the process-wide engine."""
    if _sessionmaker is None:
        configure()
    assert _sessionmaker is not None
    return _sessionmaker


@asynccontextmanager
async def session_scope() -> AsyncIterator[AsyncSession]:
    """A unit of work: commits when the block ends normally, rolls back on any exception."""
    async with sessionmaker()() as session, session.begin():
        yield session


@asynccontextmanager
async def raw_reads() -> AsyncIterator[Any]:
    """A pooled asyncpg connection for a few reads outside any transaction (each statement commits
    on its own): for the per-request lookups (who holds this token) where a session's BEGIN and
    COMMIT round trips and SQLAlchemy's ORM work cost more than the query. Values come and go in
    asyncpg's own types."""
    async with get_engine().connect() as conn:
        _adapted, native = await _asyncpg_of(conn)
        yield native


async def _asyncpg_of(connection: AsyncConnection) -> tuple[Any, Any]:
    """SQLAlchemy's DBAPI adapter under a pooled connection, and asyncpg's connection inside it."""
    raw = await connection.get_raw_connection()
    native = raw.driver_connection
    if native is None:
        raise RuntimeError("the pooled connection is closed")
    return raw.dbapi_connection, native


async def driver(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, inside its transaction (begun here if need be).

    For the few statements of a hot path (checkout) where SQLAlchemy's per-statement work
    (statement building, cache keys, parameter processing, greenlet hops) costs more than the
    statement itself; values must be given in asyncpg's own types (JSON as text).
    """
    cached = session.info.get(_DRIVER)
    if cached is not None:
        return cached
    adapted, native = await _asyncpg_of(await session.connection())
    if not native.is_in_transaction():
        # SQLAlchemy's asyncpg adapter sends BEGIN lazily, before its first statement; start it
        # the same way (its transaction then commits or rolls back with the session)
        start = getattr(adapted, "_start_transaction", None)
        if start is not None and getattr(adapted, "_transaction", True) is None:
            await start()
        else:
            await session.execute(text("SELECT 1"))
        if not native.is_in_transaction():
            raise RuntimeError("could not begin the session's transaction on the driver connection")
    session.info[_DRIVER] = native  # until the session's transaction ends (below)
    return native


_DRIVER = "medrush.driver_connection"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_driver(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the session's own transaction, not a savepoint
        session.info.pop(_DRIVER, None)


async def dispose() -> None:
    """Close every pooled connection (end of process, or before forking workers)."""
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None


def forget() -> None:
    """Drop references to the engine without closing it (a new event loop or URL follows; tests)."""
    global _engine, _sessionmaker, _url
    _engine = None
    _sessionmaker = None
    _url = None
