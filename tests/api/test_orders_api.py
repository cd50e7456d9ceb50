"""Orders over HTTP: Idempotency-Key checkout, webhooks, the pharmacy's steps, live updates, bad input."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medrush import orders
from medrush.accounts import Role
from medrush.kernel import db
from medrush.orders.ports import ProductInfo
from tests.factories.accounts import make_user
from tests.integration.pharmacies.world import make_pharmacy

PRODUCTS = {"ibu": ProductInfo("ibu", "Ibuprofen 200 mg", "otc_b", None)}
PROVIDER = orders.SandboxProvider("api-test-secret", "http://testserver")


@pytest.fixture(autouse=True)
def fakes() -> Iterator[None]:
    """Catalog facts, an allowing safety engine and a sandbox provider with a known key."""
    orders.set_product_source(lambda: PRODUCTS)
    orders.set_safety_checker(lambda request: {"level": "allow", "findings": []})
    orders.register_provider(PROVIDER)
    yield
    orders.set_product_source(None)
    orders.set_safety_checker(None)


def spot() -> tuple[float, float]:
    n = uuid.uuid4().int
    return -30.0 - (n % 10_000) / 1000, -60.0 - (n // 10_000 % 10_000) / 1000


async def signed_webhook(client: httpx.AsyncClient, kind: str, pay_url: str, amount: int) -> httpx.Response:
    body, signature = PROVIDER.event(kind, pay_url.rsplit("/", 1)[1], amount)
    return await client.post(
        "/api/v1/payments/sandbox/webhook",
        content=body,
        headers={"X-Signature": signature, "Content-Type": "application/json"},
    )


async def test_checkout_pay_and_fulfil_over_http(client: httpx.AsyncClient, tables: str) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    buyer = await make_user(Role.CUSTOMER)
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    body = {"pharmacy_id": str(pid), "items": [{"medicine_id": "ibu", "quantity": 1}], "lat": lat, "lng": lng}
    headers = {**buyer.headers, "Idempotency-Key": "checkout-1"}
    first = await client.post("/api/v1/orders", json=body, headers=headers)
    assert first.status_code == 201, first.text
    retry = await client.post("/api/v1/orders", json=body, headers=headers)
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    other = await client.post("/api/v1/orders", json={**body, "lat": lat + 0.001}, headers=headers)
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    order = first.json()

    forged = await client.post(
        "/api/v1/payments/sandbox/webhook", content=b'{"id":"x"}', headers={"X-Signature": "sha256=00"}
    )
    assert forged.status_code == 403
    paid = await signed_webhook(client, "payment.succeeded", order["pay_url"], order["total"])
    assert paid.json() == {"outcome": "paid"}

    oid = order["order_id"]
    for path in ("accept", "picking", "items/ibu/picked", "ready"):
        step = await client.post(f"/api/v1/orders/{oid}/{path}", json={"picked": True}, headers=staff.headers)
        assert step.status_code == 200, (path, step.text)
    assert step.json()["status"] == "ready"
    assert step.json()["handover_code"] is None
    mine = (await client.get(f"/api/v1/orders/{oid}", headers=buyer.headers)).json()
    assert mine["status"] == "ready"
    assert len(mine["handover_code"]) == 6
    stranger = await make_user(Role.CUSTOMER)
    assert (await client.get(f"/api/v1/orders/{oid}", headers=stranger.headers)).status_code == 404
    inbox = await client.get(f"/api/v1/pharmacies/{pid}/orders", headers=staff.headers)
    assert [o["id"] for o in inbox.json()] == [oid]


async def test_bad_input_is_a_clear_4xx(client: httpx.AsyncClient, tables: str) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    buyer = await make_user(Role.CUSTOMER)
    base: dict[str, Any] = {"pharmacy_id": str(pid), "lat": lat, "lng": lng}
    cases = [
        ({**base, "items": [{"medicine_id": "ibu", "quantity": -1}]}, 422, "invalid_input"),
        ({**base, "items": [{"medicine_id": "nope", "quantity": 1}]}, 422, "unknown_product"),
        ({**base, "lat": lat + 0.2, "items": [{"medicine_id": "ibu", "quantity": 1}]}, 422, "outside_area"),
        ({**base, "items": [{"medicine_id": "ibu", "quantity": 9}]}, 409, "out_of_stock"),
        ({**base, "lat": 123, "items": [{"medicine_id": "ibu", "quantity": 1}]}, 422, "invalid_input"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/orders", json=body, headers=buyer.headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message"]
    assert (await client.post("/api/v1/orders", json=cases[0][0])).status_code == 401


async def test_tracking_events_stream_live_changes(live_server: str, tables: str) -> None:
    """A real server streams the order as it changes (the in-process client cannot stream)."""
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    buyer = await make_user(Role.CUSTOMER)
    async with db.session_scope() as session:
        placed = (
            await orders.checkout(session, buyer.actor, pharmacy_id=pid, items=[("ibu", 1)], lat=lat, lng=lng)
        ).to_dict()
    url = f"{live_server}/api/v1/orders/{placed['order_id']}/events"
    seen: list[str] = []
    async with (
        httpx.AsyncClient(timeout=20) as http,
        http.stream("GET", url, headers=buyer.headers) as events,
    ):
        assert events.headers["content-type"].startswith("text/event-stream")
        async for line in events.aiter_lines():
            if not line.startswith("data: "):
                continue
            seen.append(json.loads(line.removeprefix("data: "))["status"])
            if seen == ["placed"]:
                async with db.session_scope() as session:
                    await orders.cancel_order(
                        session, buyer.actor, uuid.UUID(placed["order_id"]), "changed my mind"
                    )
    assert seen == ["placed", "cancelled"]


async def test_offers_endpoint(client: httpx.AsyncClient, tables: str) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    found = await client.get("/api/v1/offers", params={"ids": "ibu,zzz", "lat": lat, "lng": lng})
    assert found.status_code == 200
    assert [o["pharmacy_id"] for o in found.json()["ibu"]] == [str(pid)]
    assert found.json()["zzz"] == []
