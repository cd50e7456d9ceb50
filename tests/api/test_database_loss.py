"""Pooled connections are not pinged before use (see ``database_pre_ping``): when the server drops
them, one request gets a clear 503 and the pool is rebuilt, so the next requests succeed."""

from __future__ import annotations

import asyncpg
import httpx

from medrush.kernel import db
from medrush.web.app import create_app


async def _drop_connections(url: str) -> int:
    """Terminate every other backend of this database, as a server restart or failover would."""
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


async def test_dropped_connections_cost_at_most_one_request(on_private_database: str) -> None:
    app = create_app(with_lifespan=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for _ in range(3):  # fill the pool
            assert (await http.get("/api/v1/pharmacies?city=Shanghai")).status_code == 200
        assert await _drop_connections(on_private_database) >= 1

        first = await http.get("/api/v1/pharmacies?city=Shanghai")
        assert first.status_code in (200, 503), first.text
        if first.status_code == 503:
            assert first.json()["error"]["code"] == "database_unavailable"
            assert first.headers["retry-after"] == "1"
        for _ in range(3):
            again = await http.get("/api/v1/pharmacies?city=Shanghai")
            assert again.status_code == 200, again.text
    await db.dispose()
