"""Orders on real PostgreSQL: the whole flow, payment faults, re-routing, timers, bad input, the race."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.integration.pharmacies.world import customer, make_pharmacy, staff_of, stock_row

from medrush import orders, pharmacies
from medrush.accounts import SYSTEM, Actor
from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from medrush.kernel.events import OutboxEvent
from medrush.orders.models import Order, Payment, Refund
from medrush.orders.ports import ProductInfo

pytestmark = pytest.mark.usefixtures("tables")

PRODUCTS = {
    "ibu": ProductInfo("ibu", "Ibuprofen 200 mg", "otc_b", None),
    "para": ProductInfo("para", "Paracetamol 500 mg", "otc_b", 3),
    "strong": ProductInfo("strong", "Class A thing", "otc_a", None),
    "rxonly": ProductInfo("rxonly", "Prescription thing", "rx", None),
}
SECRET_PROVIDER = orders.SandboxProvider("test-secret", "http://testserver")


@pytest.fixture(autouse=True)
def fakes() -> Iterator[list[dict[str, Any]]]:
    """Catalog facts, a safety engine that allows (and records what it saw), the sandbox provider."""
    seen: list[dict[str, Any]] = []

    def allow(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return {"level": "allow", "findings": []}

    orders.set_product_source(lambda: PRODUCTS)
    orders.set_safety_checker(allow)
    orders.register_provider(SECRET_PROVIDER)
    yield seen
    orders.set_product_source(None)
    orders.set_safety_checker(None)


def spot() -> tuple[float, float]:
    """A point of its own for each test, so offers of other tests never interfere."""
    n = uuid.uuid4().int
    return 30.0 + (n % 10_000) / 1000, 110.0 + (n // 10_000 % 10_000) / 1000


async def place(
    actor: Actor, pharmacy_id: uuid.UUID, items: list[tuple[str, int]], lat: float, lng: float
) -> Any:
    async with db.session_scope() as session:
        return (
            await orders.checkout(session, actor, pharmacy_id=pharmacy_id, items=items, lat=lat, lng=lng)
        ).to_dict()


async def webhook(
    kind: str, order: dict[str, Any], amount: int | None = None, event_id: str | None = None
) -> str:
    async with db.session_scope() as session:
        payment = await session.get(Payment, uuid.UUID(order["payment_id"]))
        assert payment is not None
        body, signature = SECRET_PROVIDER.event(
            kind, payment.provider_ref, payment.amount if amount is None else amount, event_id=event_id
        )
        return await orders.handle_payment_webhook(session, "sandbox", body, signature)


async def pay(order: dict[str, Any]) -> str:
    return await webhook("payment.succeeded", order)


async def status_of(order_id: str) -> str:
    async with db.session_scope() as session:
        order = await session.get(Order, uuid.UUID(order_id))
        assert order is not None
        return order.status


async def test_the_whole_flow_from_checkout_to_the_door(fakes: list[dict[str, Any]]) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500), ("para", 5, 900)])
    buyer, staff = customer(), staff_of(pid)
    placed = await place(buyer, pid, [("ibu", 2), ("para", 1)], lat + 0.005, lng)
    assert placed["status"] == "placed"
    assert placed["subtotal"] == 3900 and placed["total"] == 4400
    assert placed["keeps_promise"] is True
    assert fakes[0]["items"] == [
        {"medicine_id": "ibu", "quantity": 2},
        {"medicine_id": "para", "quantity": 1},
    ]
    assert await stock_row(pid, "ibu") == (5, 2)
    assert await pay(placed) == "paid"
    assert await stock_row(pid, "ibu") == (3, 0)
    oid = uuid.UUID(placed["order_id"])
    courier = Actor(user_id=uuid.uuid4(), roles=frozenset({"courier"}))
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, oid)
        await orders.start_picking(session, staff, oid)
    with pytest.raises(Conflict) as not_picked:
        async with db.session_scope() as session:
            await orders.mark_ready(session, staff, oid)
    assert not_picked.value.details == {"unpicked": ["ibu", "para"]}
    async with db.session_scope() as session:
        await orders.mark_picked(session, staff, oid, "ibu", True)
        await orders.mark_picked(session, staff, oid, "para", True)
        await orders.mark_ready(session, staff, oid)
        await orders.courier_assigned(session, oid, courier.user_id)  # type: ignore[arg-type]
        await orders.courier_picked_up(session, courier, oid)
        view = await orders.order_view(session, buyer, await orders.access_order_by_id(session, buyer, oid))
    code = view["handover_code"]
    assert len(code) == 6
    async with db.session_scope() as session:
        assert await orders.confirm_handover(session, courier, oid, "x" + code[1:], lat=lat, lng=lng) is False
    async with db.session_scope() as session:
        assert await orders.confirm_handover(session, courier, oid, code, lat=lat + 0.005, lng=lng) is True
        view = await orders.order_view(session, buyer, await orders.access_order_by_id(session, buyer, oid))
        topics = (
            await session.scalars(
                select(OutboxEvent.topic)
                .where(OutboxEvent.payload["order_id"].astext == str(oid))
                .order_by(OutboxEvent.id)
            )
        ).all()
    assert [(h["from"], h["to"]) for h in view["history"]] == [
        (None, "placed"),
        ("placed", "paid"),
        ("paid", "accepted"),
        ("accepted", "picking"),
        ("picking", "ready"),
        ("ready", "courier_assigned"),
        ("courier_assigned", "picked_up"),
        ("picked_up", "delivered"),
    ]
    assert view["history"][2]["actor_id"] == str(staff.user_id)
    assert list(topics) == [
        "orders.placed",
        "orders.paid",
        "orders.accepted",
        "orders.picking",
        "orders.ready",
        "orders.courier_assigned",
        "orders.picked_up",
        "orders.delivered",
    ]


async def test_orders_are_hidden_from_strangers_and_the_code_from_staff() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)])
    buyer = customer()
    placed = await place(buyer, pid, [("ibu", 1)], lat, lng)
    oid = uuid.UUID(placed["order_id"])
    async with db.session_scope() as session:
        for stranger in (customer(), staff_of(await make_pharmacy(lat=lat, lng=lng))):
            with pytest.raises(NotFound):
                await orders.access_order_by_id(session, stranger, oid)
        staff = staff_of(pid)
        view = await orders.order_view(session, staff, await orders.access_order_by_id(session, staff, oid))
    assert view["handover_code"] is None


async def test_illegal_steps_are_conflicts_and_change_nothing() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)])
    placed = await place(customer(), pid, [("ibu", 1)], lat, lng)
    oid = uuid.UUID(placed["order_id"])
    for step in (orders.accept_order, orders.start_picking, orders.mark_ready):
        with pytest.raises(Conflict):
            async with db.session_scope() as session:
                await step(session, staff_of(pid), oid)
    with pytest.raises(PermissionDenied):
        async with db.session_scope() as session:
            await orders.accept_order(session, customer(), oid)
    assert await status_of(placed["order_id"]) == "placed"


async def test_webhook_twice_out_of_order_and_forged() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)])
    placed = await place(customer(), pid, [("ibu", 1)], lat, lng)
    assert await webhook("payment.failed", placed, event_id=f"f-{placed['order_id']}") == "failed"
    async with db.session_scope() as session:
        payment = await session.get(Payment, uuid.UUID(placed["payment_id"]))
        assert payment is not None
        body, signature = SECRET_PROVIDER.event("payment.succeeded", payment.provider_ref, payment.amount)
        forged = body.replace(f'"amount":{payment.amount}'.encode(), b'"amount":1')
        assert forged != body
        with pytest.raises(PermissionDenied):
            await orders.handle_payment_webhook(session, "sandbox", forged, signature)
    async with db.session_scope() as session:
        assert await orders.handle_payment_webhook(session, "sandbox", body, signature) == "paid"
    async with db.session_scope() as session:
        assert await orders.handle_payment_webhook(session, "sandbox", body, signature) == "duplicate"
    assert await webhook("payment.succeeded", placed) == "ignored"  # a second success, new event id
    assert await webhook("payment.failed", placed) == "ignored"  # a stale failure after success
    assert await status_of(placed["order_id"]) == "paid"
    assert await stock_row(pid, "ibu") == (4, 0)


async def test_a_payment_after_the_reservation_expired_is_refunded_once() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 1, 1500)])
    placed = await place(customer(), pid, [("ibu", 1)], lat, lng)
    clock.set_clock(clock.FrozenClock(datetime.now(UTC) + timedelta(minutes=16)))
    try:
        cancelled = 0
        while True:  # drain: other tests may have left placed orders too
            async with db.session_scope() as session:
                timers = await orders.run_order_timers(session)
            cancelled += timers["unpaid_cancelled"]
            if timers["unpaid_cancelled"] == 0:
                break
    finally:
        clock.set_clock(None)
    assert cancelled >= 1
    assert await status_of(placed["order_id"]) == "cancelled"
    assert await stock_row(pid, "ibu") == (1, 0)
    assert await pay(placed) == "refunded_late"
    assert await status_of(placed["order_id"]) == "refunded"
    async with db.session_scope() as session:
        refunds = await session.scalar(
            select(func.count())
            .select_from(Refund)
            .where(Refund.payment_id == uuid.UUID(placed["payment_id"]))
        )
    assert refunds == 1
    assert await stock_row(pid, "ibu") == (1, 0)


async def test_rejection_reroutes_with_the_same_payment_then_refunds_once() -> None:
    lat, lng = spot()
    first = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 2, 1500)], name="First")
    second = await make_pharmacy(lat=lat + 0.004, lng=lng, stock=[("ibu", 2, 1700)], name="Second")
    placed = await place(customer(), first, [("ibu", 1)], lat, lng)
    await pay(placed)
    oid = uuid.UUID(placed["order_id"])
    async with db.session_scope() as session:
        order = await orders.reject_order(session, staff_of(first), oid, "too_busy")
        assert order.pharmacy_id == second
        assert order.status == "paid"
    assert await stock_row(first, "ibu") == (2, 0)
    assert await stock_row(second, "ibu") == (1, 0)
    async with db.session_scope() as session:
        order = await orders.reject_order(session, staff_of(second), oid, "out_of_stock")
        assert order.status == "refunded"
        payments = (await session.scalars(select(Payment).where(Payment.order_id == oid))).all()
        refunds = await session.scalar(
            select(func.count()).select_from(Refund).where(Refund.payment_id == payments[0].id)
        )
        stats = await orders_stats(session, first)
    assert len(payments) == 1 and payments[0].status == "refunded" and payments[0].refunded_amount == 2000
    assert refunds == 1
    assert await stock_row(second, "ibu") == (1, 0)  # out of stock: not put back
    assert stats["orders_rejected"] == 1 and stats["rejection_rate"] == 1.0


async def orders_stats(session: Any, pharmacy_id: uuid.UUID) -> dict[str, Any]:
    from medrush import pharmacies

    return await pharmacies.pharmacy_stats(session, pharmacy_id)


async def test_an_unanswered_order_moves_on_after_the_acceptance_time() -> None:
    lat, lng = spot()
    first = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 2, 1500)])
    second = await make_pharmacy(lat=lat, lng=lng + 0.003, stock=[("ibu", 2, 1500)])
    placed = await place(customer(), first, [("ibu", 1)], lat, lng)
    await pay(placed)
    clock.set_clock(clock.FrozenClock(datetime.now(UTC) + timedelta(minutes=6)))
    try:
        async with db.session_scope() as session:
            assert await orders.expire_unaccepted(session) >= 1
            order = await session.get(Order, uuid.UUID(placed["order_id"]))
            assert order is not None
            assert (order.pharmacy_id, order.status, order.reroutes) == (second, "paid", 1)
    finally:
        clock.set_clock(None)


async def test_bad_checkouts_are_refused_with_a_code_and_store_nothing() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500), ("strong", 5, 100)], pharmacist=None)
    other = await make_pharmacy(lat=lat, lng=lng, stock=[("para", 5, 900)])
    closed = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)], always_open=False)
    buyer = customer()
    cases: list[tuple[uuid.UUID, list[tuple[str, int]], float, str]] = [
        (pid, [("ibu", -1)], lat, "bad_quantity"),
        (pid, [("ibu", 0)], lat, "bad_quantity"),
        (pid, [], lat, "empty_cart"),
        (pid, [("unknown", 1)], lat, "unknown_product"),
        (pid, [("para", 1)], lat, "not_sold_here"),
        (other, [("para", 4)], lat, "quantity_limit"),
        (pid, [("rxonly", 1)], lat, "prescription_required"),
        (pid, [("strong", 1)], lat, "no_pharmacist"),
        (closed, [("ibu", 1)], lat, "pharmacy_closed"),
        (pid, [("ibu", 1)], lat + 0.05, "outside_area"),
        (pid, [("ibu", 6)], lat, "out_of_stock"),
        (uuid.uuid4(), [("ibu", 1)], lat, "pharmacy_not_found"),
    ]
    for pharmacy_id, items, at_lat, code in cases:
        with pytest.raises((InvalidInput, Conflict, PermissionDenied, NotFound)) as refused:
            await place(buyer, pharmacy_id, items, at_lat, lng)
        assert refused.value.code == code, (items, refused.value.message)
    async with db.session_scope() as session:
        count = await session.scalar(
            select(func.count()).select_from(Order).where(Order.customer_id == buyer.user_id)
        )
    assert count == 0
    assert await stock_row(pid, "ibu") == (5, 0)


async def test_safety_block_refuses_and_warn_needs_confirmation() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)])
    buyer = customer()
    verdict = {"level": "block", "findings": [{"code": "x", "severity": "high", "message": "no"}]}
    orders.set_safety_checker(lambda request: verdict)
    with pytest.raises(PermissionDenied) as blocked:
        await place(buyer, pid, [("ibu", 1)], lat, lng)
    assert blocked.value.code == "safety_block"
    verdict["level"] = "warn"
    with pytest.raises(Conflict) as warned:
        await place(buyer, pid, [("ibu", 1)], lat, lng)
    assert warned.value.code == "safety_confirmation_required"
    assert warned.value.details == verdict
    async with db.session_scope() as session:
        result = await orders.checkout(
            session, buyer, pharmacy_id=pid, items=[("ibu", 1)], lat=lat, lng=lng, confirm_warnings=True
        )
        assert result.safety == verdict
    assert await stock_row(pid, "ibu") == (5, 1)


async def test_a_retried_checkout_with_the_same_key_is_one_order() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 5, 1500)])
    buyer = customer()
    body = {"pharmacy_id": str(pid), "items": [["ibu", 1]], "lat": lat, "lng": lng}

    async def attempt(payload: dict[str, Any]) -> orders.IdempotentResult:
        async with db.session_scope() as session:

            async def produce() -> tuple[int, dict[str, Any]]:
                result = await orders.checkout(
                    session, buyer, pharmacy_id=pid, items=[("ibu", 1)], lat=payload["lat"], lng=lng
                )
                return 201, result.to_dict()

            return await orders.run_idempotent(
                session, scope=f"checkout:{buyer.user_id}", key="k-1", body=payload, produce=produce
            )

    first, second = await asyncio.gather(attempt(body), attempt(body))
    assert first.body["order_id"] == second.body["order_id"]
    assert sorted([first.replayed, second.replayed]) == [False, True]
    with pytest.raises(Conflict) as mismatch:
        await attempt({**body, "lat": lat + 0.001})
    assert mismatch.value.code == "idempotency_mismatch"
    assert await stock_row(pid, "ibu") == (5, 1)


async def test_two_hundred_concurrent_checkouts_for_the_last_ten_units() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 10, 1500)])
    buyers = [customer() for _ in range(200)]

    async def attempt(buyer: Actor) -> bool:
        try:
            placed = await place(buyer, pid, [("ibu", 1)], lat, lng)
        except Conflict:
            return False
        return await pay(placed) == "paid"

    results = await asyncio.gather(*(attempt(b) for b in buyers))
    assert sum(results) == 10
    assert await stock_row(pid, "ibu") == (0, 0)
    async with db.session_scope() as session:
        paid = await session.scalar(
            select(func.count()).select_from(Order).where(Order.pharmacy_id == pid, Order.status == "paid")
        )
        all_orders = await session.scalar(
            select(func.count()).select_from(Order).where(Order.pharmacy_id == pid)
        )
    assert (paid, all_orders) == (10, 10)


async def test_search_offers_gives_the_contract_shape_fastest_first() -> None:
    lat, lng = spot()
    near = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    cheaper = await make_pharmacy(lat=lat + 0.01, lng=lng, stock=[("ibu", 2, 900)])
    async with db.session_scope() as session:
        offers = await orders.search_offers(session, ["ibu", "para"], lat, lng)
    assert [o["pharmacy_id"] for o in offers["ibu"]] == [str(near), str(cheaper)]
    first = offers["ibu"][0]
    assert (first["price"], first["price_minor"], first["in_stock"]) == (15.0, 1500, 3)
    assert isinstance(first["eta_minutes"], int)
    assert offers["para"] == []


async def test_handover_locks_after_five_wrong_codes() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 3, 1500)])
    placed = await place(customer(), pid, [("ibu", 1)], lat, lng)
    await pay(placed)
    oid = uuid.UUID(placed["order_id"])
    staff = staff_of(pid)
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, oid)
        await orders.start_picking(session, staff, oid)
        await orders.mark_picked(session, staff, oid, "ibu", True)
        await orders.mark_ready(session, staff, oid)
        await orders.courier_assigned(session, oid, uuid.uuid4())
        await orders.courier_picked_up(session, SYSTEM, oid)
    for _ in range(5):
        async with db.session_scope() as session:
            assert await orders.confirm_handover(session, SYSTEM, oid, "not-it", lat=None, lng=None) is False
    with pytest.raises(RateLimited):
        async with db.session_scope() as session:
            await orders.confirm_handover(session, SYSTEM, oid, "not-it", lat=None, lng=None)


async def test_a_consultation_hold_becomes_the_order() -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("ibu", 1, 1500)])
    async with db.session_scope() as session:
        await pharmacies.reserve_stock(
            session,
            pid,
            [pharmacies.StockLine("ibu", 1)],
            ref="consult:c-42",
            minutes=60,
            purpose=pharmacies.ReservationPurpose.CONSULTATION,
        )
    with pytest.raises(Conflict):  # the only unit is held for the consultation
        await place(customer(), pid, [("ibu", 1)], lat, lng)
    async with db.session_scope() as session:
        result = await orders.checkout(
            session,
            customer(),
            pharmacy_id=pid,
            items=[("ibu", 1)],
            lat=lat,
            lng=lng,
            consultation_hold="c-42",
        )
    assert result.order.status == "placed"
    assert await stock_row(pid, "ibu") == (1, 1)
    async with db.session_scope() as session:
        assert await pharmacies.held_units(session, "consult:c-42", "ibu") == 0
        assert await pharmacies.held_units(session, str(result.order.id), "ibu") == 1


async def test_class_a_offers_need_a_pharmacist_on_duty() -> None:
    lat, lng = spot()
    staffed = await make_pharmacy(lat=lat, lng=lng, stock=[("strong", 3, 100), ("ibu", 3, 100)])
    unstaffed = await make_pharmacy(
        lat=lat, lng=lng, stock=[("strong", 3, 90), ("ibu", 3, 90)], pharmacist=None
    )
    async with db.session_scope() as session:
        offers = await orders.search_offers(session, ["strong", "ibu"], lat, lng)
    assert [o["pharmacy_id"] for o in offers["strong"]] == [str(staffed)]
    assert [o["pharmacy_id"] for o in offers["ibu"]] == [
        str(unstaffed),
        str(staffed),
    ]  # same place, cheaper first
