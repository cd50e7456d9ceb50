"""Reactions of dispatch to orders' events (dispatch never imports orders; payloads are its only input).

- ``orders.ready`` (delivery orders): open a delivery job from ``order_id``, ``pharmacy_id``,
  ``pharmacy_lat``/``pharmacy_lng``, ``lat``/``lng`` (the drop-off), ``promised_by`` and, when
  orders shares it, ``handover_code``;
- ``orders.cancelled``: drop the job and withdraw its offer;
- ``orders.picked_up`` and ``orders.delivered``: follow steps recorded through orders' own API.

Every handler is idempotent: a repeated event changes nothing (the relay also records each
handler run in ``handled_events``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.dispatch.live.actions import (
    cancel_job,
    mark_delivered_by_order,
    mark_picked_up_by_order,
    open_job,
)
from medrush.kernel.events import Event, subscribe

__all__ = ["on_order_cancelled", "on_order_delivered", "on_order_picked_up", "on_order_ready"]

log = logging.getLogger(__name__)
DEFAULT_PROMISE_MINUTES = 30


def _when(value: object, default: datetime) -> datetime:
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return default


@subscribe("orders.ready", name="dispatch.on_order_ready")
async def on_order_ready(session: AsyncSession, event: Event) -> None:
    """A delivery order is packed: it needs a courier."""
    p = event.payload
    if p.get("fulfilment", "delivery") != "delivery":
        return
    if p.get("pharmacy_lat") is None or p.get("lat") is None:
        log.error("orders.ready %s has no positions; cannot dispatch order %s", event.id, p.get("order_id"))
        return
    ready_at = event.created_at
    code = p.get("handover_code")
    await open_job(
        session,
        order_id=uuid.UUID(p["order_id"]),
        pharmacy_id=uuid.UUID(p["pharmacy_id"]),
        pharmacy_lat=float(p["pharmacy_lat"]),
        pharmacy_lng=float(p["pharmacy_lng"]),
        dropoff_lat=float(p["lat"]),
        dropoff_lng=float(p["lng"]),
        ready_at=ready_at,
        promised_by=_when(p.get("promised_by"), ready_at + timedelta(minutes=DEFAULT_PROMISE_MINUTES)),
        placed_at=_when(p.get("paid_at"), ready_at),
        handover_code=str(code) if code else None,
    )


@subscribe("orders.cancelled", name="dispatch.on_order_cancelled")
async def on_order_cancelled(session: AsyncSession, event: Event) -> None:
    """The order will not be delivered: free its courier."""
    await cancel_job(session, uuid.UUID(event.payload["order_id"]))


@subscribe("orders.picked_up", name="dispatch.on_order_picked_up")
async def on_order_picked_up(session: AsyncSession, event: Event) -> None:
    """Orders recorded the pickup (no-op when dispatch recorded it first)."""
    await mark_picked_up_by_order(session, uuid.UUID(event.payload["order_id"]))


@subscribe("orders.delivered", name="dispatch.on_order_delivered")
async def on_order_delivered(session: AsyncSession, event: Event) -> None:
    """Orders confirmed the handover (no-op when dispatch recorded it first)."""
    await mark_delivered_by_order(session, uuid.UUID(event.payload["order_id"]))
