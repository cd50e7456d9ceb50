"""Random sequences of real actions on PostgreSQL keep every invariant (hypothesis).

After each step: no stock line is negative, ``reserved`` never exceeds ``quantity`` and equals
the units of held reservations, each order is in a state the machine allows and has at most one
payment and one refund, and units on the shelf plus units sold equal the units stocked.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from tests.integration.pharmacies.world import customer, make_pharmacy, staff_of

from medrush import orders
from medrush.kernel import clock, db
from medrush.kernel.errors import DomainError
from medrush.orders.enums import OrderStatus
from medrush.orders.models import Order, Payment, Refund
from medrush.orders.ports import ProductInfo

pytestmark = pytest.mark.usefixtures("tables")
PROVIDER = orders.SandboxProvider("property-secret")
ACTIONS = ("checkout", "pay", "pay_twice", "cancel", "accept", "reject", "pick", "ready", "expire")


@pytest.fixture(autouse=True)
def fakes() -> Iterator[None]:
    """Catalog facts, an allowing safety engine and a known sandbox key."""
    orders.set_product_source(lambda: {m: ProductInfo(m, m, "otc_b", None) for m in ("a", "b")})
    orders.set_safety_checker(lambda request: {"level": "allow", "findings": []})
    orders.register_provider(PROVIDER)
    yield
    orders.set_product_source(None)
    orders.set_safety_checker(None)


async def check_invariants(pharmacy_ids: list[uuid.UUID], stocked: dict[tuple[uuid.UUID, str], int]) -> None:
    async with db.session_scope() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT s.pharmacy_id, s.medicine_id, s.quantity, s.reserved, "
                    "coalesce((SELECT sum(r.quantity) FROM pharmacy_reservations r WHERE r.pharmacy_id = "
                    "s.pharmacy_id AND r.medicine_id = s.medicine_id AND r.status = 'held'), 0) "
                    "FROM pharmacy_stock s WHERE s.pharmacy_id = ANY(:ids)"
                ),
                {"ids": pharmacy_ids},
            )
        ).all()
        for _pharmacy_id, _medicine_id, quantity, reserved, held in rows:
            assert quantity >= 0
            assert 0 <= reserved <= quantity
            assert reserved == held
        found = (await session.scalars(select(Order).where(Order.pharmacy_id.in_(pharmacy_ids)))).all()
        for order in found:
            assert order.status in set(OrderStatus)
            payments = await session.scalar(
                select(func.count()).select_from(Payment).where(Payment.order_id == order.id)
            )
            assert payments == 1
            refunds = await session.scalar(
                select(func.count()).select_from(Refund).join(Payment).where(Payment.order_id == order.id)
            )
            assert refunds is not None and refunds <= 1
            payment = (await session.scalars(select(Payment).where(Payment.order_id == order.id))).one()
            if order.status == OrderStatus.REFUNDED:
                assert refunds == 1 and payment.status == "refunded"
            elif order.status in ("paid", "accepted", "picking", "ready"):
                assert payment.status == "succeeded" and refunds == 0
            elif order.status == OrderStatus.PLACED:
                assert payment.status in ("pending", "failed")
        # units on the shelf == units stocked - units sold + units put back (re-routing, cancelling)
        for pharmacy_id, medicine_id, quantity, _reserved, _held in rows:
            sold = await session.scalar(
                text(
                    "SELECT coalesce(-sum(quantity_delta), 0) FROM pharmacy_stock_ledger "
                    "WHERE pharmacy_id = :p AND medicine_id = :m AND reason = 'sale'"
                ),
                {"p": pharmacy_id, "m": medicine_id},
            )
            returned = await session.scalar(
                text(
                    "SELECT coalesce(sum(quantity_delta), 0) FROM pharmacy_stock_ledger "
                    "WHERE pharmacy_id = :p AND medicine_id = :m AND reason = 'return'"
                ),
                {"p": pharmacy_id, "m": medicine_id},
            )
            assert quantity == stocked[(pharmacy_id, medicine_id)] - int(sold) + int(returned)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 5), st.integers(1, 3)), max_size=25))
async def test_random_action_sequences_keep_the_invariants(steps: list[tuple[str, int, int]]) -> None:
    n = uuid.uuid4().int
    lat, lng = -10.0 - (n % 1000) / 1000, 30.0 + (n // 1000 % 1000) / 1000
    first = await make_pharmacy(lat=lat, lng=lng, stock=[("a", 4, 100), ("b", 2, 200)])
    second = await make_pharmacy(lat=lat, lng=lng + 0.002, stock=[("a", 3, 120), ("b", 3, 150)])
    stocked = {(first, "a"): 4, (first, "b"): 2, (second, "a"): 3, (second, "b"): 3}
    placed: list[dict[str, Any]] = []
    buyer = customer()
    frozen = clock.FrozenClock(datetime.now(UTC))
    clock.set_clock(frozen)
    try:
        for action, pick, quantity in steps:
            target = placed[pick % len(placed)] if placed else None
            try:
                async with db.session_scope() as session:
                    if action == "checkout":
                        result = await orders.checkout(
                            session,
                            buyer,
                            pharmacy_id=first,
                            items=[("a", quantity)] + ([("b", 1)] if pick % 2 else []),
                            lat=lat,
                            lng=lng,
                        )
                        placed.append(result.to_dict())
                    elif target is None:
                        continue
                    elif action in ("pay", "pay_twice"):
                        payment = await session.get(Payment, uuid.UUID(target["payment_id"]))
                        assert payment is not None
                        body, signature = PROVIDER.event(
                            "payment.succeeded", payment.provider_ref, payment.amount
                        )
                        await orders.handle_payment_webhook(session, "sandbox", body, signature)
                        if action == "pay_twice":
                            await orders.handle_payment_webhook(session, "sandbox", body, signature)
                    else:
                        oid = uuid.UUID(target["order_id"])
                        order = await session.get(Order, oid)
                        assert order is not None
                        staff = staff_of(order.pharmacy_id)
                        if action == "cancel":
                            await orders.cancel_order(session, buyer, oid, "changed my mind")
                        elif action == "accept":
                            await orders.accept_order(session, staff, oid)
                        elif action == "reject":
                            reason = "out_of_stock" if pick % 2 else "too_busy"
                            await orders.reject_order(session, staff, oid, reason)
                        elif action == "pick":
                            await orders.start_picking(session, staff, oid)
                        elif action == "ready":
                            await orders.mark_ready(session, staff, oid)
                        elif action == "expire":
                            frozen.advance(minutes=8)
                            await orders.run_order_timers(session)
            except DomainError:
                pass  # a refused step must leave everything consistent, which the check below proves
            await check_invariants([first, second], stocked)
    finally:
        clock.set_clock(None)
