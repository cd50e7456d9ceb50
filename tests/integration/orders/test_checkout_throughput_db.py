"""Checkout throughput on PostgreSQL without HTTP (the database-only limit), 50 concurrent clients.

Run with ``-s`` to see the figures:
``pytest -s tests/integration/orders/test_checkout_throughput_db.py``.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import numpy as np
import pytest
from tests.integration.pharmacies.world import customer, make_pharmacy, stock_row

from medrush import orders
from medrush.kernel import db
from medrush.orders.ports import ProductInfo

pytestmark = [pytest.mark.usefixtures("tables"), pytest.mark.slow]
CLIENTS = int(os.environ.get("CHECKOUT_CLIENTS", "50"))
CHECKOUTS = int(os.environ.get("CHECKOUTS", "1000"))
PRODUCTS = int(os.environ.get("CHECKOUT_PRODUCTS", "1"))  # 1: everyone races for one stock row


async def test_checkout_throughput_without_http() -> None:
    ids = [f"thr{i}" for i in range(PRODUCTS)]
    orders.set_product_source(lambda: {i: ProductInfo(i, "Throughput pill", "otc_b", None) for i in ids})
    orders.set_safety_checker(lambda request: {"level": "allow", "findings": []})
    try:
        lat, lng = 10.0 + uuid.uuid4().int % 1000 / 1000, 10.0
        pid = await make_pharmacy(lat=lat, lng=lng, stock=[(i, CHECKOUTS, 100) for i in ids])
        latencies: list[float] = []
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(CHECKOUTS):
            queue.put_nowait(i)

        async def client() -> None:
            buyer = customer()
            while not queue.empty():
                n = queue.get_nowait()
                started = time.perf_counter()
                async with db.session_scope() as session:
                    await orders.checkout(
                        session, buyer, pharmacy_id=pid, items=[(ids[n % PRODUCTS], 1)], lat=lat, lng=lng
                    )
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    finally:
        orders.set_product_source(None)
        orders.set_safety_checker(None)
    ms = np.array(latencies) * 1000
    print(
        f"\n{CHECKOUTS} checkouts, {CLIENTS} clients, {PRODUCTS} product(s): {CHECKOUTS / elapsed:.0f}/s, "
        f"p50 {np.percentile(ms, 50):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms"
    )
    assert len(latencies) == CHECKOUTS
    reserved = [(await stock_row(pid, i))[1] for i in ids]
    assert sum(reserved) == CHECKOUTS
