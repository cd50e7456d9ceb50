"""Reads of the orders domain: offers with honest ETAs, carts, orders through their gatekeeper."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import pharmacies, prescriptions
from medrush.accounts import Actor
from medrush.kernel import clock
from medrush.kernel.errors import NotFound
from medrush.orders.actions import PICKUP_RADIUS_M, current_promise
from medrush.orders.enums import Fulfilment, OrderStatus
from medrush.orders.models import Cart, CartItem, Order, OrderItem, OrderTransition, Payment
from medrush.orders.ports import courier_minutes, product_info
from medrush.orders.promise import estimate

__all__ = [
    "access_order_by_id",
    "cart_view",
    "customer_orders",
    "order_view",
    "payment_by_ref",
    "pharmacy_orders",
    "ranked_offers",
    "search_offers",
]

log = logging.getLogger(__name__)
INBOX_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.ACCEPTED,
    OrderStatus.PICKING,
    OrderStatus.READY,
    OrderStatus.COURIER_ASSIGNED,
)


_schema_seen = False


async def _schema_ready(session: AsyncSession) -> bool:
    """True once the pharmacies tables exist (a database not yet migrated to them has no offers)."""
    global _schema_seen
    if not _schema_seen:
        _schema_seen = bool(await session.scalar(text("SELECT to_regclass('pharmacy_stock') IS NOT NULL")))
        if not _schema_seen:
            log.error("no pharmacies tables in this database: run `medrush db upgrade`; offers are empty")
    return _schema_seen


async def ranked_offers(
    session: AsyncSession,
    medicine_ids: Collection[str],
    lat: float,
    lng: float,
    at: datetime | None = None,
    *,
    pickup: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """Offers per product with their ETA, only those keeping the promise, fastest then cheapest first."""
    at = at or clock.now()
    if not await _schema_ready(session):
        return {m: [] for m in medicine_ids}
    near = await pharmacies.offers_near(
        session, medicine_ids, lat, lng, at, within_m=PICKUP_RADIUS_M if pickup else None
    )
    needs_pharmacist = {i for i, info in product_info(list(near)).items() if info.rx_class == "otc_a"}
    courier_cache: dict[uuid.UUID, float | None] = {}
    result: dict[str, list[dict[str, Any]]] = {}
    for medicine_id, offers in near.items():
        ranked: list[dict[str, Any]] = []
        for offer in offers:
            if medicine_id in needs_pharmacist and not offer.pharmacist_on_duty:
                continue  # class-A OTC is sold only while a pharmacist is on duty there
            if offer.pharmacy_id not in courier_cache:
                courier_cache[offer.pharmacy_id] = await courier_minutes(session, offer.lat, offer.lng)
            est = estimate(
                pharmacy_lat=offer.lat,
                pharmacy_lng=offer.lng,
                lat=lat,
                lng=lng,
                picking_minutes=offer.picking_minutes,
                courier_minutes=courier_cache[offer.pharmacy_id],
                promise=current_promise(),
                pickup=pickup,
            )
            if not est.keeps_promise:
                continue
            ranked.append(
                {
                    "pharmacy_id": str(offer.pharmacy_id),
                    "pharmacy_name": offer.pharmacy_name,
                    "price": offer.price / 100 if offer.currency != "KRW" else float(offer.price),
                    "price_minor": offer.price,
                    "currency": offer.currency,
                    "in_stock": offer.available,
                    "eta_minutes": est.eta_minutes,
                    "distance_m": offer.distance_m,
                    "pharmacist_on_duty": offer.pharmacist_on_duty,
                }
            )
        ranked.sort(key=lambda o: (o["eta_minutes"], o["price_minor"], o["pharmacy_id"]))
        result[medicine_id] = ranked
    return result


async def search_offers(
    session: AsyncSession, medicine_ids: Collection[str], lat: float, lng: float
) -> dict[str, list[dict[str, Any]]]:
    """``{medicine_id: [{"pharmacy_id", "price", "in_stock", "eta_minutes", ...}]}`` for ``medrush search``.

    Only open, approved pharmacies whose area covers the point, that have the product, can
    deliver within the current promise and, for class-A OTC, have a pharmacist on duty; ``price``
    is in major units (``price_minor`` beside it). Where the jurisdiction profile makes orders
    pick-up (``pickup_only``), pharmacies within ``PICKUP_RADIUS_M`` count and the ETA is the time
    to ready.
    """
    pickup = prescriptions.active_profile().pickup_only
    return await ranked_offers(session, medicine_ids, lat, lng, pickup=pickup)


async def access_order_by_id(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """The order if the actor may see it (its customer, its pharmacy's staff, its courier, an operator).

    Anyone else gets NotFound, so order ids cannot be probed.
    """
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("no such order", code="order_not_found")
    if actor.is_system or actor.has("operator"):
        return order
    if actor.user_id is not None and actor.user_id == order.customer_id:
        return order
    staff = actor.has("pharmacy_staff") or actor.has("pharmacist")
    if staff and actor.pharmacy_id == order.pharmacy_id:
        return order
    if actor.has("courier") and actor.user_id is not None and actor.user_id == order.courier_id:
        return order
    raise NotFound("no such order", code="order_not_found")


async def order_view(session: AsyncSession, actor: Actor, order: Order) -> dict[str, Any]:
    """The JSON form of an order for this actor (the handover code only for its customer)."""
    items = (
        await session.scalars(
            select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.medicine_id)
        )
    ).all()
    steps = (
        await session.scalars(
            select(OrderTransition).where(OrderTransition.order_id == order.id).order_by(OrderTransition.id)
        )
    ).all()
    payment = await session.scalar(select(Payment).where(Payment.order_id == order.id))
    pharmacy = await pharmacies.get_pharmacy(session, order.pharmacy_id)
    is_customer = actor.user_id is not None and actor.user_id == order.customer_id
    show_code = is_customer and order.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
    return {
        "id": str(order.id),
        "status": order.status,
        "version": order.version,
        "fulfilment": order.fulfilment,
        "pharmacy": {"id": str(pharmacy.id), "name": pharmacy.name, "address": pharmacy.address},
        "items": [
            {
                "medicine_id": i.medicine_id,
                "name": i.name,
                "quantity": i.quantity,
                "unit_price": i.unit_price,
                "picked": i.picked,
            }
            for i in items
        ],
        "subtotal": order.subtotal,
        "delivery_fee": order.delivery_fee,
        "total": order.total,
        "currency": order.currency,
        "address": order.address,
        "lat": order.lat,
        "lng": order.lng,
        "eta_minutes": order.eta_minutes,
        "promise_minutes": order.promise_minutes,
        "promised_by": order.promised_by.isoformat() if order.promised_by else None,
        "placed_at": order.placed_at.isoformat(),
        "reservation_expires_at": order.reservation_expires_at.isoformat(),
        "handover_code": order.handover_code if show_code else None,
        "reroutes": order.reroutes,
        "cancel_reason": order.cancel_reason,
        "safety": order.safety,
        "payment": (
            {
                "id": str(payment.id),
                "status": payment.status,
                "pay_url": payment.pay_url,
                "amount": payment.amount,
                "refunded_amount": payment.refunded_amount,
            }
            if payment is not None
            else None
        ),
        "history": [
            {
                "from": s.from_status,
                "to": s.to_status,
                "at": s.at.isoformat(),
                "actor_id": str(s.actor_id) if s.actor_id else None,
                "reason": s.reason,
            }
            for s in steps
        ],
    }


async def preparation_minutes(
    session: AsyncSession, pharmacy_ids: Collection[uuid.UUID], *, days: int = 30, at_least: int = 5
) -> dict[uuid.UUID, float]:
    """Median minutes from payment to ready per pharmacy over the last ``days`` days: acceptance and
    picking as customers waited for them. Orders moved to another pharmacy are left out (their wait
    began at the first one), and so are pharmacies with fewer than ``at_least`` such orders."""
    if not pharmacy_ids:
        return {}
    minutes = func.extract("epoch", Order.ready_at - Order.paid_at) / 60
    rows = await session.execute(
        select(Order.pharmacy_id, func.percentile_cont(0.5).within_group(minutes), func.count())
        .where(
            Order.pharmacy_id.in_(list(pharmacy_ids)),
            Order.paid_at >= clock.now() - timedelta(days=days),
            Order.ready_at >= Order.paid_at,
            Order.reroutes == 0,
        )
        .group_by(Order.pharmacy_id)
    )
    return {pid: float(median) for pid, median, n in rows.all() if n >= at_least}


async def pharmacy_orders(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    statuses: Sequence[str] = INBOX_STATUSES,
    *,
    limit: int = 100,
) -> list[Order]:
    """A pharmacy's orders in the given states, oldest first (the inbox)."""
    stmt = (
        select(Order)
        .where(Order.pharmacy_id == pharmacy_id, Order.status.in_([str(s) for s in statuses]))
        .order_by(Order.offered_at.nulls_last(), Order.placed_at)
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())


async def customer_orders(
    session: AsyncSession, actor: Actor, *, limit: int = 20, before: datetime | None = None
) -> list[dict[str, Any]]:
    """The signed-in customer's own orders, newest first, in short form (``id``, ``status``,
    ``pharmacy``, ``items`` with names and quantities, ``total``, ``currency``, ``placed_at``,
    ``promised_by``, ``cancel_reason``); ``before`` pages back by placement time."""
    if actor.user_id is None:
        return []
    stmt = select(Order).where(Order.customer_id == actor.user_id)
    if before is not None:
        stmt = stmt.where(Order.placed_at < (before if before.tzinfo else before.replace(tzinfo=UTC)))
    found = list((await session.scalars(stmt.order_by(Order.placed_at.desc(), Order.id).limit(limit))).all())
    items: dict[uuid.UUID, list[dict[str, Any]]] = {o.id: [] for o in found}
    if found:
        rows = await session.scalars(
            select(OrderItem).where(OrderItem.order_id.in_(items)).order_by(OrderItem.medicine_id)
        )
        for item in rows:
            items[item.order_id].append(
                {"medicine_id": item.medicine_id, "name": item.name, "quantity": item.quantity}
            )
    names = {
        pid: (await pharmacies.get_pharmacy(session, pid)).name for pid in {o.pharmacy_id for o in found}
    }
    return [
        {
            "id": str(o.id),
            "status": o.status,
            "pharmacy": {"id": str(o.pharmacy_id), "name": names[o.pharmacy_id]},
            "items": items[o.id],
            "total": o.total,
            "currency": o.currency,
            "placed_at": o.placed_at.isoformat(),
            "promised_by": o.promised_by.isoformat() if o.promised_by else None,
            "cancel_reason": o.cancel_reason,
        }
        for o in found
    ]


async def cart_view(session: AsyncSession, actor: Actor) -> dict[str, Any]:
    """The customer's cart with current prices."""
    empty: dict[str, Any] = {"pharmacy_id": None, "lines": [], "subtotal": 0}
    if actor.user_id is None:
        return empty
    cart = await session.scalar(select(Cart).where(Cart.customer_id == actor.user_id))
    if cart is None or cart.pharmacy_id is None:
        return empty
    items = (
        await session.scalars(
            select(CartItem).where(CartItem.cart_id == cart.id).order_by(CartItem.medicine_id)
        )
    ).all()
    facts = product_info([i.medicine_id for i in items])
    lines = []
    subtotal = 0
    for item in items:
        stock = await pharmacies.stock_line(session, cart.pharmacy_id, item.medicine_id)
        price = stock.price if stock is not None else 0
        subtotal += price * item.quantity
        info = facts.get(item.medicine_id)
        lines.append(
            {
                "medicine_id": item.medicine_id,
                "name": info.name if info else item.medicine_id,
                "quantity": item.quantity,
                "unit_price": price,
                "available": (stock.quantity - stock.reserved) if stock is not None else 0,
            }
        )
    return {"pharmacy_id": str(cart.pharmacy_id), "lines": lines, "subtotal": subtotal}


async def payment_by_ref(session: AsyncSession, provider: str, provider_ref: str) -> Payment:
    """A payment by its provider reference (the sandbox pay page)."""
    payment = await session.scalar(
        select(Payment).where(Payment.provider == provider, Payment.provider_ref == provider_ref)
    )
    if payment is None:
        raise NotFound("no such payment", code="payment_not_found")
    return payment


def fulfilment_label(order: Order) -> str:
    """Delivery or pick-up, as people say it."""
    return "pick up at the pharmacy" if order.fulfilment == Fulfilment.PICKUP else "delivery"
