"""Live broadcast to every process: order updates, courier positions, chat messages.

Not the reliable path (that is the outbox); this fans out ephemeral messages to whoever is
listening now. One process: in-memory queues. Several processes: PostgreSQL LISTEN/NOTIFY, or
Redis pub/sub when MEDRUSH_REDIS_URL is set.

``follow(channel)`` registers a function that every process runs for each message of a channel
while its background work runs (``run_followers``): how a change handled by one process's relay
reaches the in-process state of all the others (the catalog's search index).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

__all__ = ["Bus", "follow", "get_bus", "run_followers", "set_bus"]

log = logging.getLogger(__name__)
BUS_CHANNEL = "medrush_bus"
_PG_PAYLOAD_LIMIT = 7900


class Bus:
    """Publish/subscribe by channel name; ``backend`` is ``memory``, ``postgres`` or ``redis``."""

    def __init__(
        self, backend: str = "memory", *, dsn: str | None = None, redis_url: str | None = None
    ) -> None:
        self.backend = backend
        self._dsn = dsn
        self._redis_url = redis_url
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self._listeners: dict[str, list[Callable[[str], None]]] = defaultdict(list)
        self._conn: Any = None
        self._redis: Any = None
        self._task: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()  # one connection carries one statement at a time

    async def start(self) -> None:
        """Connect the cross-process backend (idempotent)."""
        if self.backend == "postgres" and self._conn is None:
            import asyncpg

            self._conn = await asyncpg.connect(self._dsn)
            await self._conn.add_listener(BUS_CHANNEL, self._on_pg_notify)
            for channel in list(self._listeners):
                await self._conn.add_listener(channel, self._on_raw_notify)
        elif self.backend == "redis" and self._redis is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(self._redis_url or "redis://127.0.0.1:6379")
            pubsub = self._redis.pubsub()
            await pubsub.subscribe(BUS_CHANNEL)
            self._task = asyncio.create_task(self._redis_reader(pubsub))

    async def stop(self) -> None:
        """Disconnect."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        """Send a message to every subscriber of a channel in every process."""
        envelope = json.dumps({"c": channel, "m": message}, default=str, ensure_ascii=False)
        if (
            self.backend == "postgres"
            and self._conn is not None
            and len(envelope.encode()) < _PG_PAYLOAD_LIMIT
        ):
            async with self._send_lock:
                await self._conn.execute("SELECT pg_notify($1, $2)", BUS_CHANNEL, envelope)
        elif self.backend == "redis" and self._redis is not None:
            await self._redis.publish(BUS_CHANNEL, envelope)
        else:
            self._fan_out(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue receiving the channel's messages while the block runs."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1000)
        self._queues[channel].add(queue)
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    async def listen_raw(self, pg_channel: str, callback: Callable[[str], None]) -> None:
        """Call ``callback(payload)`` on each PostgreSQL NOTIFY of a channel (e.g. the outbox wake-up)."""
        self._listeners[pg_channel].append(callback)
        if self._conn is not None:
            await self._conn.add_listener(pg_channel, self._on_raw_notify)

    def _fan_out(self, channel: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(channel, ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:  # a stalled consumer loses live updates, never blocks others
                log.warning("dropping a live message for a slow subscriber of %s", channel)

    def _on_pg_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        envelope = json.loads(payload)
        self._fan_out(envelope["c"], envelope["m"])

    def _on_raw_notify(self, _conn: Any, _pid: int, channel: str, payload: str) -> None:
        for callback in self._listeners.get(channel, ()):
            callback(payload)

    async def _redis_reader(self, pubsub: Any) -> None:
        async for item in pubsub.listen():
            if item.get("type") == "message":
                envelope = json.loads(item["data"])
                self._fan_out(envelope["c"], envelope["m"])


_bus: Bus | None = None


def get_bus() -> Bus:
    """The process-wide bus (in-memory until ``set_bus`` installs a cross-process one)."""
    global _bus
    if _bus is None:
        _bus = Bus("memory")
    return _bus


def set_bus(bus: Bus | None) -> None:
    """Install the process-wide bus."""
    global _bus
    _bus = bus


Follower = Callable[[dict[str, Any]], Awaitable[None]]
_followers: dict[str, list[Follower]] = defaultdict(list)


def follow(channel: str) -> Callable[[Follower], Follower]:
    """Register ``follower(message)`` to run in every process for each message on ``channel``."""

    def register(func: Follower) -> Follower:
        if func not in _followers[channel]:
            _followers[channel].append(func)
        return func

    return register


async def run_followers(bus: Bus) -> None:
    """Feed every followed channel's messages to its followers until cancelled; a follower that
    fails is logged and the next message still comes."""
    async with contextlib.AsyncExitStack() as stack:
        queues = [(await stack.enter_async_context(bus.subscribe(c)), c) for c in list(_followers)]
        await asyncio.gather(*(_follow_channel(queue, channel) for queue, channel in queues))


async def _follow_channel(queue: asyncio.Queue[dict[str, Any]], channel: str) -> None:
    while True:
        message = await queue.get()
        for follower in list(_followers.get(channel, ())):
            try:
                await follower(message)
            except Exception:
                log.exception("follower %s of %s failed", getattr(follower, "__name__", follower), channel)
