"""Reactions of orders to other domains' events (dispatch tells orders about couriers only this way).

Topics and payloads expected from ``dispatch``: ``dispatch.courier_assigned`` and
``dispatch.picked_up`` with ``{"order_id": str, "courier_id": str}``; ``dispatch.delivered``
with ``lat``/``lng`` once dispatch has checked the handover code it received in ``orders.ready``.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import SYSTEM
from medrush.kernel.errors import Conflict
from medrush.kernel.events import Event, subscribe
from medrush.orders.actions import courier_assigned, courier_delivered, courier_picked_up

__all__ = ["on_courier_assigned", "on_courier_delivered", "on_courier_picked_up"]


@subscribe("dispatch.courier_assigned", name="orders.on_courier_assigned")
async def on_courier_assigned(session: AsyncSession, event: Event) -> None:
    """Record the courier on the order (a stale event for a finished order is ignored)."""
    try:
        await courier_assigned(
            session, uuid.UUID(event.payload["order_id"]), uuid.UUID(event.payload["courier_id"])
        )
    except Conflict:
        return


@subscribe("dispatch.picked_up", name="orders.on_courier_picked_up")
async def on_courier_picked_up(session: AsyncSession, event: Event) -> None:
    """The courier has the parcel."""
    try:
        await courier_picked_up(session, SYSTEM, uuid.UUID(event.payload["order_id"]))
    except Conflict:
        return


@subscribe("dispatch.delivered", name="orders.on_courier_delivered")
async def on_courier_delivered(session: AsyncSession, event: Event) -> None:
    """Dispatch confirmed the handover at the door."""
    p = event.payload
    try:
        await courier_delivered(session, uuid.UUID(p["order_id"]), lat=p.get("lat"), lng=p.get("lng"))
    except Conflict:
        return
