"""Dispatch and orders together, only through the outbox: from ready to the door."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

import medrush.dispatch.subscribers
import medrush.orders.subscribers  # noqa: F401 - registers orders' handlers
from medrush import dispatch, orders
from medrush.accounts import Actor
from medrush.dispatch.live import zone_of
from medrush.dispatch.models import DeliveryJob
from medrush.kernel import db
from medrush.kernel.events import OutboxRelay
from medrush.orders.models import Order
from medrush.orders.ports import ProductInfo
from tests.integration.pharmacies.world import customer, ensure_tables, make_pharmacy, staff_of

PROVIDER = orders.SandboxProvider("dispatch-test-secret", "http://testserver")
SPOT = (29.87, 121.55)  # Ningbo: a zone of its own


@pytest.fixture
def fakes() -> Iterator[None]:
    """Catalog facts and a safety engine that allows, the sandbox payment provider."""
    orders.set_product_source(lambda: {"ibu": ProductInfo("ibu", "Ibuprofen 200 mg", "otc_b", None)})
    orders.set_safety_checker(lambda _request: {"level": "allow", "findings": []})
    orders.register_provider(PROVIDER)
    yield
    orders.set_product_source(None)
    orders.set_safety_checker(None)


async def relay_until(check: Callable[[], Awaitable[bool]]) -> None:
    """Deliver outbox events (as the worker would) until ``check`` holds."""
    relay = OutboxRelay(db.sessionmaker())
    for _ in range(30):
        if await check():
            return
        await relay.run_once()
    raise AssertionError("the events never produced the expected state")


async def order_status(order_id: uuid.UUID) -> str:
    """The order's status in orders' own table."""
    async with db.session_scope() as session:
        order = await session.get(Order, order_id)
        assert order is not None
        return order.status


async def job(order_id: uuid.UUID) -> DeliveryJob | None:
    """Dispatch's job for the order."""
    async with db.session_scope() as session:
        return (await session.scalars(select(DeliveryJob).where(DeliveryJob.order_id == order_id))).first()


async def test_an_order_travels_from_ready_to_the_door_through_events(database: str, fakes: None) -> None:
    await ensure_tables()
    pharmacy_id = await make_pharmacy(lat=SPOT[0], lng=SPOT[1], stock=[("ibu", 5, 1500)])
    rider = Actor(user_id=uuid.uuid4(), roles=frozenset({"courier"}))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, rider, minutes=120, lat=SPOT[0] + 0.002, lng=SPOT[1])
    buyer, staff = customer(), staff_of(pharmacy_id)
    async with db.session_scope() as session:
        placed: dict[str, Any] = (
            await orders.checkout(
                session, buyer, pharmacy_id=pharmacy_id, items=[("ibu", 1)], lat=SPOT[0] + 0.01, lng=SPOT[1]
            )
        ).to_dict()
    order_id = uuid.UUID(placed["order_id"])
    async with db.session_scope() as session:
        payment = await session.get(orders.Payment, uuid.UUID(placed["payment_id"]))
        assert payment is not None
        body, signature = PROVIDER.event("payment.succeeded", payment.provider_ref, payment.amount)
        await orders.handle_payment_webhook(session, "sandbox", body, signature)
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, order_id)
        await orders.start_picking(session, staff, order_id)
        await orders.mark_picked(session, staff, order_id, "ibu", True)
        await orders.mark_ready(session, staff, order_id)

    async def job_opened() -> bool:
        return await job(order_id) is not None

    await relay_until(job_opened)
    async with db.session_scope() as session:
        report = await dispatch.run_round(session, zone_of(*SPOT))
    assert report.offers == 1
    async with db.session_scope() as session:
        board = await dispatch.courier_board(session, rider)
        [accepted] = await dispatch.accept_offer(session, rider, uuid.UUID(board["offers"][0]["offer_id"]))

    async def assigned() -> bool:
        return await order_status(order_id) == "courier_assigned"

    await relay_until(assigned)
    async with db.session_scope() as session:
        await dispatch.confirm_pickup(session, rider, accepted.id, lat=SPOT[0], lng=SPOT[1])

    async def picked() -> bool:
        return await order_status(order_id) == "picked_up"

    await relay_until(picked)
    async with db.session_scope() as session:
        view = await orders.order_view(
            session, buyer, await orders.access_order_by_id(session, buyer, order_id)
        )
    # the drop-off as the courier API does it: dispatch checks the code when orders shared it in
    # ``orders.ready``, otherwise orders checks it and dispatch records the drop-off after
    async with db.session_scope() as session:
        target, dispatch_checks = await dispatch.dropoff_target(session, rider, accepted.id)
        assert target == order_id
        code = view["handover_code"]
        if dispatch_checks:
            await dispatch.confirm_dropoff(session, rider, accepted.id, code=code)
        else:
            assert await orders.confirm_handover(session, rider, order_id, code, lat=None, lng=None)
            await dispatch.confirm_dropoff(session, rider, accepted.id)

    async def settled() -> bool:
        return await order_status(order_id) == "delivered"

    await relay_until(settled)
    done = await job(order_id)
    assert done is not None and done.status == "delivered"
    async with db.session_scope() as session:
        history = [
            (h["from"], h["to"])
            for h in (
                await orders.order_view(
                    session, buyer, await orders.access_order_by_id(session, buyer, order_id)
                )
            )["history"]
        ]
    assert history[-3:] == [
        ("ready", "courier_assigned"),
        ("courier_assigned", "picked_up"),
        ("picked_up", "delivered"),
    ]
