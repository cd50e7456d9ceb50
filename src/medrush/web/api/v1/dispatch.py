"""JSON API of live dispatch: the courier's shift, presence, positions (HTTP and WebSocket), offers,
pickup and drop-off; an order's delivery tracking; the promise ETA near a pharmacy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import dispatch
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.bus import get_bus
from medrush.kernel.errors import DomainError, InvalidInput, NotFound
from medrush.web.deps import require_actor, require_roles, websocket_actor
from medrush.web.rendering import page_lang
from medrush.web.validation import describe_errors

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["dispatch"])
courier_only = require_roles(Role.COURIER)
VEHICLES = "^(bicycle|scooter|car|foot)$"


class ShiftIn(BaseModel):
    """Start a shift: its length, the vehicle and (optionally) where the courier is."""

    minutes: int = Field(240, ge=15, le=720)
    vehicle: str | None = Field(None, pattern=VEHICLES)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class LocationIn(BaseModel):
    """A position ping."""

    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class DeclineIn(BaseModel):
    """Why the courier declines (optional)."""

    reason: str | None = Field(None, max_length=40)


class PlaceIn(BaseModel):
    """Where the courier confirms a step (optional; checked against the stop when given)."""

    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class DropoffIn(PlaceIn):
    """The customer's handover code and where the courier is."""

    code: str = Field(min_length=1, max_length=12)


async def _board(session: AsyncSession, actor: Actor) -> dict[str, Any]:
    return await dispatch.courier_board(session, actor)


async def _write_then_board(actor: Actor, step: Any) -> dict[str, Any]:
    """Run one courier action, commit, broadcast its live messages, answer with the fresh board."""
    async with db.session_scope() as session:
        await step(session)
        queued = dispatch.take_queued(session)
    await dispatch.send_queued(queued)
    async with db.session_scope() as session:
        return await _board(session, actor)


@router.get("/courier/me")
async def courier_me(actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """The courier's status, shift, pending offers and remaining route."""
    async with db.session_scope() as session:
        return await _board(session, actor)


@router.post("/courier/shift")
async def start_shift(data: ShiftIn, actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """Start a shift and go online."""
    if (data.lat is None) != (data.lng is None):
        raise InvalidInput("give both lat and lng, or neither", code="bad_position")
    return await _write_then_board(
        actor,
        lambda s: dispatch.start_shift(
            s, actor, minutes=data.minutes, vehicle=data.vehicle, lat=data.lat, lng=data.lng
        ),
    )


@router.delete("/courier/shift")
async def end_shift(actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """End the shift; jobs not picked up yet go to other couriers."""
    return await _write_then_board(actor, lambda s: dispatch.end_shift(s, actor))


@router.post("/courier/online")
async def go_online(actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """Take offers again during the shift."""
    return await _write_then_board(actor, lambda s: dispatch.go_online(s, actor))


@router.post("/courier/offline")
async def go_offline(actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """Pause: no offers; jobs not picked up yet go to other couriers."""
    return await _write_then_board(actor, lambda s: dispatch.go_offline(s, actor))


@router.post("/courier/location")
async def location(data: LocationIn, actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """A position ping (the WebSocket takes the same pings)."""
    async with db.session_scope() as session:
        courier = await dispatch.record_location(session, actor, data.lat, data.lng)
        at = courier.location_at
        queued = dispatch.take_queued(session)
    await dispatch.send_queued(queued)
    return {"ok": True, "at": at.isoformat() if at else None}


@router.get("/courier/offers")
async def offers(actor: Actor = Depends(courier_only)) -> list[dict[str, Any]]:
    """Pending offers with their jobs and seconds left."""
    async with db.session_scope() as session:
        board = await _board(session, actor)
    result: list[dict[str, Any]] = board["offers"]
    return result


@router.post("/courier/offers/{offer_id}/accept")
async def accept(offer_id: uuid.UUID, actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """Take the offered bundle; it joins the end of the route."""
    return await _write_then_board(actor, lambda s: dispatch.accept_offer(s, actor, offer_id))


@router.post("/courier/offers/{offer_id}/decline")
async def decline(
    offer_id: uuid.UUID, data: DeclineIn | None = None, actor: Actor = Depends(courier_only)
) -> dict[str, Any]:
    """Say no; the jobs go to another courier."""
    reason = data.reason if data is not None else None
    return await _write_then_board(actor, lambda s: dispatch.decline_offer(s, actor, offer_id, reason))


@router.post("/courier/jobs/{job_id}/pickup")
async def pickup(
    job_id: uuid.UUID, data: PlaceIn | None = None, actor: Actor = Depends(courier_only)
) -> dict[str, Any]:
    """The parcel is in the courier's bag."""
    place = data or PlaceIn()
    return await _write_then_board(
        actor, lambda s: dispatch.confirm_pickup(s, actor, job_id, lat=place.lat, lng=place.lng)
    )


@router.post("/courier/jobs/{job_id}/dropoff")
async def dropoff(job_id: uuid.UUID, data: DropoffIn, actor: Actor = Depends(courier_only)) -> dict[str, Any]:
    """Handed over with the customer's code: checked by dispatch when orders shared it with dispatch,
    otherwise by orders (either way five wrong codes lock the drop-off)."""
    wrong = False
    async with db.session_scope() as session:
        order_id, dispatch_checks = await dispatch.dropoff_target(session, actor, job_id)
        if dispatch_checks:
            done = await dispatch.confirm_dropoff(
                session, actor, job_id, code=data.code, lat=data.lat, lng=data.lng
            )
            wrong = done is None  # the attempt is counted and committed
        else:
            from medrush import orders

            if await orders.confirm_handover(session, actor, order_id, data.code, lat=data.lat, lng=data.lng):
                await dispatch.confirm_dropoff(session, actor, job_id, lat=data.lat, lng=data.lng)
            else:
                wrong = True  # the attempt is counted and committed
        queued = dispatch.take_queued(session)
    if wrong:
        raise InvalidInput("wrong handover code", code="bad_handover_code")
    await dispatch.send_queued(queued)
    async with db.session_scope() as session:
        return await _board(session, actor)


@router.get("/dispatch/orders/{order_id}/tracking")
async def tracking(order_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """Where an order's delivery stands: status, ETAs and the courier's position (for those who may
    see the order)."""
    async with db.session_scope() as session:
        if not actor.has(Role.OPERATOR):
            from medrush import orders

            await orders.access_order_by_id(session, actor, order_id)
        view = await dispatch.tracking(session, order_id)
    if view is None:
        raise NotFound("no delivery for this order yet", code="no_delivery")
    return view


@router.get("/dispatch/operator")
async def operator_figures(
    hours: int = Query(24, ge=1, le=168), actor: Actor = Depends(require_roles(Role.OPERATOR))
) -> dict[str, Any]:
    """Deliveries on time by hour, couriers online / busy / idle, jobs waiting per zone."""
    async with db.session_scope() as session:
        return await dispatch.fleet_figures(session, actor, hours=hours)


@router.get("/dispatch/eta")
async def eta(
    pharmacy_lat: float = Query(ge=-90, le=90),
    pharmacy_lng: float = Query(ge=-180, le=180),
    lat: float = Query(ge=-90, le=90),
    lng: float = Query(ge=-180, le=180),
    _actor: Actor = Depends(require_actor),
) -> dict[str, Any]:
    """Minutes to the door from a pharmacy now, from courier supply nearby (null: nobody near)."""
    async with db.session_scope() as session:
        minutes = await dispatch.eta_minutes(session, pharmacy_lat, pharmacy_lng, lat, lng)
    return {"eta_minutes": minutes}


async def _ws_ping(actor: Actor, raw: str, lang: str) -> dict[str, Any]:
    """Handle one WebSocket message from the courier app (refusals in ``lang``)."""
    try:
        message = json.loads(raw)
    except ValueError:
        return {
            "type": "error",
            "message": 'send JSON such as {"type": "location", "lat": 31.2, "lng": 121.4}',
        }
    if not isinstance(message, dict) or message.get("type") != "location":
        return {"type": "error", "message": 'unknown message; expected type "location"'}
    try:
        data = LocationIn.model_validate(message)
    except ValidationError as exc:
        return {"type": "error", "message": f"bad position: {describe_errors(exc, lang)}"}
    try:
        async with db.session_scope() as session:
            await dispatch.record_location(session, actor, data.lat, data.lng)
            queued = dispatch.take_queued(session)
    except DomainError as exc:
        return {"type": "error", "message": exc.translated(lang)}
    await dispatch.send_queued(queued)
    return {"type": "ack"}


@router.websocket("/courier/ws")
async def courier_ws(websocket: WebSocket) -> None:
    """Live channel of a courier: offers and changes pushed down, position pings sent up."""
    actor = await websocket_actor(websocket)
    if actor.user_id is None or not actor.has(Role.COURIER):
        await websocket.close(code=4403, reason="couriers only; sign in first")
        return
    await websocket.accept()
    async with get_bus().subscribe(f"courier:{actor.user_id}") as queue:
        async with db.session_scope() as session:
            await websocket.send_json({"type": "board", "board": await _board(session, actor)})

        async def push() -> None:
            while True:
                await websocket.send_json(await queue.get())

        pusher = asyncio.create_task(push())
        try:
            while True:
                raw = await websocket.receive_text()
                await websocket.send_json(await _ws_ping(actor, raw, page_lang(websocket)))
        except WebSocketDisconnect:
            pass
        finally:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pusher


@router.websocket("/dispatch/orders/{order_id}/ws")
async def tracking_ws(websocket: WebSocket, order_id: uuid.UUID) -> None:
    """Live tracking of one order for its map: the current view, then ETA and courier-position messages."""
    actor = await websocket_actor(websocket)
    if actor.user_id is None:
        await websocket.close(code=4401, reason="sign in first")
        return
    try:
        async with db.session_scope() as session:
            if not actor.has(Role.OPERATOR):
                from medrush import orders

                await orders.access_order_by_id(session, actor, order_id)
            view = await dispatch.tracking(session, order_id)
    except DomainError:
        await websocket.close(code=4404, reason="no such order")
        return
    await websocket.accept()
    async with get_bus().subscribe(f"order:{order_id}") as queue:
        await websocket.send_json({"type": "tracking", "tracking": view})

        async def drain() -> None:
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    await websocket.receive_text()  # the map sends nothing; this notices the close

        listener = asyncio.create_task(drain())
        try:
            while not listener.done():
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait({getter, listener}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    await websocket.send_json(getter.result())
                else:
                    getter.cancel()
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener
