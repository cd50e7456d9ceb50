"""Background work: the outbox relay (woken by LISTEN/NOTIFY), order timers, dispatch zone loops, the bus,
the search index's catch-up with catalog changes, and housekeeping (deleting delivered outbox events
and idempotency keys past their retention).

A web process runs it in-process by default (``MEDRUSH_INPROCESS_WORKER``); a cluster turns that
off and runs ``medrush worker`` processes instead. Several relays can run at once: each batch is
taken with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from typing import ClassVar

from medrush.kernel import clock, db
from medrush.kernel.bus import Bus, get_bus, run_followers, set_bus
from medrush.kernel.domains import import_domain_module
from medrush.kernel.events import NOTIFY_CHANNEL, OutboxRelay, purge_delivered
from medrush.settings import get_settings

__all__ = ["SUBSCRIBER_MODULES", "Background", "housekeeping", "load_subscribers", "run_worker"]

log = logging.getLogger(__name__)
# Modules whose import registers event handlers with ``kernel.subscribe``; missing ones are skipped.
SUBSCRIBER_MODULES = (
    "catalog.subscribers",
    "pharmacies.subscribers",
    "orders.subscribers",
    "dispatch.subscribers",
    "consult.subscribers",
    "interop.subscribers",
)


def load_subscribers() -> None:
    """Import every domain's subscribers so their handlers are registered."""
    for name in SUBSCRIBER_MODULES:
        import_domain_module(name)


def libpq_dsn() -> str:
    """The database URL in the plain form asyncpg's own connect() takes."""
    return db.database_url().replace("postgresql+asyncpg://", "postgresql://", 1)


class Background:
    """The bus and (optionally) an outbox relay, started and stopped together."""

    running: ClassVar[set[Background]] = set()  # every started instance of this process

    def __init__(self, *, relay: bool = True) -> None:
        settings = get_settings()
        if settings.redis_url:
            self.bus = Bus("redis", redis_url=settings.redis_url)
        else:
            self.bus = Bus("postgres", dsn=libpq_dsn())
        self.relay = OutboxRelay(db.sessionmaker()) if relay else None
        self.jobs = relay and settings.background_jobs
        self._dispatch_task: asyncio.Task[None] | None = None
        self._demo_task: asyncio.Task[None] | None = None
        self._timers_task: asyncio.Task[None] | None = None
        self._followers_task: asyncio.Task[None] | None = None
        self._catch_up_task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._wake_conn: object | None = None

    async def start(self) -> None:
        """Connect the bus, listen for outbox notifications, start relaying."""
        load_subscribers()
        self._stop = asyncio.Event()
        set_bus(self.bus)
        await self.bus.start()
        self._followers_task = asyncio.create_task(run_followers(self.bus))
        self._catch_up_task = asyncio.create_task(_catch_up_catalog(self._stop))
        if self.relay is not None:
            relay = self.relay
            import asyncpg

            conn = await asyncpg.connect(libpq_dsn())
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_args: relay.wake())
            self._wake_conn = conn
            poll = get_settings().outbox_poll_seconds
            self._task = asyncio.create_task(relay.run_forever(poll_seconds=poll, stop=self._stop))
        if self.jobs:
            from medrush.dispatch import DispatchLoop

            self._dispatch_task = asyncio.create_task(DispatchLoop().run_forever(self._stop))
            self._timers_task = asyncio.create_task(_run_order_timers(self._stop))
        if self.jobs and get_settings().demo_couriers:
            self._demo_task = asyncio.create_task(_keep_demo_couriers_online(self._stop))
        Background.running.add(self)

    async def stop(self) -> None:
        """Stop relaying (the current batch finishes or rolls back) and disconnect."""
        Background.running.discard(self)
        self._stop.set()
        if self._followers_task is not None:
            self._followers_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._followers_task
        if self.relay is not None:
            self.relay.wake()
        tasks = (self._task, self._dispatch_task, self._demo_task, self._timers_task, self._catch_up_task)
        for task in tasks:
            if task is not None:
                try:
                    await asyncio.wait_for(task, timeout=10)
                except TimeoutError:
                    task.cancel()
        if self._wake_conn is not None:
            with contextlib.suppress(Exception):
                await self._wake_conn.close()  # type: ignore[attr-defined]
        await self.bus.stop()
        if get_bus() is self.bus:
            set_bus(None)


async def _catch_up_catalog(stop: asyncio.Event) -> None:
    """Every ``catalog_catch_up_seconds``, apply catalog changes this process's search index
    missed (a broadcast lost with a bus connection); see ``catalog.service.catch_up``."""
    from medrush.catalog.service import catch_up, current_index

    every = get_settings().catalog_catch_up_seconds
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
        if stop.is_set():
            break
        if current_index() is None:  # a process that serves no search (a worker) has nothing to catch up
            continue
        try:
            async with db.session_scope() as session:
                await catch_up(session)
        except Exception:
            log.exception("catalog catch-up: pass failed")


async def _run_order_timers(stop: asyncio.Event, every_seconds: float = 5.0) -> None:
    """Expire unpaid orders, stock holds and prescriptions; re-route orders no pharmacy accepted in
    time; every ``HOUSEKEEPING_SECONDS``, delete what outlived its retention."""
    from medrush.orders import run_order_timers
    from medrush.prescriptions import expire_prescriptions

    housekeeping_due = time.monotonic()
    while not stop.is_set():
        try:
            async with db.session_scope() as session:
                await run_order_timers(session)
                await expire_prescriptions(session)
        except Exception:
            log.exception("order timers: pass failed")
        if time.monotonic() >= housekeeping_due:
            housekeeping_due = time.monotonic() + HOUSEKEEPING_SECONDS
            try:
                await housekeeping()
            except Exception:
                log.exception("housekeeping: pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)


HOUSEKEEPING_SECONDS = 600.0
PURGE_BATCH = 5000
MAX_BATCHES = 100  # per pass: at most 500,000 rows of each kind, in short transactions


async def housekeeping() -> dict[str, int]:
    """Delete delivered outbox events and idempotency keys past their retention, in batches of
    ``PURGE_BATCH`` rows (one short transaction each); returns how many of each went.

    Every process that runs order timers runs this; concurrent runs skip each other's locked rows
    (``FOR UPDATE SKIP LOCKED``), so they neither wait for nor repeat each other's batches."""
    from medrush.orders import purge_idempotency_keys

    settings = get_settings()
    now = clock.now()
    purges = {
        "outbox_events": (purge_delivered, now - timedelta(days=settings.outbox_retention_days)),
        "idempotency_keys": (
            purge_idempotency_keys,
            now - timedelta(hours=settings.idempotency_retention_hours),
        ),
    }
    removed = dict.fromkeys(purges, 0)
    for name, (purge, older_than) in purges.items():
        for _batch in range(MAX_BATCHES):
            async with db.session_scope() as session:
                count = await purge(session, older_than=older_than, limit=PURGE_BATCH)
            removed[name] += count
            if count < PURGE_BATCH:
                break
    if any(removed.values()):
        log.info("housekeeping: deleted %s", removed)
    return removed


async def _keep_demo_couriers_online(stop: asyncio.Event) -> None:
    """Stand in for the demo couriers' phones: refresh their last-seen time every 30 s."""
    from medrush.dispatch.demo import keep_demo_couriers_online

    while not stop.is_set():
        try:
            async with db.session_scope() as session:
                await keep_demo_couriers_online(session)
        except Exception:
            log.exception("demo couriers: refresh failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=30)


async def run_worker(stop: asyncio.Event | None = None) -> None:
    """Run the relay until ``stop`` is set or the process is interrupted."""
    background = Background(relay=True)
    await background.start()
    log.info("worker started")
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await background.stop()
