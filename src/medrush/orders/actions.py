"""Writes of the orders domain: cart, checkout, payment webhooks, the pharmacy's steps, re-routing,
handover, cancellation and refunds.

Every status change goes through ``_move``, which refuses what ``enums.TRANSITIONS`` forbids,
stores the step with time and actor, and writes an ``orders.<status>`` event to the outbox in the
same transaction. Orders are locked with ``SELECT ... FOR UPDATE`` before any change, so a
webhook, a pharmacy click and a timer racing on one order apply one after the other.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts, pharmacies, prescriptions
from medrush.accounts import Actor, AuditAction
from medrush.kernel import clock
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from medrush.kernel.events import emit
from medrush.kernel.geo import haversine_m
from medrush.kernel.i18n import N_
from medrush.kernel.ids import new_id, short_code
from medrush.orders.enums import Fulfilment, OrderStatus, PaymentStatus, can_move
from medrush.orders.models import (
    Cart,
    CartItem,
    Order,
    OrderItem,
    OrderTransition,
    Payment,
    PaymentWebhook,
    Refund,
)
from medrush.orders.payments import get_provider
from medrush.orders.ports import courier_minutes, product_info, run_safety_check
from medrush.orders.promise import Estimate, estimate, promise_minutes
from medrush.safety import patient_from_profile
from medrush.settings import get_settings

__all__ = [
    "CANCEL_REASONS",
    "CheckoutResult",
    "accept_order",
    "add_to_cart",
    "cancel_order",
    "checkout",
    "clear_cart",
    "confirm_handover",
    "courier_assigned",
    "courier_delivered",
    "courier_picked_up",
    "expire_unaccepted",
    "expire_unpaid",
    "handle_payment_webhook",
    "mark_ready",
    "patient_quote",
    "quote",
    "refund_order",
    "reject_order",
    "remove_from_cart",
    "start_picking",
]

# why the platform cancels an order, as the customer reads it (translated where it is shown; a
# cancellation by staff carries their own words)
NOT_PAID_IN_TIME = N_("not paid in time")
NO_PHARMACY_CAN_KEEP_THE_PROMISE = N_("no pharmacy can keep the promise")
PRESCRIPTION_ALREADY_USED = N_("the prescription was already used by another order")
CANCELLED = N_("cancelled")
CANCEL_REASONS = (NOT_PAID_IN_TIME, NO_PHARMACY_CAN_KEEP_THE_PROMISE, PRESCRIPTION_ALREADY_USED, CANCELLED)

log = logging.getLogger(__name__)
MAX_UNITS_PER_LINE = 20
MAX_LINES = 30
MAX_HANDOVER_ATTEMPTS = 5
PICKUP_RADIUS_M = 5000  # how far a patient is offered (or moved to) a pharmacy to collect from
REJECT_REASONS = ("out_of_stock", "closing", "too_busy", "prescription_issue", "other")


def _staff_of(actor: Actor, pharmacy_id: uuid.UUID) -> None:
    if actor.has("operator") or actor.is_system:
        return
    if not (actor.has("pharmacy_staff") or actor.has("pharmacist")) or actor.pharmacy_id != pharmacy_id:
        raise PermissionDenied("only staff of this order's pharmacy may do this")


async def _locked_order(session: AsyncSession, order_id: uuid.UUID) -> Order:
    order = (await session.scalars(select(Order).where(Order.id == order_id).with_for_update())).first()
    if order is None:
        raise NotFound("no such order", code="order_not_found")
    return order


async def _items(session: AsyncSession, order_id: uuid.UUID) -> list[OrderItem]:
    stmt = select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.medicine_id)
    return list((await session.scalars(stmt)).all())


def _event_payload(order: Order, **extra: Any) -> dict[str, Any]:
    return {
        "order_id": str(order.id),
        "pharmacy_id": str(order.pharmacy_id),
        "status": order.status,
        "fulfilment": order.fulfilment,
        "lat": order.lat,
        "lng": order.lng,
        "promised_by": order.promised_by.isoformat() if order.promised_by else None,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        **extra,
    }


async def _move(
    session: AsyncSession,
    order: Order,
    target: OrderStatus,
    actor: Actor | None,
    *,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    topic: str | None = None,
    topic_extra: dict[str, Any] | None = None,
) -> None:
    """Apply one transition or raise Conflict naming the illegal step.

    ``detail`` is stored with the step and sent in the event; ``topic_extra`` goes only to the
    event (the handover code for dispatch, never copied into the order history).
    """
    current = OrderStatus(order.status)
    if not can_move(current, target):
        raise Conflict(
            "an order that is {current} cannot become {target}",
            code="illegal_transition",
            current=current,
            target=target,
        )
    now = clock.now()
    order.status = target
    order.version += 1
    session.add(
        OrderTransition(
            order_id=order.id,
            from_status=str(current),
            to_status=str(target),
            at=now,
            actor_id=actor.user_id if actor is not None else None,
            reason=reason,
            detail=detail or {},
        )
    )
    payload = _event_payload(order, reason=reason, **(detail or {}), **(topic_extra or {}))
    await emit(session, topic or f"orders.{target}", payload)


# ---------------------------------------------------------------- cart


async def _cart(session: AsyncSession, customer_id: uuid.UUID) -> Cart:
    await session.execute(
        insert(Cart)
        .values(id=new_id(), customer_id=customer_id, updated_at=clock.now())
        .on_conflict_do_nothing()
    )
    cart = (
        await session.scalars(select(Cart).where(Cart.customer_id == customer_id).with_for_update())
    ).one()
    return cart


async def add_to_cart(
    session: AsyncSession,
    actor: Actor,
    pharmacy_id: uuid.UUID,
    medicine_id: str,
    quantity: int,
    *,
    replace_pharmacy: bool = False,
) -> Cart:
    """Add units of a product from one pharmacy; a cart holds one pharmacy's products only."""
    if actor.user_id is None:
        raise PermissionDenied("sign in to use a cart")
    if not 1 <= quantity <= MAX_UNITS_PER_LINE:
        raise InvalidInput(
            "quantity must be between 1 and {max_units_per_line}",
            code="bad_quantity",
            max_units_per_line=MAX_UNITS_PER_LINE,
        )
    line = await pharmacies.stock_line(session, pharmacy_id, medicine_id)
    if line is None:
        raise InvalidInput("this pharmacy does not sell that product", code="not_sold_here")
    cart = await _cart(session, actor.user_id)
    if cart.pharmacy_id is not None and cart.pharmacy_id != pharmacy_id:
        if not replace_pharmacy:
            raise Conflict(
                "your cart holds another pharmacy's products; empty it first", code="cart_other_pharmacy"
            )
        await session.execute(delete(CartItem).where(CartItem.cart_id == cart.id))
    cart.pharmacy_id = pharmacy_id
    cart.updated_at = clock.now()
    existing = await session.get(CartItem, (cart.id, medicine_id))
    if existing is None:
        count = len(
            (await session.scalars(select(CartItem.medicine_id).where(CartItem.cart_id == cart.id))).all()
        )
        if count >= MAX_LINES:
            raise InvalidInput(
                "a cart holds at most {max_lines} products", code="cart_full", max_lines=MAX_LINES
            )
        session.add(CartItem(cart_id=cart.id, medicine_id=medicine_id, quantity=quantity))
    else:
        if existing.quantity + quantity > MAX_UNITS_PER_LINE:
            raise InvalidInput(
                "at most {max_units_per_line} units per product",
                code="bad_quantity",
                max_units_per_line=MAX_UNITS_PER_LINE,
            )
        existing.quantity += quantity
    await session.flush()
    return cart


async def remove_from_cart(session: AsyncSession, actor: Actor, medicine_id: str) -> None:
    """Remove a product line from the customer's cart."""
    if actor.user_id is None:
        raise PermissionDenied("sign in to use a cart")
    cart = await _cart(session, actor.user_id)
    await session.execute(
        delete(CartItem).where(CartItem.cart_id == cart.id, CartItem.medicine_id == medicine_id)
    )
    remaining = await session.scalar(select(CartItem.medicine_id).where(CartItem.cart_id == cart.id).limit(1))
    if remaining is None:
        cart.pharmacy_id = None


async def clear_cart(session: AsyncSession, actor: Actor) -> None:
    """Empty the customer's cart."""
    if actor.user_id is None:
        return
    cart = await _cart(session, actor.user_id)
    await session.execute(delete(CartItem).where(CartItem.cart_id == cart.id))
    cart.pharmacy_id = None


# ---------------------------------------------------------------- quote and checkout


@dataclass(frozen=True, slots=True)
class Quote:
    """What the customer sees before paying: lines, total and an honest delivery estimate."""

    pharmacy_id: uuid.UUID
    lines: list[dict[str, Any]]
    subtotal: int
    delivery_fee: int
    total: int
    currency: str
    estimate: Estimate
    fulfilment: Fulfilment

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "pharmacy_id": str(self.pharmacy_id),
            "lines": self.lines,
            "subtotal": self.subtotal,
            "delivery_fee": self.delivery_fee,
            "total": self.total,
            "currency": self.currency,
            "fulfilment": str(self.fulfilment),
            "eta_minutes": self.estimate.eta_minutes,
            "promise_minutes": self.estimate.promise_minutes,
            "keeps_promise": self.estimate.keeps_promise,
        }


def _fulfilment() -> Fulfilment:
    """Pick-up where the jurisdiction profile hands medicines over at the pharmacy, else delivery."""
    return Fulfilment.PICKUP if prescriptions.active_profile().pickup_only else Fulfilment.DELIVERY


def current_promise(timezone: str | None = None) -> int:
    """The promised minutes right now (day or night) in the given or configured time zone."""
    s = get_settings()
    return promise_minutes(
        clock.now(),
        timezone or s.timezone,
        day_start_hour=s.day_start_hour,
        night_start_hour=s.night_start_hour,
        day_minutes=s.promise_day_minutes,
        night_minutes=s.promise_night_minutes,
    )


async def quote(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    items: Sequence[tuple[str, int]],
    lat: float,
    lng: float,
    *,
    held_for: str | None = None,
    prescribed: Mapping[str, int] | None = None,
) -> Quote:
    """Check that a pharmacy can sell these items to this point now, and price and time them.

    Refuses (4xx) bad quantities, unknown products, products the pharmacy does not sell, a
    pharmacy that is closed or not approved, and an address outside its area. A prescription-only
    product passes only when ``prescribed`` (medicine id -> prescribed units, from the patient's
    valid prescriptions) covers it, and never above the prescribed quantity.
    """
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
        raise InvalidInput("coordinates out of range", code="bad_coordinates")
    merged: dict[str, int] = {}
    for medicine_id, quantity in items:
        if not isinstance(quantity, int) or quantity <= 0:
            raise InvalidInput("quantities must be positive whole numbers", code="bad_quantity")
        merged[medicine_id] = merged.get(medicine_id, 0) + quantity
    if not merged:
        raise InvalidInput("the cart is empty", code="empty_cart")
    if len(merged) > MAX_LINES or any(q > MAX_UNITS_PER_LINE for q in merged.values()):
        raise InvalidInput(
            "at most {max_lines} products and {max_units_per_line} units each",
            code="bad_quantity",
            max_lines=MAX_LINES,
            max_units_per_line=MAX_UNITS_PER_LINE,
        )
    facts = product_info(merged)
    unknown = sorted(set(merged) - set(facts))
    if unknown:
        raise InvalidInput(
            "unknown product {medicine_id!r}",
            code="unknown_product",
            details={"unknown": unknown},
            medicine_id=unknown[0],
        )
    for medicine_id, quantity in merged.items():
        info = facts[medicine_id]
        if info.rx_class == "rx":
            allowed = (prescribed or {}).get(medicine_id)
            if allowed is None:
                raise PermissionDenied(
                    "{name} needs a prescription", code="prescription_required", name=info.name
                )
            if quantity > allowed:
                raise InvalidInput(
                    "the prescription allows {allowed} of {name}, not {quantity}",
                    code="above_prescribed_quantity",
                    details={"medicine_id": medicine_id, "prescribed": allowed, "asked": quantity},
                    allowed=allowed,
                    name=info.name,
                    quantity=quantity,
                )
        if info.max_per_order is not None and quantity > info.max_per_order:
            raise InvalidInput(
                "at most {max_per_order} of {name} per order",
                code="quantity_limit",
                max_per_order=info.max_per_order,
                name=info.name,
            )
    pharmacy, stock_lines = await pharmacies.pharmacy_with_stock(session, pharmacy_id, merged)
    if pharmacy.status != pharmacies.PharmacyStatus.APPROVED:
        raise Conflict("this pharmacy is not taking orders", code="pharmacy_unavailable")
    if not await pharmacies.is_open(session, pharmacy):
        raise Conflict("this pharmacy is closed now", code="pharmacy_closed")
    fulfilment = _fulfilment()
    area = (pharmacy.service_radius_m, pharmacy.service_cells or ())
    if fulfilment == Fulfilment.DELIVERY and not pharmacies.covers(
        pharmacy.lat, pharmacy.lng, *area, lat, lng
    ):
        raise InvalidInput("this address is outside the pharmacy's delivery area", code="outside_area")
    if any(facts[m].rx_class == "otc_a" for m in merged) and not pharmacy.pharmacist_on_duty:
        raise Conflict("class-A OTC medicines need a pharmacist on duty; none is now", code="no_pharmacist")
    lines: list[dict[str, Any]] = []
    subtotal = 0
    for medicine_id in sorted(merged):
        stock = stock_lines.get(medicine_id)
        if stock is None:
            raise InvalidInput(
                "this pharmacy does not sell {medicine_id}", code="not_sold_here", medicine_id=medicine_id
            )
        held = await pharmacies.held_units(session, f"consult:{held_for}", medicine_id) if held_for else 0
        if stock.quantity - stock.reserved + held < merged[medicine_id]:
            raise Conflict("not enough {medicine_id} in stock", code="out_of_stock", medicine_id=medicine_id)
        line_total = stock.price * merged[medicine_id]
        subtotal += line_total
        lines.append(
            {
                "medicine_id": medicine_id,
                "name": facts[medicine_id].name,
                "quantity": merged[medicine_id],
                "unit_price": stock.price,
                "line_total": line_total,
            }
        )
    courier = await courier_minutes(session, pharmacy.lat, pharmacy.lng)
    est = estimate(
        pharmacy_lat=pharmacy.lat,
        pharmacy_lng=pharmacy.lng,
        lat=lat,
        lng=lng,
        picking_minutes=pharmacy.picking_minutes,
        courier_minutes=courier,
        promise=current_promise(pharmacy.timezone),
        pickup=fulfilment == Fulfilment.PICKUP,
    )
    fee = 0 if fulfilment == Fulfilment.PICKUP else 500
    return Quote(pharmacy.id, lines, subtotal, fee, subtotal + fee, pharmacy.currency, est, fulfilment)


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    """The placed order, where to pay, and the safety verdict."""

    order: Order
    payment: Payment
    quote: Quote
    safety: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form returned by the API (and replayed for idempotent retries)."""
        return {
            "order_id": str(self.order.id),
            "status": self.order.status,
            "payment_id": str(self.payment.id),
            "pay_url": self.payment.pay_url,
            "reservation_expires_at": self.order.reservation_expires_at.isoformat(),
            "safety": self.safety,
            **self.quote.to_dict(),
        }


async def checkout(
    session: AsyncSession,
    actor: Actor,
    *,
    pharmacy_id: uuid.UUID,
    items: Sequence[tuple[str, int]],
    lat: float,
    lng: float,
    address: str = "",
    confirm_warnings: bool = False,
    patient: dict[str, Any] | None = None,
    symptoms: str | None = None,
    provider: str = "sandbox",
    consultation_hold: str | None = None,
    profile_id: uuid.UUID | None = None,
) -> CheckoutResult:
    """Place an order: check it, ask the safety engine, reserve the stock, open the payment.

    The safety engine's ``block`` and ``emergency`` refuse the order; ``warn`` needs
    ``confirm_warnings``. Nothing is stored when any step refuses. ``consultation_hold`` turns
    the units held for that consultation into this order's hold, in the same transaction.
    Prescription-only lines need ``profile_id`` (a patient profile of the caller's own account)
    and an approved, unexpired, unused prescription of that profile covering them; its id is kept
    in ``order.safety["prescription_ids"]`` and it is marked used when the payment arrives.
    """
    if actor.user_id is None:
        raise PermissionDenied("sign in to order")
    prescribed, covering = await _prescriptions_for(session, actor, profile_id, items)
    if patient is None and profile_id is not None:
        # The medicine is for this family member: the safety check sees their age, pregnancy,
        # allergies, conditions and current medicines (an audited read of the profile).
        profile = await accounts.access_profile_by_id(session, actor, profile_id)
        patient = patient_from_profile(profile, clock.now().date())
    q = await quote(session, pharmacy_id, items, lat, lng, held_for=consultation_hold, prescribed=prescribed)
    refs = [
        {"medicine_id": medicine_id, "status": "approved", "valid_until": rx.valid_until.isoformat()}
        for medicine_id, rx in sorted(covering.items())
        if rx.valid_until is not None
    ]
    verdict = await run_safety_check(
        {
            "patient": patient or {},
            "items": [{"medicine_id": line["medicine_id"], "quantity": line["quantity"]} for line in q.lines],
            **({"symptoms": symptoms} if symptoms else {}),
            **({"prescriptions": refs} if refs else {}),
        }
    )
    safety = verdict.to_dict() if verdict is not None else {"level": "unchecked", "findings": []}
    if covering:
        safety["prescription_ids"] = sorted({str(rx.id) for rx in covering.values()})
        safety["profile_id"] = str(profile_id)
    if verdict is not None and verdict.level in ("block", "emergency"):
        code = "safety_emergency" if verdict.level == "emergency" else "safety_block"
        raise PermissionDenied("the safety check refuses this order", code=code, details=safety)
    if verdict is not None and verdict.level == "warn" and not confirm_warnings:
        raise Conflict(
            "please read and confirm the safety warnings", code="safety_confirmation_required", details=safety
        )
    now = clock.now()
    settings = get_settings()
    order = Order(
        id=new_id(),
        customer_id=actor.user_id,
        pharmacy_id=q.pharmacy_id,
        status=OrderStatus.PLACED,
        fulfilment=str(q.fulfilment),
        currency=q.currency,
        subtotal=q.subtotal,
        delivery_fee=q.delivery_fee,
        total=q.total,
        lat=lat,
        lng=lng,
        address=address[:300],
        promise_minutes=q.estimate.promise_minutes,
        eta_minutes=q.estimate.eta_minutes,
        handover_code=short_code(6),
        safety=safety,
        tried_pharmacy_ids=[str(q.pharmacy_id)],
        placed_at=now,
        reservation_expires_at=now + timedelta(minutes=settings.reservation_minutes),
    )
    order_items = [
        OrderItem(
            order_id=order.id,
            medicine_id=line["medicine_id"],
            name=line["name"],
            quantity=line["quantity"],
            unit_price=line["unit_price"],
        )
        for line in q.lines
    ]
    created = get_provider(provider).create(amount=q.total, currency=q.currency, order_id=str(order.id))
    payment = Payment(
        id=new_id(),
        order_id=order.id,
        provider=provider,
        provider_ref=created.provider_ref,
        pay_url=created.pay_url,
        amount=q.total,
        currency=q.currency,
        status=PaymentStatus.PENDING,
        created_at=now,
    )
    placed = OrderTransition(
        order_id=order.id, from_status=None, to_status="placed", at=now, actor_id=actor.user_id
    )
    # the order, its lines, payment and first transition go in with the event: one round trip
    await emit(
        session,
        "orders.placed",
        _event_payload(order, total=q.total),
        rows=[order, *order_items, payment, placed],
    )
    if consultation_hold:
        # released and re-held in one transaction: nobody else can take the units in between
        await pharmacies.release_reservations(session, f"consult:{consultation_hold}", actor=actor)
    # the stock row is locked from this UPDATE until commit, so it comes last: a hot product
    # (the last units of a best seller) is held for one round trip, not the whole checkout
    await pharmacies.reserve_stock(
        session,
        q.pharmacy_id,
        [pharmacies.StockLine(line["medicine_id"], line["quantity"]) for line in q.lines],
        ref=str(order.id),
        minutes=settings.reservation_minutes,
        actor=actor,
    )
    return CheckoutResult(order, payment, q, safety)


async def patient_quote(
    session: AsyncSession,
    actor: Actor,
    pharmacy_id: uuid.UUID,
    items: Sequence[tuple[str, int]],
    lat: float,
    lng: float,
    *,
    profile_id: uuid.UUID | None = None,
) -> Quote:
    """``quote`` for the caller's patient: rx lines pass when ``profile_id``'s prescriptions cover them."""
    prescribed, _ = await _prescriptions_for(session, actor, profile_id, items)
    return await quote(session, pharmacy_id, items, lat, lng, prescribed=prescribed)


async def _prescriptions_for(
    session: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID | None,
    items: Sequence[tuple[str, int]],
) -> tuple[dict[str, int], dict[str, prescriptions.Prescription]]:
    """For each prescription-only line: the prescribed units and the prescription covering it.

    Refuses (403 ``prescription_required``) a line no valid prescription of the profile covers,
    and (409 ``prescription_in_use``) one whose prescription waits in another unpaid order.
    """
    wanted = {medicine_id for medicine_id, _ in items}
    facts = product_info(wanted)
    rx_lines = sorted(m for m in wanted if m in facts and facts[m].rx_class == "rx")
    if not rx_lines:
        return {}, {}
    if profile_id is None:
        raise PermissionDenied(
            "{name} needs a prescription: say which patient it was prescribed for",
            code="prescription_required",
            name=facts[rx_lines[0]].name,
        )
    # only the profile's own account spends its prescriptions (others get NotFound, audited)
    await accounts.access_profile_by_id(session, actor, profile_id, action=AuditAction.UPDATE)
    now = clock.now()
    prescribed: dict[str, int] = {}
    covering: dict[str, prescriptions.Prescription] = {}
    for medicine_id in rx_lines:
        rx = await prescriptions.valid_prescription_for(session, profile_id, medicine_id, ordered_at=now)
        name = facts[medicine_id].name
        if rx is None:
            raise PermissionDenied(
                await _why_no_prescription(session, profile_id, medicine_id),
                code="prescription_required",
                details={"medicine_id": medicine_id},
                name=name,
            )
        waiting = await session.scalar(
            select(Order.id)
            .where(
                Order.status == OrderStatus.PLACED,
                Order.safety.contains({"prescription_ids": [str(rx.id)]}),
            )
            .limit(1)
        )
        if waiting is not None:
            raise Conflict(
                "the prescription for {name} is already in order {waiting} waiting for payment; "
                "pay or cancel that order first",
                code="prescription_in_use",
                details={"order_id": str(waiting)},
                name=name,
                waiting=waiting,
            )
        prescribed[medicine_id] = sum(
            int(item["quantity"]) for item in rx.items if item["medicine_id"] == medicine_id
        )
        covering[medicine_id] = rx
    return prescribed, covering


async def _why_no_prescription(session: AsyncSession, profile_id: uuid.UUID, medicine_id: str) -> str:
    """The refusal's template (a ``{name}`` field) for the state of the patient's prescriptions."""
    statuses = {
        ref["status"]
        for ref in await prescriptions.prescription_refs_for(session, profile_id)
        if ref["medicine_id"] == medicine_id
    }
    if "signed" in statuses:
        return N_(
            "{name} needs a prescription: this patient's prescription still waits for a pharmacist's review"
        )
    if "expired" in statuses:
        return N_("{name} needs a prescription: this patient's prescription for it has expired")
    return N_(
        "{name} needs a prescription: this patient has no approved, unexpired and unused prescription for it"
    )


async def _use_prescriptions(session: AsyncSession, order: Order) -> bool:
    """Mark the order's prescriptions used (in a savepoint); False when one can no longer be used."""
    ids = [uuid.UUID(i) for i in order.safety.get("prescription_ids", [])]
    try:
        async with session.begin_nested():
            for prescription_id in ids:
                await prescriptions.mark_used(session, prescription_id, ref=str(order.id))
    except (Conflict, NotFound):
        return False
    return True


async def _release_prescriptions(session: AsyncSession, order: Order) -> None:
    """Give back the prescriptions a paid order spent, when it is cancelled before pickup."""
    for prescription_id in order.safety.get("prescription_ids", []):
        await prescriptions.release_use(session, uuid.UUID(prescription_id), ref=str(order.id))


# ---------------------------------------------------------------- payment


async def handle_payment_webhook(
    session: AsyncSession, provider_name: str, body: bytes, signature: str
) -> str:
    """Apply one signed provider event exactly once; returns what happened (for the log and tests).

    A bad signature is refused; a replayed event id is ignored; a late ``failed`` after a success
    is ignored; a success for an order that was meanwhile cancelled is refunded at once.
    """
    provider = get_provider(provider_name)
    if not provider.verify(body, signature):
        raise PermissionDenied("bad webhook signature", code="bad_signature")
    try:
        event = json.loads(body)
        event_id, kind, ref, amount = (
            str(event["id"]),
            str(event["type"]),
            str(event["payment_ref"]),
            event["amount"],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("malformed webhook body", code="bad_webhook") from exc
    found = await session.scalar(
        select(Payment.order_id).where(Payment.provider == provider_name, Payment.provider_ref == ref)
    )
    if found is None:
        raise NotFound("no such payment", code="payment_not_found")
    # lock the order, then its payment: the order every other path uses (no deadlock with a cancel)
    order = await _locked_order(session, found)
    payment = await _payment_of(session, order.id)
    fresh = await session.scalar(
        insert(PaymentWebhook)
        .values(
            provider=provider_name,
            event_id=event_id,
            kind=kind,
            payment_ref=ref,
            outcome="pending",
            received_at=clock.now(),
        )
        .on_conflict_do_nothing()
        .returning(PaymentWebhook.event_id)
    )
    if fresh is None:
        return "duplicate"
    outcome = await _apply_payment_event(session, order, payment, kind, amount)
    row = await session.get(PaymentWebhook, (provider_name, event_id))
    assert row is not None
    row.outcome = outcome
    return outcome


async def _apply_payment_event(
    session: AsyncSession, order: Order, payment: Payment, kind: str, amount: Any
) -> str:
    if kind == "payment.failed":
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.FAILED
            return "failed"
        return "ignored"
    if kind != "payment.succeeded":
        return "ignored"
    if amount != payment.amount:
        raise InvalidInput("webhook amount differs from the payment", code="amount_mismatch")
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
        return "ignored"
    payment.status = PaymentStatus.SUCCEEDED
    payment.succeeded_at = clock.now()
    if order.status != OrderStatus.PLACED:
        # paid after the order was cancelled (reservation expired, customer gave up): give it back
        await _refund(session, order, payment, None, "payment arrived after the order was cancelled")
        if order.status == OrderStatus.CANCELLED:
            await _move(session, order, OrderStatus.REFUNDED, None, reason="late payment refunded")
        return "refunded_late"
    ref = str(order.id)
    try:
        await pharmacies.commit_reservations(session, ref)
    except Conflict:
        # the hold expired just before the money came: try to take the units again
        lines = [pharmacies.StockLine(i.medicine_id, i.quantity) for i in await _items(session, order.id)]
        try:
            await pharmacies.reserve_stock(session, order.pharmacy_id, lines, ref=ref, minutes=1)
            await pharmacies.commit_reservations(session, ref)
        except Conflict:
            await _move(session, order, OrderStatus.CANCELLED, None, reason="stock gone before payment")
            await _refund(session, order, payment, None, "stock gone before payment")
            await _move(session, order, OrderStatus.REFUNDED, None, reason="stock gone before payment")
            return "refunded_no_stock"
    # after the stock rows (the order every path takes): exactly one order spends a prescription
    if order.safety.get("prescription_ids") and not await _use_prescriptions(session, order):
        reason = PRESCRIPTION_ALREADY_USED
        lines = [pharmacies.StockLine(i.medicine_id, i.quantity) for i in await _items(session, order.id)]
        await pharmacies.return_stock(session, order.pharmacy_id, lines, ref=ref)
        order.cancel_reason = reason
        await _move(session, order, OrderStatus.CANCELLED, None, reason=reason)
        await _refund(session, order, payment, None, reason)
        await _move(session, order, OrderStatus.REFUNDED, None, reason=reason)
        return "refunded_prescription_used"
    now = clock.now()
    order.paid_at = now
    order.offered_at = now
    order.promised_by = now + timedelta(minutes=order.promise_minutes)
    await _move(session, order, OrderStatus.PAID, None, detail={"payment_id": str(payment.id)})
    return "paid"


async def _refund(
    session: AsyncSession, order: Order, payment: Payment, actor: Actor | None, reason: str
) -> bool:
    """Refund a succeeded payment once; False when there is nothing (more) to refund."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return False
    refund_ref = get_provider(payment.provider).refund(
        provider_ref=payment.provider_ref, amount=payment.amount
    )
    payment.status = PaymentStatus.REFUNDED
    payment.refunded_amount = payment.amount
    session.add(
        Refund(
            payment_id=payment.id,
            amount=payment.amount,
            provider_ref=refund_ref,
            reason=reason,
            actor_id=actor.user_id if actor else None,
            at=clock.now(),
        )
    )
    await emit(session, "orders.refund_issued", {"order_id": str(order.id), "amount": payment.amount})
    return True


async def _payment_of(session: AsyncSession, order_id: uuid.UUID) -> Payment:
    payment = (
        await session.scalars(select(Payment).where(Payment.order_id == order_id).with_for_update())
    ).first()
    if payment is None:
        raise NotFound("the order has no payment", code="payment_not_found")
    return payment


# ---------------------------------------------------------------- the pharmacy's steps


async def accept_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """The pharmacy takes a paid order; its acceptance time is recorded."""
    order = await _locked_order(session, order_id)
    _staff_of(actor, order.pharmacy_id)
    if order.status != OrderStatus.PAID:
        raise Conflict(
            "an order that is {status} cannot be accepted", code="illegal_transition", status=order.status
        )
    now = clock.now()
    seconds = (now - (order.offered_at or now)).total_seconds()
    order.accepted_at = now
    await pharmacies.record_order_response(session, order.pharmacy_id, accepted=True, seconds=seconds)
    await _move(session, order, OrderStatus.ACCEPTED, actor, detail={"accept_seconds": round(seconds, 1)})
    return order


async def reject_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID, reason: str) -> Order:
    """The pharmacy declines a paid order; it moves to the next pharmacy that can keep the promise."""
    if reason not in REJECT_REASONS:
        raise InvalidInput(
            "reason must be one of {reasons}", code="bad_reason", reasons=", ".join(REJECT_REASONS)
        )
    order = await _locked_order(session, order_id)
    _staff_of(actor, order.pharmacy_id)
    if order.status != OrderStatus.PAID:
        raise Conflict(
            "an order that is {status} cannot be rejected", code="illegal_transition", status=order.status
        )
    await pharmacies.record_order_response(session, order.pharmacy_id, accepted=False)
    await _reroute(session, order, actor, reason)
    return order


async def _reroute(session: AsyncSession, order: Order, actor: Actor | None, reason: str) -> bool:
    """Move a paid order to the best other pharmacy that keeps the promise; else cancel and refund."""
    items = await _items(session, order.id)
    lines = [pharmacies.StockLine(i.medicine_id, i.quantity) for i in items]
    old = order.pharmacy_id
    if reason != "out_of_stock":  # units a pharmacy says it lacks are not put back on its shelf
        await pharmacies.return_stock(session, old, lines, ref=str(order.id), actor=actor)
    now = clock.now()
    minutes_left = ((order.promised_by or now) - now).total_seconds() / 60
    tried = [uuid.UUID(p) for p in order.tried_pharmacy_ids]
    within = PICKUP_RADIUS_M if order.fulfilment == Fulfilment.PICKUP else None
    offers = await pharmacies.offers_near(
        session, [i.medicine_id for i in items], order.lat, order.lng, exclude=tried, within_m=within
    )
    candidates: dict[uuid.UUID, list[pharmacies.Offer]] = {}
    for item in items:
        for offer in offers.get(item.medicine_id, []):
            if offer.available >= item.quantity:
                candidates.setdefault(offer.pharmacy_id, []).append(offer)
    ranked: list[tuple[int, int, uuid.UUID]] = []
    for pharmacy_id, pharmacy_offers in candidates.items():
        if len(pharmacy_offers) != len(items):
            continue  # one pharmacy must have every line
        first = pharmacy_offers[0]
        courier = await courier_minutes(session, first.lat, first.lng)
        est = estimate(
            pharmacy_lat=first.lat,
            pharmacy_lng=first.lng,
            lat=order.lat,
            lng=order.lng,
            picking_minutes=first.picking_minutes,
            courier_minutes=courier,
            promise=order.promise_minutes,
            pickup=order.fulfilment == Fulfilment.PICKUP,
        )
        if est.eta_minutes <= minutes_left:
            ranked.append((est.eta_minutes, sum(o.price for o in pharmacy_offers), pharmacy_id))
    for eta, _price, pharmacy_id in sorted(ranked, key=lambda r: (r[0], r[1], str(r[2]))):
        try:
            await pharmacies.reserve_stock(
                session, pharmacy_id, lines, ref=str(order.id), minutes=1, actor=actor
            )
        except Conflict:
            continue
        await pharmacies.commit_reservations(session, str(order.id), actor=actor)
        order.pharmacy_id = pharmacy_id
        order.tried_pharmacy_ids = [*order.tried_pharmacy_ids, str(pharmacy_id)]
        order.reroutes += 1
        order.offered_at = now
        order.eta_minutes = eta
        await _move(
            session,
            order,
            OrderStatus.PAID,
            actor,
            reason=reason,
            detail={"from_pharmacy_id": str(old), "to_pharmacy_id": str(pharmacy_id)},
            topic="orders.rerouted",
        )
        return True
    payment = await _payment_of(session, order.id)
    why = f"{NO_PHARMACY_CAN_KEEP_THE_PROMISE} ({reason})"
    await _move(session, order, OrderStatus.CANCELLED, actor, reason=why)
    order.cancel_reason = NO_PHARMACY_CAN_KEEP_THE_PROMISE
    await _release_prescriptions(session, order)
    await _refund(session, order, payment, actor, why)
    await _move(session, order, OrderStatus.REFUNDED, actor, reason="refund issued")
    return False


async def start_picking(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """The pharmacy starts picking an accepted order."""
    order = await _locked_order(session, order_id)
    _staff_of(actor, order.pharmacy_id)
    await _move(session, order, OrderStatus.PICKING, actor)
    return order


async def mark_picked(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID, medicine_id: str, picked: bool
) -> None:
    """Tick (or untick) one line of the picking checklist."""
    order = await _locked_order(session, order_id)
    _staff_of(actor, order.pharmacy_id)
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.PICKING):
        raise Conflict("only an order being picked has a checklist", code="illegal_transition")
    item = await session.get(OrderItem, (order_id, medicine_id))
    if item is None:
        raise NotFound("no such line in this order", code="line_not_found")
    item.picked = picked


async def mark_ready(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """Every line is picked: the order waits for the courier (or the customer at the counter)."""
    order = await _locked_order(session, order_id)
    _staff_of(actor, order.pharmacy_id)
    unpicked = [i.medicine_id for i in await _items(session, order.id) if not i.picked]
    if order.status == OrderStatus.PICKING and unpicked:
        raise Conflict(
            "{count} line(s) not picked yet",
            code="not_picked",
            details={"unpicked": unpicked},
            count=len(unpicked),
        )
    order.ready_at = clock.now()
    pharmacy = await pharmacies.get_pharmacy(session, order.pharmacy_id)
    await _move(
        session,
        order,
        OrderStatus.READY,
        actor,
        detail={"pharmacy_lat": pharmacy.lat, "pharmacy_lng": pharmacy.lng},
        topic_extra={"handover_code": order.handover_code},
    )
    return order


async def courier_assigned(session: AsyncSession, order_id: uuid.UUID, courier_id: uuid.UUID) -> Order:
    """Dispatch has given the order to a courier (called by the ``dispatch.*`` event subscriber)."""
    order = await _locked_order(session, order_id)
    if order.status == OrderStatus.COURIER_ASSIGNED and order.courier_id == courier_id:
        return order
    if order.status not in (OrderStatus.READY, OrderStatus.COURIER_ASSIGNED):
        raise Conflict(
            "an order that is {status} cannot get a courier", code="illegal_transition", status=order.status
        )
    order.courier_id = courier_id
    await _move(session, order, OrderStatus.COURIER_ASSIGNED, None, detail={"courier_id": str(courier_id)})
    return order


async def courier_picked_up(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """The assigned courier has the parcel."""
    order = await _locked_order(session, order_id)
    if not actor.is_system and not actor.has("operator") and actor.user_id != order.courier_id:
        raise PermissionDenied("only the assigned courier may do this")
    order.picked_up_at = clock.now()
    await _move(session, order, OrderStatus.PICKED_UP, actor)
    return order


async def confirm_handover(
    session: AsyncSession,
    actor: Actor,
    order_id: uuid.UUID,
    code: str,
    *,
    lat: float | None,
    lng: float | None,
) -> bool:
    """The courier (or the counter) enters the customer's code: True and delivered, time and place kept.

    A wrong code returns False and counts the attempt (committed with the caller's transaction,
    so it is not rolled back); after five wrong codes the order refuses further tries.
    """
    order = await _locked_order(session, order_id)
    if order.fulfilment == Fulfilment.PICKUP:
        _staff_of(actor, order.pharmacy_id)
    elif not actor.is_system and not actor.has("operator") and actor.user_id != order.courier_id:
        raise PermissionDenied("only the assigned courier may do this")
    if order.handover_attempts >= MAX_HANDOVER_ATTEMPTS:
        raise RateLimited("too many wrong codes; call the customer", code="handover_locked")
    if code.strip() != order.handover_code:
        order.handover_attempts += 1
        return False
    now = clock.now()
    order.delivered_at = now
    order.delivered_lat, order.delivered_lng = lat, lng
    distance = (
        round(haversine_m(lat, lng, order.lat, order.lng)) if lat is not None and lng is not None else None
    )
    await _move(session, order, OrderStatus.DELIVERED, actor, detail={"distance_to_address_m": distance})
    return True


def _distance_to_address(order: Order, lat: float | None, lng: float | None) -> int | None:
    if lat is None or lng is None:
        return None
    return round(haversine_m(lat, lng, order.lat, order.lng))


async def courier_delivered(
    session: AsyncSession, order_id: uuid.UUID, *, lat: float | None, lng: float | None
) -> Order:
    """Dispatch checked the handover code at the door (called by the ``dispatch.delivered`` subscriber)."""
    order = await _locked_order(session, order_id)
    if order.status == OrderStatus.DELIVERED:
        return order
    if order.status == OrderStatus.COURIER_ASSIGNED:
        order.picked_up_at = clock.now()
        await _move(session, order, OrderStatus.PICKED_UP, None, reason="reported with the delivery")
    now = clock.now()
    order.delivered_at = now
    order.delivered_lat, order.delivered_lng = lat, lng
    distance = (
        round(haversine_m(lat, lng, order.lat, order.lng)) if lat is not None and lng is not None else None
    )
    await _move(
        session,
        order,
        OrderStatus.DELIVERED,
        None,
        detail={"distance_to_address_m": distance, "by": "dispatch"},
    )
    return order


# ---------------------------------------------------------------- cancellation and refunds


async def cancel_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID, reason: str) -> Order:
    """Cancel an order not yet picked up; a paid one is refunded and its stock returned."""
    order = await _locked_order(session, order_id)
    is_customer = actor.user_id is not None and actor.user_id == order.customer_id
    if is_customer and order.status not in (OrderStatus.PLACED, OrderStatus.PAID):
        raise Conflict("the pharmacy has started on this order; ask support to cancel", code="too_late")
    if not is_customer:
        _staff_of(actor, order.pharmacy_id)
    previous = OrderStatus(order.status)
    await _move(session, order, OrderStatus.CANCELLED, actor, reason=reason or CANCELLED)
    order.cancel_reason = reason or CANCELLED
    if previous == OrderStatus.PLACED:
        await pharmacies.release_reservations(session, str(order.id), actor=actor)
        return order
    lines = [pharmacies.StockLine(i.medicine_id, i.quantity) for i in await _items(session, order.id)]
    await pharmacies.return_stock(session, order.pharmacy_id, lines, ref=str(order.id), actor=actor)
    await _release_prescriptions(session, order)
    payment = await _payment_of(session, order.id)
    if await _refund(session, order, payment, actor, order.cancel_reason):
        await _move(session, order, OrderStatus.REFUNDED, actor, reason="refund issued")
    return order


async def refund_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID, reason: str) -> Order:
    """An operator refunds a delivered or cancelled order (never twice)."""
    if not (actor.has("operator") or actor.is_system):
        raise PermissionDenied("only an operator may refund")
    order = await _locked_order(session, order_id)
    payment = await _payment_of(session, order.id)
    if payment.status == PaymentStatus.REFUNDED:
        raise Conflict("this order was already refunded", code="already_refunded")
    if not can_move(order.status, OrderStatus.REFUNDED):
        raise Conflict(
            "an order that is {status} cannot be refunded", code="illegal_transition", status=order.status
        )
    if not await _refund(session, order, payment, actor, reason):
        raise Conflict("nothing was paid", code="not_paid")
    await _move(session, order, OrderStatus.REFUNDED, actor, reason=reason)
    return order


# ---------------------------------------------------------------- timers


async def expire_unpaid(session: AsyncSession, *, limit: int = 200) -> int:
    """Cancel placed orders whose reservation ran out, and give the units back."""
    now = clock.now()
    ids = (
        await session.scalars(
            select(Order.id)
            .where(Order.status == OrderStatus.PLACED, Order.reservation_expires_at <= now)
            .order_by(Order.reservation_expires_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for order_id in ids:
        order = await _locked_order(session, order_id)
        await pharmacies.release_reservations(session, str(order.id))
        order.cancel_reason = NOT_PAID_IN_TIME
        await _move(session, order, OrderStatus.CANCELLED, None, reason=NOT_PAID_IN_TIME)
    return len(ids)


async def expire_unaccepted(session: AsyncSession, *, limit: int = 100) -> int:
    """Re-route paid orders their pharmacy did not accept within ``pharmacy_accept_minutes``."""
    deadline = clock.now() - timedelta(minutes=get_settings().pharmacy_accept_minutes)
    ids = (
        await session.scalars(
            select(Order.id)
            .where(Order.status == OrderStatus.PAID, Order.offered_at <= deadline)
            .order_by(Order.offered_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for order_id in ids:
        order = await _locked_order(session, order_id)
        await pharmacies.record_order_response(session, order.pharmacy_id, accepted=None)
        await _reroute(session, order, None, "acceptance_timeout")
    return len(ids)
