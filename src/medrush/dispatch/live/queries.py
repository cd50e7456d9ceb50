"""Reads of live dispatch: a courier's board (offers and route), order tracking, promise ETAs."""

from __future__ import annotations

import math
import uuid
from collections import Counter
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, DateTime, and_, cast, func, literal, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import Actor
from medrush.dispatch.live.actions import DEFAULT, _courier_id, _iso, _travel, route_jobs, route_of, routes_of
from medrush.dispatch.live.enums import ACTIVE_JOB, ON_ROUTE, CourierStatus, JobStatus, OfferStatus, Vehicle
from medrush.dispatch.live.geo import CityTravel, zone_of
from medrush.dispatch.live.params import LiveParams
from medrush.dispatch.live.route import plan_route
from medrush.dispatch.models import Courier, DeliveryJob, Offer, Shift, ShiftPause
from medrush.dispatch.pay import PayRates, courier_pay, to_minor
from medrush.kernel import clock
from medrush.kernel.errors import NotFound, PermissionDenied
from medrush.settings import get_settings

__all__ = [
    "courier_board",
    "courier_earnings",
    "dropoff_target",
    "eta_minutes",
    "fleet_figures",
    "job_view",
    "nearest_courier_minutes",
    "pay_rates",
    "tracking",
]

MAX_SUPPLY = 200
TYPICAL_DELIVERY_MINUTES = 20.0
MAP_POINTS = 500
DELIVERED_WINDOW = timedelta(hours=24)
DELIVERED_LISTED = 20


def job_view(job: DeliveryJob) -> dict[str, Any]:
    """A job as JSON."""
    return {
        "job_id": str(job.id),
        "order_id": str(job.order_id),
        "pharmacy_id": str(job.pharmacy_id),
        "status": job.status,
        "pickup": {"lat": job.pharmacy_lat, "lng": job.pharmacy_lng},
        "dropoff": {"lat": job.dropoff_lat, "lng": job.dropoff_lng},
        "ready_at": _iso(job.ready_at),
        "promised_by": _iso(job.promised_by),
        "eta_pickup": _iso(job.eta_pickup),
        "eta_dropoff": _iso(job.eta_dropoff),
        "route_seq": job.route_seq,
        "needs_code": True,
    }


async def courier_board(session: AsyncSession, actor: Actor) -> dict[str, Any]:
    """The courier's state, pending offers (with their jobs) and remaining route."""
    courier_id = _courier_id(actor)
    courier = await session.get(Courier, courier_id)
    now = clock.now()
    if courier is None:
        return {
            "courier_id": str(courier_id),
            "status": CourierStatus.OFFLINE,
            "vehicle": Vehicle.BICYCLE,
            "on_shift": False,
            "shift_ends_at": None,
            "position": None,
            "offline_reason": None,
            "offers": [],
            "jobs": [],
            "route": [],
            **await _day_of_work(session, courier_id, now),
        }
    offers = (
        await session.scalars(
            select(Offer)
            .where(
                Offer.courier_id == courier_id, Offer.status == OfferStatus.PENDING, Offer.expires_at > now
            )
            .order_by(Offer.created_at)
        )
    ).all()
    offer_job_ids = [uuid.UUID(j) for o in offers for j in o.job_ids]
    jobs_by_id: dict[str, DeliveryJob] = {}
    if offer_job_ids:
        rows = (await session.scalars(select(DeliveryJob).where(DeliveryJob.id.in_(offer_job_ids)))).all()
        jobs_by_id = {str(j.id): j for j in rows}
    route = await route_of(session, courier_id)
    stops: list[dict[str, Any]] = []
    if route and courier.lat is not None and courier.lng is not None:
        planned = plan_route(
            courier.lat,
            courier.lng,
            now,
            route_jobs(route),
            _travel(courier, DEFAULT),
            pickup_service=DEFAULT.engine.pickup_service,
            dropoff_service=DEFAULT.engine.dropoff_service,
        )
        stops = [
            {
                "kind": s.kind,
                "job_ids": [str(j) for j in s.job_ids],
                "lat": s.lat,
                "lng": s.lng,
                "at": _iso(s.at),
            }
            for s in planned
        ]
    on_shift = courier.shift_ends_at is not None and courier.shift_ends_at > now
    return {
        "courier_id": str(courier_id),
        "status": courier.status,
        "vehicle": courier.vehicle,
        "on_shift": on_shift,
        "shift_ends_at": _iso(courier.shift_ends_at) if on_shift else None,
        "position": (
            {"lat": courier.lat, "lng": courier.lng, "at": _iso(courier.location_at)}
            if courier.lat is not None
            else None
        ),
        "offline_reason": courier.offline_reason,
        "offers": [
            {
                "offer_id": str(o.id),
                "expires_at": _iso(o.expires_at),
                "seconds_left": max(0, math.floor((o.expires_at - now).total_seconds())),
                "plan": o.plan,
                "jobs": [job_view(jobs_by_id[j]) for j in o.job_ids if j in jobs_by_id],
            }
            for o in offers
        ],
        "jobs": [job_view(j) for j in route],
        "route": stops,
        **await _day_of_work(session, courier_id, now),
    }


async def _day_of_work(session: AsyncSession, courier_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """The board's ``delivered`` and ``earnings`` (paid for the deliveries counted in ``delivered``)."""
    delivered = await _delivered(session, courier_id, now)
    earnings = await courier_earnings(session, courier_id, now, deliveries=delivered["count"])
    return {"delivered": delivered, "earnings": earnings}


def _delivered_since(courier_id: uuid.UUID, since: datetime) -> tuple[ColumnElement[bool], ...]:
    """The courier's deliveries from ``since`` on: what ``delivered`` lists and ``earnings`` pays."""
    return (
        DeliveryJob.courier_id == courier_id,
        DeliveryJob.status == JobStatus.DELIVERED,
        DeliveryJob.delivered_at >= since,
    )


def pay_rates() -> PayRates:
    """The courier pay of this deployment (``MEDRUSH_COURIER_PAY_*``)."""
    s = get_settings()
    return PayRates(s.courier_pay_currency, s.courier_pay_per_delivery, s.courier_pay_per_hour)


async def courier_earnings(
    session: AsyncSession,
    courier_id: uuid.UUID,
    now: datetime | None = None,
    *,
    deliveries: int | None = None,
    rates: PayRates | None = None,
) -> dict[str, Any]:
    """What the courier earned in the 24 hours before ``now`` (the window of ``delivered``), by the
    MDRP rule: the larger of pay per delivery x deliveries and the guaranteed pay per hour x the
    time the courier was online on shift inside the window. Shift time is every shift of the
    history ``dispatch_shifts`` that overlaps the window, each clipped to it (a shift still open
    counts up to ``now``; no shift, none); online time is that less every pause of those shifts
    (``dispatch_shift_pauses``), each clipped to its shift, the window and ``now`` (one still open
    runs to ``now`` or its shift's end). All in one statement. ``shift_seconds`` and
    ``online_seconds`` are whole seconds, rounded down; ``paused_seconds`` is the difference.
    Amounts in whole minor units of ``currency``. ``deliveries`` is the count already read for
    ``delivered`` (counted here when not given)."""
    now = now or clock.now()
    rates = rates or pay_rates()
    since = now - DELIVERED_WINDOW
    at_now, at_since = literal(now, DateTime(timezone=True)), literal(since, DateTime(timezone=True))
    clipped = func.least(Shift.ended_at, at_now) - func.greatest(Shift.started_at, at_since)
    shifts = (
        select(func.coalesce(func.sum(func.extract("epoch", clipped)), 0).label("seconds"))
        .where(Shift.courier_id == courier_id, Shift.started_at < at_now, Shift.ended_at > at_since)
        .subquery("shifts")
    )
    pause_start = func.greatest(ShiftPause.started_at, Shift.started_at, at_since)
    pause_end = func.least(func.coalesce(ShiftPause.ended_at, at_now), Shift.ended_at, at_now)
    pauses = (
        select(func.coalesce(func.sum(func.extract("epoch", pause_end - pause_start)), 0).label("seconds"))
        .select_from(ShiftPause)
        .join(Shift, Shift.id == ShiftPause.shift_id)
        .where(
            ShiftPause.courier_id == courier_id,
            Shift.courier_id == courier_id,
            ShiftPause.started_at < at_now,
            Shift.ended_at > at_since,
            pause_start < pause_end,
        )
        .subquery("pauses")
    )
    counted = select(func.count()).select_from(DeliveryJob).where(*_delivered_since(courier_id, since))
    row = (
        await session.execute(
            select(
                counted.scalar_subquery() if deliveries is None else literal(deliveries),
                cast(func.floor(shifts.c.seconds), BigInteger),
                cast(func.floor(shifts.c.seconds - pauses.c.seconds), BigInteger),
            ).select_from(shifts.join(pauses, true()))
        )
    ).one()
    count, seconds, online = int(row[0]), int(row[1]), int(row[2])
    pay = courier_pay(Fraction(rates.per_delivery), count, Fraction(rates.per_hour), Fraction(online, 3600))
    return {
        "since": _iso(since),
        "currency": rates.currency,
        "pay_per_delivery": rates.per_delivery,
        "pay_per_hour": rates.per_hour,
        "deliveries": count,
        "delivery_pay": to_minor(pay.by_orders),
        "shift_seconds": seconds,
        "shift_hours": round(seconds / 3600, 2),
        "online_seconds": online,
        "online_hours": round(online / 3600, 2),
        "paused_seconds": seconds - online,
        "guarantee": to_minor(pay.guarantee),
        "due": to_minor(pay.due),
    }


async def _delivered(session: AsyncSession, courier_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """The courier's deliveries of the last 24 hours: how many, how many by their promise, the latest few."""
    since = now - DELIVERED_WINDOW
    mine = _delivered_since(courier_id, since)
    count, on_time = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(DeliveryJob.delivered_at <= DeliveryJob.promised_by),
            ).where(*mine)
        )
    ).one()
    latest = (
        await session.scalars(
            select(DeliveryJob).where(*mine).order_by(DeliveryJob.delivered_at.desc()).limit(DELIVERED_LISTED)
        )
    ).all()
    return {
        "since": _iso(since),
        "count": int(count),
        "on_time": int(on_time),
        "jobs": [
            {
                "job_id": str(j.id),
                "order_id": str(j.order_id),
                "picked_up_at": _iso(j.picked_up_at),
                "delivered_at": _iso(j.delivered_at),
                "promised_by": _iso(j.promised_by),
                "late_minutes": max(0, math.ceil((j.delivered_at - j.promised_by).total_seconds() / 60))
                if j.delivered_at is not None
                else 0,
            }
            for j in latest
        ],
    }


async def tracking(session: AsyncSession, order_id: uuid.UUID) -> dict[str, Any] | None:
    """Where an order's delivery stands for the tracking map (caller checks who may see it)."""
    job = (await session.scalars(select(DeliveryJob).where(DeliveryJob.order_id == order_id))).first()
    if job is None:
        return None
    view = job_view(job)
    view.pop("needs_code")
    view["courier"] = None
    if job.courier_id is not None and job.status in ON_ROUTE:
        courier = await session.get(Courier, job.courier_id)
        if courier is not None and courier.lat is not None:
            view["courier"] = {"lat": courier.lat, "lng": courier.lng, "at": _iso(courier.location_at)}
    return view


async def _arrivals(
    session: AsyncSession, lat: float, lng: float, at: datetime, params: LiveParams
) -> tuple[list[float], int]:
    """Minutes until each nearby online courier could reach a point, and jobs waiting in its zone."""
    radius = params.supply_radius_m
    dlat = radius / 111_195.0
    dlng = radius / (111_195.0 * max(0.01, math.cos(math.radians(lat))))
    couriers = (
        await session.scalars(
            select(Courier)
            .where(
                Courier.status == CourierStatus.ONLINE,
                Courier.shift_ends_at > at,
                Courier.lat.between(lat - dlat, lat + dlat),
                Courier.lng.between(lng - dlng, lng + dlng),
            )
            .limit(MAX_SUPPLY)
        )
    ).all()
    busy = await routes_of(session, (c.user_id for c in couriers))
    arrivals: list[float] = []
    for c in couriers:
        assert c.lat is not None and c.lng is not None and c.shift_ends_at is not None
        travel = _travel(c, params)
        free_at, here_lat, here_lng = at, c.lat, c.lng
        if c.user_id in busy:
            stops = plan_route(
                c.lat,
                c.lng,
                at,
                route_jobs(busy[c.user_id]),
                travel,
                pickup_service=params.engine.pickup_service,
                dropoff_service=params.engine.dropoff_service,
            )
            free_at = stops[-1].at + timedelta(minutes=params.engine.dropoff_service / 2)
            here_lat, here_lng = stops[-1].lat, stops[-1].lng
        arrive = free_at + timedelta(minutes=travel.minutes_latlng(here_lat, here_lng, lat, lng))
        if arrive <= c.shift_ends_at:
            arrivals.append((arrive - at).total_seconds() / 60)
    waiting = (
        await session.scalars(
            select(DeliveryJob.id).where(
                DeliveryJob.zone == zone_of(lat, lng),
                DeliveryJob.status.in_((JobStatus.OPEN, JobStatus.OFFERED)),
            )
        )
    ).all()
    return sorted(arrivals), len(waiting)


def _queue_minutes(arrivals: list[float], waiting: int) -> float:
    """Arrival of the courier left for a new job once the waiting jobs take the earlier ones."""
    n = len(arrivals)
    return arrivals[waiting % n] + (waiting // n) * TYPICAL_DELIVERY_MINUTES


async def nearest_courier_minutes(
    session: AsyncSession, lat: float, lng: float, params: LiveParams = DEFAULT
) -> float | None:
    """Minutes until a courier can be at a pharmacy (queue of waiting jobs included); None: nobody near."""
    arrivals, waiting = await _arrivals(session, lat, lng, clock.now(), params)
    if not arrivals:
        return None
    return round(_queue_minutes(arrivals, waiting), 1)


async def eta_minutes(
    session: AsyncSession,
    pharmacy_lat: float,
    pharmacy_lng: float,
    lat: float,
    lng: float,
    at: datetime | None = None,
    *,
    picking_minutes: float = 0.0,
    params: LiveParams = DEFAULT,
) -> float | None:
    """Minutes from ``at`` to the door: a courier near the pharmacy (after the jobs already waiting),
    the pickup (not before ``picking_minutes``), the ride and the handover; None when no courier is near."""
    when = at or clock.now()
    arrivals, waiting = await _arrivals(session, pharmacy_lat, pharmacy_lng, when, params)
    if not arrivals:
        return None
    arrive = _queue_minutes(arrivals, waiting)
    e = params.engine
    pickup = max(picking_minutes, arrive + e.pickup_service / 2)
    ride = CityTravel(params.city_speed, params.detour).minutes_latlng(pharmacy_lat, pharmacy_lng, lat, lng)
    return round(pickup + e.pickup_service / 2 + ride + e.dropoff_service / 2, 1)


async def dropoff_target(session: AsyncSession, actor: Actor, job_id: uuid.UUID) -> tuple[uuid.UUID, bool]:
    """The order behind a job on the caller's route, and whether dispatch itself holds its handover code
    (when it does not, the caller has the order's owner check the code)."""
    courier_id = _courier_id(actor)
    job = await session.get(DeliveryJob, job_id)
    if job is None or job.courier_id != courier_id:
        raise NotFound("no such job on your route", code="job_not_found")
    return job.order_id, job.handover_code is not None


_DELIVERY_BY_HOUR = text(
    """
    SELECT date_trunc('hour', placed_at) AS hour,
           count(*) AS jobs,
           count(*) FILTER (WHERE status = 'delivered') AS delivered,
           count(*) FILTER (WHERE status = 'delivered' AND delivered_at <= promised_by) AS on_time,
           count(*) FILTER (WHERE status NOT IN ('delivered', 'cancelled') AND promised_by < :now)
             AS late_open,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - placed_at) / 60)
             FILTER (WHERE status = 'delivered') AS p50_minutes,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - placed_at) / 60)
             FILTER (WHERE status = 'delivered') AS p90_minutes
      FROM dispatch_jobs
     WHERE placed_at >= :since
     GROUP BY 1
     ORDER BY 1
    """
)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def fleet_figures(session: AsyncSession, actor: Actor, *, hours: int = 24) -> dict[str, Any]:
    """For operators: deliveries on time by hour (a job is late once its promise has passed
    undelivered), couriers online / busy / idle now, jobs waiting for a courier, and the zones
    with the most waiting work."""
    if not actor.has("operator"):
        raise PermissionDenied("operators only")
    now = clock.now()
    since = now - timedelta(hours=hours)
    rows = (await session.execute(_DELIVERY_BY_HOUR, {"since": since, "now": now})).all()
    by_hour = [
        {
            "hour": r.hour.isoformat(),
            "jobs": r.jobs,
            "delivered": r.delivered,
            "on_time": r.on_time,
            "late": r.delivered - r.on_time + r.late_open,
            "cancelled": r.cancelled,
            "on_time_rate": _share(r.on_time, r.delivered + r.late_open),
            "p50_minutes": None if r.p50_minutes is None else round(float(r.p50_minutes), 1),
            "p90_minutes": None if r.p90_minutes is None else round(float(r.p90_minutes), 1),
        }
        for r in rows
    ]
    on_time = sum(h["on_time"] for h in by_hour)
    decided = sum(h["on_time"] + h["late"] for h in by_hour)
    online = (
        await session.execute(
            select(Courier.user_id, Courier.lat, Courier.lng, Courier.zone).where(
                Courier.status == CourierStatus.ONLINE, Courier.shift_ends_at > now
            )
        )
    ).all()
    carrying = set(
        (
            await session.scalars(
                select(DeliveryJob.courier_id)
                .where(
                    DeliveryJob.status.in_(ON_ROUTE), DeliveryJob.courier_id.in_([c.user_id for c in online])
                )
                .distinct()
            )
        ).all()
    )
    busy = len(carrying)
    open_jobs = (
        await session.execute(
            select(
                DeliveryJob.pharmacy_lat,
                DeliveryJob.pharmacy_lng,
                DeliveryJob.status,
                DeliveryJob.promised_by,
            )
            .where(DeliveryJob.status.in_(ACTIVE_JOB))
            .order_by(DeliveryJob.promised_by)
            .limit(MAP_POINTS)
        )
    ).all()
    waiting = (
        await session.execute(
            select(DeliveryJob.zone, func.count(), func.min(DeliveryJob.placed_at))
            .where(DeliveryJob.status.in_((JobStatus.OPEN, JobStatus.OFFERED)))
            .group_by(DeliveryJob.zone)
        )
    ).all()
    supply = Counter(c.zone for c in online)
    at_risk = await session.scalar(
        select(func.count())
        .select_from(DeliveryJob)
        .where(
            DeliveryJob.status.in_(ACTIVE_JOB),
            or_(
                DeliveryJob.promised_by < now,
                and_(DeliveryJob.eta_dropoff.is_not(None), DeliveryJob.eta_dropoff > DeliveryJob.promised_by),
            ),
        )
    )
    zones = [
        {
            "zone": zone,
            "waiting": count,
            "oldest_wait_minutes": round((now - oldest).total_seconds() / 60, 1),
            "couriers_online": int(supply.get(zone, 0)),
        }
        for zone, count, oldest in sorted(waiting, key=lambda row: (-row[1], row[0]))
    ]
    return {
        "hours": hours,
        "on_time_rate": _share(on_time, decided),
        "delivered": sum(h["delivered"] for h in by_hour),
        "couriers_online": len(online),
        "couriers_busy": busy,
        "couriers_idle": len(online) - busy,
        "jobs_waiting": sum(row[1] for row in waiting),
        "jobs_at_risk": int(at_risk or 0),
        "by_hour": by_hour,
        "zones": zones[:20],
        "map": {  # for the operator's live map: at most MAP_POINTS of each
            "couriers": [
                {"lat": c.lat, "lng": c.lng, "busy": c.user_id in carrying}
                for c in online[:MAP_POINTS]
                if c.lat is not None and c.lng is not None
            ],
            "jobs": [
                {
                    "lat": j.pharmacy_lat,
                    "lng": j.pharmacy_lng,
                    "status": j.status,
                    "late": j.promised_by < now,
                }
                for j in open_jobs
            ],
        },
    }
