"""One dispatch round for one zone: housekeeping, a snapshot, the shared engine, offers.

The round runs in one transaction (a worker killed mid-round leaves nothing half done) and
takes every row it changes with ``FOR UPDATE SKIP LOCKED`` so a courier answering an offer at
the same moment is never overwritten; what is skipped is looked at again next round.

1. offers past ``expires_at`` expire; their jobs return to ``open``, that courier excluded;
2. online couriers silent for ``silent_seconds`` or past their shift end go offline and their
   jobs not yet picked up return to ``open``;
3. every busy courier's route is re-timed from its latest position (ETAs pushed); a job whose
   pickup slipped more than ``behind_minutes`` past the plan returns to ``open``;
4. open jobs of the zone and free-enough couriers of the zone and its neighbours become an
   engine ``Snapshot`` (minutes from now, metres around the zone centre); ``plan_round``
   answers; each assignment becomes a timed offer.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import h3
from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.dispatch.engine import Assignment, CourierState, OpenOrder, Snapshot, plan_round
from medrush.dispatch.live.actions import (
    _end_offer,
    _take_offline,
    refresh_route,
    release_job,
    route_jobs,
    routes_of,
)
from medrush.dispatch.live.enums import ON_ROUTE, CourierStatus, JobStatus, OfferStatus
from medrush.dispatch.live.geo import CityTravel, Projection
from medrush.dispatch.live.locations import latest_positions
from medrush.dispatch.live.params import LiveParams
from medrush.dispatch.live.publish import queue_message
from medrush.dispatch.live.route import plan_route
from medrush.dispatch.models import Courier, DeliveryJob, Offer
from medrush.kernel import clock
from medrush.kernel.geo import ring_cells
from medrush.kernel.ids import new_id

__all__ = ["MAX_OPEN_JOBS", "RoundReport", "active_zones", "run_round", "serving_zones"]

MAX_OPEN_JOBS = 2000
EXCLUSION_PASSES = 3


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What one round did in one zone."""

    zone: str
    expired: int
    released: int
    open_jobs: int
    couriers: int
    offers: int
    millis: float


def serving_zones(zone: str) -> list[str]:
    """Zones whose couriers may serve a zone's jobs: the zone and its six neighbours.

    Couriers near a border are offered work on both sides; a courier row is locked with
    ``SKIP LOCKED`` and must have no pending offer, so two neighbouring leaders never offer the
    same courier twice.
    """
    try:
        return sorted(ring_cells(zone, 1))
    except (ValueError, TypeError, h3.H3BaseException):
        return [zone]


def _minutes(at: datetime, now: datetime) -> float:
    return (at - now).total_seconds() / 60


async def active_zones(session: AsyncSession) -> list[str]:
    """Zones with live work: jobs not finished or couriers online."""
    jobs = select(DeliveryJob.zone).where(
        DeliveryJob.status.in_((JobStatus.OPEN, JobStatus.OFFERED, JobStatus.ASSIGNED))
    )
    couriers = select(Courier.zone).where(Courier.status == CourierStatus.ONLINE, Courier.zone.is_not(None))
    rows = (await session.execute(jobs.union(couriers))).scalars().all()
    return sorted(str(z) for z in rows if z)


async def _expire_offers(session: AsyncSession, zone: str, now: datetime) -> int:
    offers = (
        await session.scalars(
            select(Offer)
            .where(Offer.zone == zone, Offer.status == OfferStatus.PENDING, Offer.expires_at <= now)
            .order_by(Offer.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    for offer in offers:
        await _end_offer(session, offer, OfferStatus.EXPIRED, "timeout", exclude=True)
    return len(offers)


async def _drop_absent(session: AsyncSession, zone: str, now: datetime, params: LiveParams) -> int:
    silent_since = now - timedelta(seconds=params.silent_seconds)
    last_seen = func.coalesce(Courier.location_at, Courier.shift_started_at)
    couriers = (
        await session.scalars(
            select(Courier)
            .where(
                Courier.zone == zone,
                Courier.status == CourierStatus.ONLINE,
                or_(last_seen < silent_since, Courier.shift_ends_at <= now, Courier.shift_ends_at.is_(None)),
            )
            .order_by(Courier.user_id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    fresh = await latest_positions(c.user_id for c in couriers)
    released = 0
    for courier in couriers:
        ended = courier.shift_ends_at is None or courier.shift_ends_at <= now
        seen = fresh.get(courier.user_id)
        if not ended and seen is not None and seen.at >= silent_since:
            continue  # pinging through Redis; the row is just not refreshed yet
        released += len(await _take_offline(session, courier, "shift_ended" if ended else "silent"))
    return released


async def _retime_busy(session: AsyncSession, zone: str, now: datetime, params: LiveParams) -> int:
    busy = select(DeliveryJob.courier_id).where(
        DeliveryJob.zone == zone,
        DeliveryJob.status.in_(ON_ROUTE),
        DeliveryJob.courier_id == Courier.user_id,
    )
    couriers = (
        await session.scalars(
            select(Courier).where(exists(busy)).order_by(Courier.user_id).with_for_update(skip_locked=True)
        )
    ).all()
    fresh = await latest_positions(c.user_id for c in couriers)
    released = 0
    late = timedelta(minutes=params.behind_minutes)
    for courier in couriers:
        seen = fresh.get(courier.user_id)
        lat, lng = (seen.lat, seen.lng) if seen is not None else (courier.lat, courier.lng)
        jobs = await refresh_route(session, courier, params, lat=lat, lng=lng)
        for job in jobs:
            behind = (
                job.status == JobStatus.ASSIGNED
                and job.zone == zone
                and job.planned_pickup is not None
                and job.eta_pickup is not None
                and job.eta_pickup > job.planned_pickup + late
            )
            if behind:
                await release_job(session, job, "behind")
                released += 1
    return released


def _plan(
    snapshot: Snapshot,
    travel: CityTravel,
    params: LiveParams,
    excluded: dict[str, set[str]],
) -> list[Assignment]:
    """Engine assignments, none pairing a job with a courier it excludes.

    The engine knows no per-pair exclusions, so a pass that pairs an excluded courier drops
    that courier and plans the rest again (at most ``EXCLUSION_PASSES`` passes).
    """
    out: list[Assignment] = []
    orders = list(snapshot.orders)
    couriers = list(snapshot.couriers)
    for _ in range(EXCLUSION_PASSES):
        if not orders or not couriers:
            break
        snap = Snapshot(now=snapshot.now, orders=tuple(orders), couriers=tuple(couriers))
        assignments = plan_round(snap, travel, params.policy, params.engine)  # type: ignore[arg-type]
        refused: set[str] = set()
        for a in assignments:
            if any(a.courier_id in excluded.get(o, ()) for o in a.order_ids):
                refused.add(a.courier_id)
            else:
                out.append(a)
        if not refused:
            break
        used_orders = {o for a in out for o in a.order_ids}
        used_couriers = {a.courier_id for a in out} | refused
        orders = [o for o in orders if o.id not in used_orders]
        couriers = [c for c in couriers if c.id not in used_couriers]
    return out


async def _snapshot(
    session: AsyncSession, zone: str, now: datetime, params: LiveParams
) -> tuple[list[DeliveryJob], list[Courier], Snapshot, Projection]:
    jobs = list(
        (
            await session.scalars(
                select(DeliveryJob)
                .where(DeliveryJob.zone == zone, DeliveryJob.status == JobStatus.OPEN)
                .order_by(DeliveryJob.ready_at, DeliveryJob.id)
                .limit(MAX_OPEN_JOBS)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    pending = select(Offer.id).where(
        and_(Offer.courier_id == Courier.user_id, Offer.status == OfferStatus.PENDING)
    )
    couriers: list[Courier] = []
    if jobs:
        couriers = list(
            (
                await session.scalars(
                    select(Courier)
                    .where(
                        Courier.zone.in_(serving_zones(zone)),
                        Courier.status == CourierStatus.ONLINE,
                        Courier.shift_ends_at > now,
                        Courier.lat.is_not(None),
                        ~exists(pending),
                    )
                    .order_by(Courier.user_id)
                    .with_for_update(skip_locked=True)
                )
            ).all()
        )
    projection = Projection.for_zone(zone)
    travel = CityTravel(params.city_speed, params.detour)
    fresh = await latest_positions(c.user_id for c in couriers)
    busy = await routes_of(session, (c.user_id for c in couriers))
    states: list[CourierState] = []
    for c in couriers:
        seen = fresh.get(c.user_id)
        lat, lng = (seen.lat, seen.lng) if seen is not None else (c.lat, c.lng)
        assert lat is not None and lng is not None
        free_at, end_lat, end_lng = now, lat, lng
        if c.user_id in busy:
            stops = plan_route(
                lat,
                lng,
                now,
                route_jobs(busy[c.user_id]),
                travel,
                pickup_service=params.engine.pickup_service,
                dropoff_service=params.engine.dropoff_service,
            )
            last = stops[-1]
            free_at = last.at + timedelta(minutes=params.engine.dropoff_service / 2)
            end_lat, end_lng = last.lat, last.lng
        assert c.shift_ends_at is not None
        states.append(
            CourierState(
                id=str(c.user_id),
                xy=projection.xy(end_lat, end_lng),
                free_at=_minutes(free_at, now),
                shift_end=_minutes(c.shift_ends_at, now),
            )
        )
    orders = [
        OpenOrder(
            id=str(j.id),
            pickup_id=str(j.pharmacy_id),
            pickup_xy=projection.xy(j.pharmacy_lat, j.pharmacy_lng),
            dropoff_xy=projection.xy(j.dropoff_lat, j.dropoff_lng),
            placed_at=_minutes(j.placed_at, now),
            ready_at=_minutes(j.ready_at, now),
            deadline=_minutes(j.promised_by, now),
        )
        for j in jobs
    ]
    return jobs, couriers, Snapshot(now=0.0, orders=tuple(orders), couriers=tuple(states)), projection


def _stop_json(stop: Any, now: datetime) -> dict[str, Any]:
    return {
        "kind": stop.kind,
        "job_ids": list(stop.order_ids),
        "at": (now + timedelta(minutes=stop.service_at)).isoformat(),
    }


async def run_round(session: AsyncSession, zone: str, params: LiveParams | None = None) -> RoundReport:
    """Run one round for ``zone`` in the session's transaction (the caller must lead the zone)."""
    p = params or LiveParams()
    started = time.perf_counter()
    now = clock.now()
    expired = await _expire_offers(session, zone, now)
    released = await _drop_absent(session, zone, now, p)
    released += await _retime_busy(session, zone, now, p)
    await session.flush()
    jobs, couriers, snapshot, _projection = await _snapshot(session, zone, now, p)
    offers = 0
    if jobs and couriers:
        excluded = {str(j.id): set(j.excluded_couriers) for j in jobs}
        assignments = _plan(snapshot, CityTravel(p.city_speed, p.detour), p, excluded)
        by_id = {str(j.id): j for j in jobs}
        expires = now + timedelta(seconds=p.offer_seconds)
        rows: list[dict[str, Any]] = []
        for a in assignments:
            offer_id = new_id()
            plan = [_stop_json(s, now) for s in a.stops]
            rows.append(
                {
                    "id": offer_id,
                    "courier_id": uuid.UUID(a.courier_id),
                    "zone": zone,
                    "job_ids": list(a.order_ids),
                    "plan": plan,
                    "status": OfferStatus.PENDING,
                    "created_at": now,
                    "expires_at": expires,
                }
            )
            for job_id in a.order_ids:
                job = by_id[job_id]
                job.status = JobStatus.OFFERED
                job.offer_id = offer_id
                job.offers_made += 1
            queue_message(
                session,
                f"courier:{a.courier_id}",
                {
                    "type": "offer",
                    "offer_id": str(offer_id),
                    "job_ids": list(a.order_ids),
                    "expires_at": expires.isoformat(),
                    "plan": plan,
                },
            )
        if rows:
            await session.execute(insert(Offer), rows)  # one multi-row INSERT, not one per offer
        offers = len(rows)
    return RoundReport(
        zone=zone,
        expired=expired,
        released=released,
        open_jobs=len(jobs),
        couriers=len(couriers),
        offers=offers,
        millis=round((time.perf_counter() - started) * 1000, 1),
    )
