"""Zone leadership: one dispatch loop leads a zone at a time, through a PostgreSQL advisory lock.

Each ``DispatchLoop`` keeps one dedicated connection and calls ``pg_try_advisory_lock(zone key)``
for every active zone it does not lead yet. Session-level advisory locks belong to that
connection: when the process dies (or the connection drops) PostgreSQL releases them and the
next loop to try takes the zone over. Rounds themselves run in ordinary transactions with row
locks, so even a brief overlap of two leaders cannot assign a job twice. Each tick first ends,
for every zone, the pauses of shifts that ran out (``actions.close_lapsed_pauses``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from medrush.dispatch.live.actions import close_lapsed_pauses
from medrush.dispatch.live.geo import zone_key
from medrush.dispatch.live.params import LiveParams
from medrush.dispatch.live.publish import send_queued, take_queued
from medrush.dispatch.live.rounds import RoundReport, active_zones, run_round
from medrush.kernel import db

__all__ = ["DispatchLoop"]

log = logging.getLogger(__name__)


def _libpq_dsn() -> str:
    return db.database_url().replace("postgresql+asyncpg://", "postgresql://", 1)


class DispatchLoop:
    """Leads whichever zones it can lock and runs a round in each every ``interval_seconds``."""

    def __init__(
        self,
        zones: Sequence[str] | None = None,
        params: LiveParams | None = None,
        *,
        dsn: str | None = None,
    ) -> None:
        self.fixed_zones = list(zones) if zones else None
        self.params = params or LiveParams()
        self._dsn = dsn
        self._conn: Any = None
        self.held: set[str] = set()
        self.last_reports: dict[str, RoundReport] = {}

    async def _connection(self) -> Any:
        if self._conn is not None and not self._conn.is_closed():
            return self._conn
        import asyncpg

        self.held.clear()  # a new connection holds no lock
        self._conn = await asyncpg.connect(self._dsn or _libpq_dsn())
        return self._conn

    async def _zones(self) -> list[str]:
        if self.fixed_zones is not None:
            return self.fixed_zones
        async with db.session_scope() as session:
            return await active_zones(session)

    async def claim(self) -> set[str]:
        """Try to lead every active zone not led yet; let go of zones with no work left."""
        conn = await self._connection()
        wanted = set(await self._zones())
        for zone in sorted(wanted - self.held):
            if await conn.fetchval("SELECT pg_try_advisory_lock($1)", zone_key(zone)):
                self.held.add(zone)
                log.info("dispatch: now leading zone %s", zone)
        for zone in sorted(self.held - wanted):
            await conn.fetchval("SELECT pg_advisory_unlock($1)", zone_key(zone))
            self.held.discard(zone)
        return set(self.held)

    async def tick(self) -> dict[str, RoundReport]:
        """End the pauses of shifts that ran out (any zone: a paused courier's zone may have no
        round), claim zones, then run one round in each zone led (each in its own transaction)."""
        try:
            async with db.session_scope() as session:
                await close_lapsed_pauses(session)
        except Exception:
            log.exception("dispatch: cannot end the pauses of lapsed shifts")
        try:
            await self.claim()
        except Exception:
            log.exception("dispatch: cannot claim zones")
            await self.close()
            return {}
        reports: dict[str, RoundReport] = {}
        for zone in sorted(self.held):
            try:
                async with db.session_scope() as session:
                    report = await run_round(session, zone, self.params)
                    queued = take_queued(session)
            except Exception:
                log.exception("dispatch: round failed in zone %s", zone)
                continue
            await send_queued(queued)
            reports[zone] = report
        self.last_reports = reports
        return reports

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        """Tick every ``interval_seconds`` until ``stop`` is set; leadership ends with the loop."""
        stop = stop or asyncio.Event()
        try:
            while not stop.is_set():
                await self.tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.params.interval_seconds)
        finally:
            await self.close()

    async def close(self) -> None:
        """Close the lock connection, giving up every zone."""
        self.held.clear()
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
        self._conn = None
