"""JSON API of orders: offers, cart, quote, checkout, the order's steps, sandbox payments, live updates.

Every state-changing call accepts an ``Idempotency-Key`` header: a retry with the same key and
body returns the first result (header ``Idempotent-Replayed: true``); another body gives 409.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import orders
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.errors import InvalidInput, NotFound
from medrush.web.deps import require_actor, require_roles

__all__ = ["idempotent", "router"]

router = APIRouter(prefix="/api/v1", tags=["orders"])
SSE_SECONDS = 600
SSE_POLL_SECONDS = 1.0
FINAL_STATUSES = frozenset({"delivered", "cancelled", "refunded"})


class LineIn(BaseModel):
    """A product and a number of units."""

    medicine_id: str = Field(min_length=1, max_length=80)
    quantity: int = Field(ge=1, le=20)


class CartItemIn(BaseModel):
    """Add a product of one pharmacy to the cart."""

    pharmacy_id: uuid.UUID
    medicine_id: str = Field(min_length=1, max_length=80)
    quantity: int = Field(1, ge=1, le=20)
    replace_pharmacy: bool = False


class QuoteIn(BaseModel):
    """Price and time a cart at one pharmacy for a delivery point."""

    pharmacy_id: uuid.UUID
    items: list[LineIn] = Field(min_length=1, max_length=30)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class CheckoutIn(BaseModel):
    """Place an order; without ``items`` the cart is ordered."""

    pharmacy_id: uuid.UUID | None = None
    items: list[LineIn] | None = Field(None, max_length=30)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    address: str = Field("", max_length=300)
    confirm_warnings: bool = False
    patient: dict[str, Any] | None = None
    symptoms: str | None = Field(None, max_length=2000)
    consultation_hold: str | None = Field(
        None, max_length=80, description="turn this consultation's hold into the order"
    )
    profile_id: uuid.UUID | None = Field(
        None, description="the patient (a profile of the caller's account) whose prescriptions cover rx items"
    )


class ReasonIn(BaseModel):
    """Why."""

    reason: str = Field(min_length=1, max_length=200)


class PickedIn(BaseModel):
    """Tick or untick a checklist line."""

    picked: bool = True


class HandoverIn(BaseModel):
    """The code the customer shows at the door, and where the courier is."""

    code: str = Field(min_length=1, max_length=12)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


async def idempotent(
    request: Request,
    session: AsyncSession,
    actor: Actor,
    body: Any,
    produce: Callable[[], Awaitable[tuple[int, dict[str, Any]]]],
) -> JSONResponse:
    """Run ``produce`` under the request's Idempotency-Key (if any) and answer with its JSON."""
    key = request.headers.get("idempotency-key")
    scope = f"{actor.user_id}:{request.method}:{request.url.path}"
    result = await orders.run_idempotent(session, scope=scope[:120], key=key, body=body, produce=produce)
    headers = {"Idempotent-Replayed": "true"} if result.replayed else {}
    return JSONResponse(result.body, status_code=result.status_code, headers=headers)


@router.get("/offers")
async def offers(
    ids: str = Query(..., min_length=1, max_length=2000, description="comma-separated medicine ids"),
    lat: float = Query(..., ge=-90, le=90),
    lng: float = Query(..., ge=-180, le=180),
) -> dict[str, list[dict[str, Any]]]:
    """Offers for products at a point: open pharmacies that can keep the promise, fastest first."""
    wanted = [i.strip() for i in ids.split(",") if i.strip()][:50]
    async with db.session_scope() as session:
        return await orders.search_offers(session, wanted, lat, lng)


@router.get("/cart")
async def cart(actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """The caller's cart."""
    async with db.session_scope() as session:
        return await orders.cart_view(session, actor)


@router.post("/cart/items")
async def add_to_cart(
    data: CartItemIn, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """Add a product; a cart holds one pharmacy's products (409 unless ``replace_pharmacy``)."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            await orders.add_to_cart(
                session,
                actor,
                data.pharmacy_id,
                data.medicine_id,
                data.quantity,
                replace_pharmacy=data.replace_pharmacy,
            )
            return 200, await orders.cart_view(session, actor)

        return await idempotent(request, session, actor, data.model_dump(mode="json"), produce)


@router.delete("/cart/items/{medicine_id}")
async def remove_from_cart(medicine_id: str, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """Remove a product line."""
    async with db.session_scope() as session:
        await orders.remove_from_cart(session, actor, medicine_id)
        return await orders.cart_view(session, actor)


@router.delete("/cart")
async def clear_cart(actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """Empty the cart."""
    async with db.session_scope() as session:
        await orders.clear_cart(session, actor)
        return await orders.cart_view(session, actor)


@router.post("/cart/quote")
async def quote(data: QuoteIn) -> dict[str, Any]:
    """Lines, total and an honest ETA before paying (whether the promise can be kept)."""
    async with db.session_scope() as session:
        q = await orders.quote(
            session, data.pharmacy_id, [(i.medicine_id, i.quantity) for i in data.items], data.lat, data.lng
        )
        return q.to_dict()


async def _checkout_lines(
    session: AsyncSession, actor: Actor, data: CheckoutIn
) -> tuple[uuid.UUID, list[Any]]:
    if data.items is not None:
        if data.pharmacy_id is None:
            raise InvalidInput("pharmacy_id is required with items", code="missing_pharmacy")
        return data.pharmacy_id, [(i.medicine_id, i.quantity) for i in data.items]
    view = await orders.cart_view(session, actor)
    if not view["lines"]:
        raise InvalidInput("the cart is empty", code="empty_cart")
    return uuid.UUID(view["pharmacy_id"]), [(line["medicine_id"], line["quantity"]) for line in view["lines"]]


@router.post("/orders", status_code=201)
async def checkout(data: CheckoutIn, request: Request, actor: Actor = Depends(require_actor)) -> JSONResponse:
    """Place an order: safety check, stock reserved for ``reservation_minutes``, payment opened."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            pharmacy_id, lines = await _checkout_lines(session, actor, data)
            result = await orders.checkout(
                session,
                actor,
                pharmacy_id=pharmacy_id,
                items=lines,
                lat=data.lat,
                lng=data.lng,
                address=data.address,
                confirm_warnings=data.confirm_warnings,
                patient=data.patient,
                symptoms=data.symptoms,
                consultation_hold=data.consultation_hold,
                profile_id=data.profile_id,
            )
            if data.items is None:
                await orders.clear_cart(session, actor)
            return 201, result.to_dict()

        return await idempotent(request, session, actor, data.model_dump(mode="json"), produce)


@router.get("/orders")
async def my_orders(
    limit: int = Query(20, ge=1, le=100),
    before: datetime | None = Query(None, description="only orders placed before this time (paging)"),
    actor: Actor = Depends(require_actor),
) -> list[dict[str, Any]]:
    """The signed-in customer's own orders, newest first, in short form."""
    async with db.session_scope() as session:
        return await orders.customer_orders(session, actor, limit=limit, before=before)


@router.get("/orders/{order_id}")
async def get_order(order_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """One order with its items, payment and history (the handover code for its customer only)."""
    async with db.session_scope() as session:
        order = await orders.access_order_by_id(session, actor, order_id)
        return await orders.order_view(session, actor, order)


@router.get("/orders/{order_id}/events")
async def order_events(order_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> StreamingResponse:
    """Server-sent events: the order's JSON each time it changes (for the tracking page)."""
    async with db.session_scope() as session:
        await orders.access_order_by_id(session, actor, order_id)

    async def stream() -> AsyncIterator[str]:
        version = -1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SSE_SECONDS
        while loop.time() < deadline:
            async with db.session_scope() as session:
                order = await orders.access_order_by_id(session, actor, order_id)
                if order.version != version:
                    version = order.version
                    view = await orders.order_view(session, actor, order)
                    yield f"event: order\ndata: {json.dumps(view, ensure_ascii=False)}\n\n"
                    if order.status in FINAL_STATUSES:
                        return
                else:
                    yield ": keep-alive\n\n"
            await asyncio.sleep(SSE_POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


Step = Callable[[AsyncSession, Actor, uuid.UUID], Awaitable[Any]]


async def _step(request: Request, actor: Actor, order_id: uuid.UUID, body: Any, step: Step) -> JSONResponse:
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            await step(session, actor, order_id)
            order = await orders.access_order_by_id(session, actor, order_id)
            return 200, await orders.order_view(session, actor, order)

        return await idempotent(request, session, actor, body, produce)


@router.post("/orders/{order_id}/accept")
async def accept(
    order_id: uuid.UUID, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """The pharmacy takes the order."""
    return await _step(request, actor, order_id, {}, orders.accept_order)


@router.post("/orders/{order_id}/reject")
async def reject(
    order_id: uuid.UUID, data: ReasonIn, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """The pharmacy declines; the order moves to the next pharmacy that keeps the promise, or is refunded."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            order = await orders.reject_order(session, actor, order_id, data.reason)
            return 200, {"id": str(order.id), "status": order.status, "rerouted": order.status == "paid"}

        return await idempotent(request, session, actor, data.model_dump(), produce)


@router.post("/orders/{order_id}/picking")
async def picking(
    order_id: uuid.UUID, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """Picking starts."""
    return await _step(request, actor, order_id, {}, orders.start_picking)


@router.post("/orders/{order_id}/items/{medicine_id}/picked")
async def picked(
    order_id: uuid.UUID,
    medicine_id: str,
    data: PickedIn,
    request: Request,
    actor: Actor = Depends(require_actor),
) -> JSONResponse:
    """Tick a line of the picking checklist."""

    async def step(session: AsyncSession, who: Actor, oid: uuid.UUID) -> None:
        await orders.mark_picked(session, who, oid, medicine_id, data.picked)

    return await _step(request, actor, order_id, data.model_dump(), step)


@router.post("/orders/{order_id}/ready")
async def ready(order_id: uuid.UUID, request: Request, actor: Actor = Depends(require_actor)) -> JSONResponse:
    """Every line picked: ready for the courier (or the customer at the counter)."""
    return await _step(request, actor, order_id, {}, orders.mark_ready)


@router.post("/orders/{order_id}/picked-up")
async def picked_up(
    order_id: uuid.UUID, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """The assigned courier has the parcel."""
    return await _step(request, actor, order_id, {}, orders.courier_picked_up)


@router.post("/orders/{order_id}/handover")
async def handover(
    order_id: uuid.UUID, data: HandoverIn, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """The courier enters the customer's code at the door; 422 for a wrong code (five tries)."""
    from medrush.web.errors import error_body

    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            delivered = await orders.confirm_handover(
                session, actor, order_id, data.code, lat=data.lat, lng=data.lng
            )
            if not delivered:
                return 422, error_body("bad_handover_code", "wrong handover code")
            order = await orders.access_order_by_id(session, actor, order_id)
            return 200, await orders.order_view(session, actor, order)

        return await idempotent(request, session, actor, data.model_dump(), produce)


@router.post("/orders/{order_id}/cancel")
async def cancel(
    order_id: uuid.UUID, data: ReasonIn, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """Cancel before picking; a paid order is refunded."""

    async def step(session: AsyncSession, who: Actor, oid: uuid.UUID) -> None:
        await orders.cancel_order(session, who, oid, data.reason)

    return await _step(request, actor, order_id, data.model_dump(), step)


@router.post("/orders/{order_id}/refund")
async def refund(
    order_id: uuid.UUID,
    data: ReasonIn,
    request: Request,
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> JSONResponse:
    """An operator refunds an order (never twice)."""

    async def step(session: AsyncSession, who: Actor, oid: uuid.UUID) -> None:
        await orders.refund_order(session, who, oid, data.reason)

    return await _step(request, actor, order_id, data.model_dump(), step)


@router.get("/pharmacies/{pharmacy_id}/orders")
async def inbox(
    pharmacy_id: uuid.UUID,
    status: list[str] | None = Query(None),
    actor: Actor = Depends(require_actor),
) -> list[dict[str, Any]]:
    """A pharmacy's open orders, oldest first (its staff and operators)."""
    staff = actor.has(Role.PHARMACY_STAFF) or actor.has(Role.PHARMACIST)
    if not actor.has(Role.OPERATOR) and not (staff and actor.pharmacy_id == pharmacy_id):
        raise NotFound("no such pharmacy inbox", code="not_found")
    async with db.session_scope() as session:
        found = await orders.pharmacy_orders(session, pharmacy_id, status or orders.INBOX_STATUSES)
        return [await orders.order_view(session, actor, o) for o in found]


@router.post("/payments/{provider}/webhook")
async def payment_webhook(
    provider: str, request: Request, signature: str = Header("", alias="X-Signature")
) -> dict[str, str]:
    """Provider events, signed over the raw body (HMAC-SHA256 for the sandbox); replays are ignored."""
    body = await request.body()
    async with db.session_scope() as session:
        outcome = await orders.handle_payment_webhook(session, provider, body, signature)
    return {"outcome": outcome}
