"""Getting the database ready for any command: start or reach it, migrate, load shipped data.

Every command calls ``ready()`` first, so ``pip install -e . && medrush search ibuprofen --json``
works on a fresh clone: the embedded PostgreSQL starts, the schema is migrated and the shipped
catalog is loaded when missing, each step announced on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from medrush.kernel import db
from medrush.kernel.errors import DomainError
from medrush.settings import SettingsError, get_settings

__all__ = ["fail", "ready", "run"]

T = TypeVar("T")


def say(message: str) -> None:
    """A progress line on stderr (stdout stays clean for --json output)."""
    print(message, file=sys.stderr, flush=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error on stderr and return the exit to raise."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    return typer.Exit(code)


async def ready(*, load_shipped_data: bool = True, quiet: bool = False) -> AsyncEngine:
    """Configure the engine (embedded or MEDRUSH_DATABASE_URL), migrate, load shipped data."""
    from medrush.migrations import current_heads, upgrade

    settings = get_settings()
    if settings.database_url is None and not quiet:
        say(f"medrush: using the embedded PostgreSQL under {settings.home.resolve() / 'pgdata'}")
    engine = db.get_engine()
    heads_before = await current_heads(engine)
    await upgrade(engine)
    if not heads_before and not quiet:
        say("medrush: database schema created")
    if load_shipped_data:
        await _load_shipped_data(quiet)
    return engine


async def _load_shipped_data(quiet: bool) -> None:
    try:
        from medrush.catalog import load_shipped_catalog
    except ImportError:
        return
    async with db.session_scope() as session:
        loaded = await load_shipped_catalog(session)
    if loaded and not quiet:
        say(f"medrush: loaded {loaded} catalog products")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; domain and settings errors become one line and exit code 2."""

    async def _main() -> T:
        try:
            return await coro
        finally:
            await db.dispose()

    try:
        return asyncio.run(_main())
    except SettingsError as exc:
        raise fail(str(exc)) from None
    except DomainError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot reach the database: {exc}") from None
    except SQLAlchemyError as exc:
        raise fail(
            f"database error: {str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}"
        ) from None
