"""Demo couriers on shift around Shanghai People's Square (``medrush demo`` on an empty database).

The core demo's ``courier@demo.medrush.org`` joins them. Demo couriers do not carry phones, so
``keep_demo_couriers_online`` refreshes their last-seen time (the loop runs it with
``medrush courier loop --demo-pings``); otherwise the silence rule takes them offline.

``record_past_deliveries`` writes the deliveries of a past simulated day (see ``medrush.demo``) as
delivered jobs, each carried by a courier account: the demo couriers that ride
(``RIDING_DEMO_COURIERS``: the one on foot would not keep the simulated day's city speed) and the
history couriers ``medrush.demo`` adds for the day's busiest hours. Every past shift joins the shift
history (``record_past_shifts``), and a history courier's dispatch profile ends offline with its
last one; the demo couriers keep the shift ``load_demo`` gave them, which starts when the history
ends.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.dispatch.live.actions import open_shift
from medrush.dispatch.live.enums import CourierStatus, JobStatus, Vehicle
from medrush.dispatch.live.geo import zone_of
from medrush.dispatch.models import Courier, DeliveryJob, Shift
from medrush.kernel import clock
from medrush.kernel.geo import cell_of

__all__ = [
    "DEMO_COURIERS",
    "PEOPLES_SQUARE",
    "RIDING_DEMO_COURIERS",
    "PastDelivery",
    "PastShift",
    "keep_demo_couriers_online",
    "load_demo",
    "record_past_deliveries",
    "record_past_shifts",
]

PEOPLES_SQUARE = (31.2304, 121.4737)
DEMO_PASSWORD = "medrush-demo"  # noqa: S105 - the published demo credential of every demo account
# e-mail, name, vehicle, metres north, metres east of People's Square
DEMO_COURIERS = (
    ("courier@demo.medrush.org", "Zhang Wei", "scooter", 300.0, -200.0),
    ("courier2@demo.medrush.org", "Liu Yang", "bicycle", -600.0, 450.0),
    ("courier3@demo.medrush.org", "Chen Jing", "scooter", 1200.0, 800.0),
    ("courier4@demo.medrush.org", "Huang Lei", "bicycle", -1500.0, -900.0),
    ("courier5@demo.medrush.org", "Zhao Min", "scooter", 2200.0, -1600.0),
    ("courier6@demo.medrush.org", "Wu Hao", "bicycle", -2500.0, 2100.0),
    ("courier7@demo.medrush.org", "Zhou Xin", "foot", 150.0, 700.0),
    ("courier8@demo.medrush.org", "Xu Lin", "car", 3200.0, 2600.0),
)
SHIFT_HOURS = 12
RIDING_DEMO_COURIERS = tuple(c for c in DEMO_COURIERS if c[2] != "foot")  # at the simulated day's speed


def _offset(north_m: float, east_m: float) -> tuple[float, float]:
    lat0, lng0 = PEOPLES_SQUARE
    lat = lat0 + north_m / 111_195.0
    lng = lng0 + east_m / (111_195.0 * math.cos(math.radians(lat0)))
    return (round(lat, 6), round(lng, 6))


async def load_demo(session: AsyncSession) -> None:
    """Put the demo couriers on a 12-hour shift near People's Square (accounts created when missing)."""
    from medrush import accounts
    from medrush.accounts import Role

    now = clock.now()
    for email, name, vehicle, north, east in DEMO_COURIERS:
        user = await accounts.user_by_email(session, email)
        if user is None:
            user = await accounts.create_user(
                session, email=email, password=DEMO_PASSWORD, display_name=name, roles=(Role.COURIER,)
            )
        lat, lng = _offset(north, east)
        existing = await session.get(Courier, user.id)
        courier = existing or Courier(user_id=user.id)
        courier.vehicle = vehicle
        courier.status = CourierStatus.ONLINE
        courier.lat, courier.lng = lat, lng
        courier.cell = cell_of(lat, lng, 9)
        courier.zone = zone_of(lat, lng)
        courier.location_at = now
        courier.offline_reason = None
        if existing is None:
            session.add(courier)
        await open_shift(session, courier, now, now + timedelta(hours=SHIFT_HOURS))


async def keep_demo_couriers_online(session: AsyncSession) -> int:
    """Refresh the last-seen time of online demo couriers (they stand still); returns how many."""
    from medrush import accounts

    ids = []
    for email, *_rest in DEMO_COURIERS:
        user = await accounts.user_by_email(session, email)
        if user is not None:
            ids.append(user.id)
    if not ids:
        return 0
    result = await session.execute(
        update(Courier)
        .where(Courier.user_id.in_(ids), Courier.status == CourierStatus.ONLINE)
        .values(location_at=clock.now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class PastDelivery:
    """A delivery of the past: the order it carried, from where to where, and when."""

    order_id: uuid.UUID
    pharmacy_id: uuid.UUID
    pharmacy_lat: float
    pharmacy_lng: float
    dropoff_lat: float
    dropoff_lng: float
    placed_at: datetime
    ready_at: datetime
    promised_by: datetime
    picked_up_at: datetime
    delivered_at: datetime
    courier_id: uuid.UUID
    assigned_at: datetime


@dataclass(frozen=True, slots=True)
class PastShift:
    """A courier's last shift of the past day: when it ran and where it ended."""

    started_at: datetime
    ended_at: datetime
    lat: float
    lng: float


async def record_past_shifts(session: AsyncSession, shifts: Sequence[tuple[uuid.UUID, PastShift]]) -> int:
    """Add the past ``shifts`` (each with its courier, by start; a courier's do not overlap) to the
    shift history, and give the couriers without a dispatch profile one that ended with their last
    past shift (offline, where they last delivered); couriers that have one keep it. Returns how
    many profiles were created."""
    last = dict(sorted(shifts, key=lambda c: c[1].started_at))  # each courier's last shift
    have = set((await session.scalars(select(Courier.user_id).where(Courier.user_id.in_(list(last))))).all())
    rows = [
        {
            "user_id": courier_id,
            "vehicle": str(Vehicle.SCOOTER if n % 3 else Vehicle.BICYCLE),
            "status": str(CourierStatus.OFFLINE),
            "shift_started_at": s.started_at,
            "shift_ends_at": s.ended_at,
            "lat": s.lat,
            "lng": s.lng,
            "cell": cell_of(s.lat, s.lng, 9),
            "zone": zone_of(s.lat, s.lng),
            "location_at": s.ended_at,
            "offline_reason": "shift_ended",
        }
        for n, (courier_id, s) in enumerate(last.items())
        if courier_id not in have
    ]
    if rows:
        await session.execute(insert(Courier), rows)
    history = [
        {"courier_id": courier_id, "started_at": s.started_at, "ended_at": s.ended_at}
        for courier_id, s in shifts
    ]
    if history:
        await session.execute(insert(Shift), history)
    return len(rows)


async def record_past_deliveries(session: AsyncSession, past: Sequence[PastDelivery]) -> int:
    """Write ``past`` as delivered jobs of their couriers; returns how many."""
    rows = [
        {
            "order_id": d.order_id,
            "pharmacy_id": d.pharmacy_id,
            "pharmacy_lat": d.pharmacy_lat,
            "pharmacy_lng": d.pharmacy_lng,
            "dropoff_lat": d.dropoff_lat,
            "dropoff_lng": d.dropoff_lng,
            "zone": zone_of(d.pharmacy_lat, d.pharmacy_lng),
            "placed_at": d.placed_at,
            "ready_at": d.ready_at,
            "promised_by": d.promised_by,
            "status": str(JobStatus.DELIVERED),
            "courier_id": d.courier_id,
            "planned_pickup": d.picked_up_at,
            "eta_pickup": d.picked_up_at,
            "eta_dropoff": d.delivered_at,
            "assigned_at": d.assigned_at,
            "picked_up_at": d.picked_up_at,
            "delivered_at": d.delivered_at,
            "excluded_couriers": [],
            "note": "demo history",
        }
        for d in past
    ]
    if rows:
        await session.execute(insert(DeliveryJob), rows)
    return len(rows)
