"""The kr profile's pick-up orders, and the dispatch events orders reacts to."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from tests.integration.pharmacies.world import customer, make_pharmacy, staff_of

from medrush import orders
from medrush.kernel import db
from medrush.kernel.events import Event
from medrush.orders.models import Order, Payment
from medrush.orders.ports import ProductInfo
from medrush.orders.subscribers import on_courier_assigned, on_courier_delivered, on_courier_picked_up
from medrush.settings import reset_settings

pytestmark = pytest.mark.usefixtures("tables")
PROVIDER = orders.SandboxProvider("pickup-secret")


@pytest.fixture(autouse=True)
def fakes() -> Iterator[None]:
    """Catalog facts, an allowing safety engine and a known sandbox key."""
    orders.set_product_source(lambda: {"ibu": ProductInfo("ibu", "Ibuprofen", "otc_b", None)})
    orders.set_safety_checker(lambda request: {"level": "allow", "findings": []})
    orders.register_provider(PROVIDER)
    yield
    orders.set_product_source(None)
    orders.set_safety_checker(None)


@pytest.fixture
def korea() -> Iterator[None]:
    """The kr jurisdiction profile for one test."""
    os.environ["MEDRUSH_JURISDICTION"] = "kr"
    reset_settings()
    yield
    os.environ.pop("MEDRUSH_JURISDICTION", None)
    reset_settings()


async def paid_order(lat: float, lng: float, pid: uuid.UUID) -> uuid.UUID:
    async with db.session_scope() as session:
        result = await orders.checkout(
            session, customer(), pharmacy_id=pid, items=[("ibu", 1)], lat=lat, lng=lng
        )
        oid = result.order.id
    async with db.session_scope() as session:
        payment = (await session.scalars(select(Payment).where(Payment.order_id == oid))).one()
        body, signature = PROVIDER.event("payment.succeeded", payment.provider_ref, payment.amount)
        assert await orders.handle_payment_webhook(session, "sandbox", body, signature) == "paid"
    return oid


async def test_in_korea_the_order_is_collected_at_the_counter(korea: None) -> None:
    n = uuid.uuid4().int
    lat, lng = 37.0 + (n % 1000) / 1000, 127.0
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 2, 3000)])
    far_away = (lat + 1.0, lng)  # outside any delivery area: fine for pick-up
    async with db.session_scope() as session:
        q = await orders.quote(session, pid, [("ibu", 1)], *far_away)
    assert (q.fulfilment, q.delivery_fee, q.estimate.eta_minutes) == ("pickup", 0, 5)
    oid = await paid_order(*far_away, pid)
    staff = staff_of(pid)
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, oid)
        await orders.start_picking(session, staff, oid)
        await orders.mark_picked(session, staff, oid, "ibu", True)
        await orders.mark_ready(session, staff, oid)
        order = await session.get(Order, oid)
        assert order is not None
        code = order.handover_code
    with pytest.raises(Exception, match="staff"):
        async with db.session_scope() as session:
            await orders.confirm_handover(session, customer(), oid, code, lat=None, lng=None)
    async with db.session_scope() as session:
        assert await orders.confirm_handover(session, staff, oid, code, lat=None, lng=None) is True
        order = await session.get(Order, oid)
        assert order is not None and order.status == "delivered"


async def test_in_korea_offers_are_for_collection_nearby(korea: None) -> None:
    n = uuid.uuid4().int
    lat, lng = 36.0 + (n % 1000) / 1000, 128.0
    near = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 2, 3000)], radius_m=500)
    await make_pharmacy(lat=lat + 0.1, lng=lng, stock=[("ibu", 2, 2000)])  # 11 km away
    async with db.session_scope() as session:
        offers = await orders.search_offers(session, ["ibu"], lat + 0.02, lng)  # 2.2 km: outside its area
    assert [(o["pharmacy_id"], o["eta_minutes"]) for o in offers["ibu"]] == [(str(near), 5)]


async def test_dispatch_events_move_the_order_and_repeats_change_nothing() -> None:
    n = uuid.uuid4().int
    lat, lng = 45.0 + (n % 1000) / 1000, 5.0
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 2, 3000)])
    oid = await paid_order(lat, lng, pid)
    staff, courier = staff_of(pid), uuid.uuid4()
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, oid)
        await orders.start_picking(session, staff, oid)
        await orders.mark_picked(session, staff, oid, "ibu", True)
        await orders.mark_ready(session, staff, oid)
    now = datetime.now(UTC)
    assigned = Event(1, "dispatch.courier_assigned", {"order_id": str(oid), "courier_id": str(courier)}, now)
    picked = Event(2, "dispatch.picked_up", {"order_id": str(oid), "courier_id": str(courier)}, now)
    delivered = Event(3, "dispatch.delivered", {"order_id": str(oid), "lat": lat, "lng": lng + 0.001}, now)
    for handler, event in (
        (on_courier_assigned, assigned),
        (on_courier_assigned, assigned),
        (on_courier_picked_up, picked),
        (on_courier_delivered, delivered),
        (on_courier_delivered, delivered),
        (on_courier_picked_up, picked),
    ):
        async with db.session_scope() as session:
            await handler(session, event)
    async with db.session_scope() as session:
        order = await session.get(Order, oid)
        assert order is not None
        assert (order.status, order.courier_id, order.delivered_lng) == ("delivered", courier, lng + 0.001)
        view = await orders.order_view(session, staff, order)
    assert [h["to"] for h in view["history"]] == [
        "placed",
        "paid",
        "accepted",
        "picking",
        "ready",
        "courier_assigned",
        "picked_up",
        "delivered",
    ]
