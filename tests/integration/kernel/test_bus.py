"""The live bus: one process in memory, several through PostgreSQL NOTIFY or Redis pub/sub."""

from __future__ import annotations

import asyncio
import os
import socket

import pytest

from medrush.kernel.bus import Bus


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


async def _round_trip(sender: Bus, receiver: Bus) -> dict[str, object]:
    await receiver.start()
    await sender.start()
    try:
        async with receiver.subscribe("order:42") as queue:
            await asyncio.sleep(0.1)
            await sender.publish("order:42", {"status": "picked_up", "eta": 7})
            await sender.publish("order:43", {"status": "not for this subscriber"})
            return await asyncio.wait_for(queue.get(), timeout=5)
    finally:
        await sender.stop()
        await receiver.stop()


async def test_memory_bus_delivers_in_process() -> None:
    bus = Bus("memory")
    assert await _round_trip(bus, bus) == {"status": "picked_up", "eta": 7}


async def test_postgres_bus_crosses_connections(database: str) -> None:
    assert await _round_trip(Bus("postgres", dsn=database), Bus("postgres", dsn=database)) == {
        "status": "picked_up",
        "eta": 7,
    }


async def test_redis_bus_crosses_connections() -> None:
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("CI machines run Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    url = "redis://127.0.0.1:6379/0"
    assert await _round_trip(Bus("redis", redis_url=url), Bus("redis", redis_url=url)) == {
        "status": "picked_up",
        "eta": 7,
    }
