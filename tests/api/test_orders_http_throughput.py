"""Checkout throughput over HTTP against a real server (one uvicorn worker), 50 concurrent clients.

Run with ``-s`` to see the figures: ``pytest -s tests/api/test_orders_http_throughput.py``.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import httpx
import numpy as np
import pytest

from medrush import catalog
from medrush.accounts import Role
from medrush.kernel import db
from tests.factories.accounts import make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy

pytestmark = pytest.mark.slow
PRODUCT = "paracetamol-500mg-tab-20"
CLIENTS = int(os.environ.get("CHECKOUT_CLIENTS", "50"))
CHECKOUTS = int(os.environ.get("CHECKOUTS", "1000"))


async def test_http_checkout_throughput(live_server: str) -> None:
    await ensure_tables()
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
    lat, lng = 5.0 + uuid.uuid4().int % 1000 / 1000, 5.0
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(PRODUCT, CHECKOUTS + 10, 990)])
    users = [await make_user(Role.CUSTOMER) for _ in range(CLIENTS)]
    body = {
        "pharmacy_id": str(pid),
        "items": [{"medicine_id": PRODUCT, "quantity": 1}],
        "lat": lat,
        "lng": lng,
    }
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(CHECKOUTS):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=CLIENTS + 10)
    async with httpx.AsyncClient(base_url=live_server, timeout=60, limits=limits) as http:
        warm = await http.post("/api/v1/orders", json=body, headers=users[0].headers)
        assert warm.status_code == 201, warm.text

        async def client(headers: dict[str, str]) -> None:
            while not queue.empty():
                i = queue.get_nowait()
                started = time.perf_counter()
                response = await http.post(
                    "/api/v1/orders", json=body, headers={**headers, "Idempotency-Key": f"k{i}"}
                )
                assert response.status_code == 201, response.text
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client(u.headers) for u in users))
        elapsed = time.perf_counter() - started
    ms = np.array(latencies) * 1000
    print(
        f"\nHTTP, 1 worker, {CHECKOUTS} checkouts, {CLIENTS} clients: {CHECKOUTS / elapsed:.0f}/s, "
        f"p50 {np.percentile(ms, 50):.0f} ms, p99 {np.percentile(ms, 99):.0f} ms"
    )
    assert len(latencies) == CHECKOUTS
