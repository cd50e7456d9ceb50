"""Factories for dispatch: a delivery job as the tables hold it after its courier carried it; a
courier's pause within its shift, taken the way the courier page takes it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from medrush import dispatch
from medrush.accounts import Actor, Role
from medrush.dispatch.models import DeliveryJob
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock


def carried_job(
    courier_id: uuid.UUID,
    delivered_at: datetime,
    *,
    spot: tuple[float, float],
    zone: str,
    late_minutes: float = 0,
    picked_up_minutes: float = 12,
    status: str = "delivered",
) -> DeliveryJob:
    """A job placed 30 minutes and ready 20 minutes before ``delivered_at``, picked up
    ``picked_up_minutes`` before it, promised ``late_minutes`` before it; a pharmacy at ``spot`` and a
    drop-off 0.01 degree north. With another ``status`` than delivered, ``delivered_at`` is only the
    minute the times are counted from."""
    return DeliveryJob(
        order_id=uuid.uuid4(),
        pharmacy_id=uuid.uuid4(),
        pharmacy_lat=spot[0],
        pharmacy_lng=spot[1],
        dropoff_lat=spot[0] + 0.01,
        dropoff_lng=spot[1],
        zone=zone,
        placed_at=delivered_at - timedelta(minutes=30),
        ready_at=delivered_at - timedelta(minutes=20),
        promised_by=delivered_at - timedelta(minutes=late_minutes),
        status=status,
        courier_id=courier_id,
        picked_up_at=delivered_at - timedelta(minutes=picked_up_minutes),
        delivered_at=delivered_at if status == "delivered" else None,
    )


def courier_actor(courier_id: uuid.UUID) -> Actor:
    """The courier ``courier_id`` as an actor for direct action calls."""
    return Actor(user_id=courier_id, roles=frozenset({Role.COURIER}))


async def pause(courier_id: uuid.UUID, went_offline: datetime, back_online: datetime | None = None) -> None:
    """The courier (on a shift) goes offline at ``went_offline`` and, unless ``back_online`` is None,
    online again then: ``go_offline`` and ``go_online``, each committed with the clock stopped at
    its moment. The clock is left stopped at the last of them (the caller sets it back)."""
    actor = courier_actor(courier_id)
    clock.set_clock(FrozenClock(went_offline))
    async with db.session_scope() as session:
        await dispatch.go_offline(session, actor)
    if back_online is not None:
        clock.set_clock(FrozenClock(back_online))
        async with db.session_scope() as session:
            await dispatch.go_online(session, actor)
