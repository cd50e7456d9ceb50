"""Past orders for the demo (``medrush demo`` on an empty database).

The demo's composition (``medrush.demo``) simulates a day of a demo city with the real dispatch
engine and hands the orders it served to ``record_past_orders``: each is written as a delivered
order with its lines, a settled sandbox payment and every step of the way, so the orders read like
any other and the pharmacies' preparation times are measured from them (``preparation_minutes``).
Each belongs to a demo customer account (listed on that customer's orders page and no one else's)
and names the courier who carried it; they send no event: they are history, not work for the
dispatcher.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel.ids import short_code
from medrush.orders.enums import OrderStatus, PaymentStatus
from medrush.orders.models import Order, OrderItem, OrderTransition, Payment

__all__ = ["PastOrder", "record_past_orders"]


@dataclass(frozen=True, slots=True)
class PastOrder:
    """A delivered order of the past: where it went, when each step happened, what was in it."""

    id: uuid.UUID
    pharmacy_id: uuid.UUID
    lat: float
    lng: float
    paid_at: datetime
    ready_at: datetime
    picked_up_at: datetime
    delivered_at: datetime
    promise_minutes: int
    currency: str
    lines: tuple[tuple[str, str, int, int], ...]  # medicine id, name, quantity, unit price
    customer_id: uuid.UUID
    courier_id: uuid.UUID
    assigned_at: datetime  # the courier's assignment: from ready to pickup
    address: str = ""


def _steps(o: PastOrder) -> list[tuple[OrderStatus | None, OrderStatus, datetime]]:
    """The order's way through the states, at the minutes they happened."""
    accepted = min(o.paid_at + timedelta(minutes=1), o.ready_at)
    assigned = min(max(o.ready_at, o.assigned_at), o.picked_up_at)
    return [
        (None, OrderStatus.PLACED, o.paid_at - timedelta(seconds=30)),
        (OrderStatus.PLACED, OrderStatus.PAID, o.paid_at),
        (OrderStatus.PAID, OrderStatus.ACCEPTED, accepted),
        (OrderStatus.ACCEPTED, OrderStatus.PICKING, accepted),
        (OrderStatus.PICKING, OrderStatus.READY, o.ready_at),
        (OrderStatus.READY, OrderStatus.COURIER_ASSIGNED, assigned),
        (OrderStatus.COURIER_ASSIGNED, OrderStatus.PICKED_UP, o.picked_up_at),
        (OrderStatus.PICKED_UP, OrderStatus.DELIVERED, o.delivered_at),
    ]


async def record_past_orders(session: AsyncSession, past: Sequence[PastOrder]) -> int:
    """Write ``past`` as delivered orders (see the module text); returns how many."""
    if not past:
        return 0
    orders: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    transitions: list[dict[str, Any]] = []
    for o in past:
        total = sum(quantity * price for _, _, quantity, price in o.lines)
        steps = _steps(o)
        orders.append(
            {
                "id": o.id,
                "customer_id": o.customer_id,
                "courier_id": o.courier_id,
                "pharmacy_id": o.pharmacy_id,
                "status": str(OrderStatus.DELIVERED),
                "currency": o.currency,
                "subtotal": total,
                "delivery_fee": 0,
                "total": total,
                "lat": o.lat,
                "lng": o.lng,
                "address": o.address,
                "promise_minutes": o.promise_minutes,
                "eta_minutes": o.promise_minutes,
                "handover_code": short_code(6),
                "safety": {},
                "tried_pharmacy_ids": [str(o.pharmacy_id)],
                "reroutes": 0,
                "placed_at": steps[0][2],
                "reservation_expires_at": o.paid_at + timedelta(minutes=15),
                "paid_at": o.paid_at,
                "offered_at": o.paid_at,
                "promised_by": o.paid_at + timedelta(minutes=o.promise_minutes),
                "accepted_at": steps[2][2],
                "ready_at": o.ready_at,
                "picked_up_at": o.picked_up_at,
                "delivered_at": o.delivered_at,
                "delivered_lat": o.lat,
                "delivered_lng": o.lng,
            }
        )
        items.extend(
            {
                "order_id": o.id,
                "medicine_id": m,
                "name": name,
                "quantity": q,
                "unit_price": price,
                "picked": True,
            }
            for m, name, q, price in o.lines
        )
        payments.append(
            {
                "id": uuid.uuid4(),
                "order_id": o.id,
                "provider": "sandbox",
                "provider_ref": f"sbx_history_{o.id.hex}",
                "pay_url": "",
                "amount": total,
                "currency": o.currency,
                "status": str(PaymentStatus.SUCCEEDED),
                "created_at": steps[0][2],
                "succeeded_at": o.paid_at,
            }
        )
        transitions.extend(
            {
                "order_id": o.id,
                "from_status": None if old is None else str(old),
                "to_status": str(new),
                "at": at,
                "actor_id": None,
                "reason": None,
                "detail": {"demo_history": True}
                | ({"courier_id": str(o.courier_id)} if new == OrderStatus.COURIER_ASSIGNED else {}),
            }
            for old, new, at in steps
        )
    for model, rows in (
        (Order, orders),
        (OrderItem, items),
        (Payment, payments),
        (OrderTransition, transitions),
    ):
        await session.execute(insert(model), rows)
    return len(orders)
