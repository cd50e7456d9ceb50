"""Writes of live dispatch: shifts, presence, positions, answers to offers, pickup and drop-off.

Every write locks the rows it changes (``SELECT ... FOR UPDATE``; order: courier, offer, jobs)
so a courier's answer and the zone leader's round never both win. Events for other domains go
through the outbox; live messages are queued on the session and sent after commit
(``publish.send_queued``).

Events emitted (payload keys; times ISO 8601 UTC):

- ``dispatch.courier_assigned``: order_id, courier_id, job_id, pharmacy_id, eta_pickup, eta_dropoff
- ``dispatch.courier_released``: order_id, courier_id, job_id, reason (the order is re-dispatched)
- ``dispatch.picked_up``: order_id, courier_id, job_id, at
- ``dispatch.delivered``: order_id, courier_id, job_id, at, lat, lng
- ``dispatch.eta_changed``: order_id, courier_id, eta_pickup, eta_dropoff
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import Actor
from medrush.dispatch.live.enums import ON_ROUTE, CourierStatus, JobStatus, OfferStatus, Vehicle
from medrush.dispatch.live.geo import CityTravel, zone_of
from medrush.dispatch.live.locations import DB_REFRESH_SECONDS, Position, remember_position
from medrush.dispatch.live.params import VEHICLE_SPEED, LiveParams
from medrush.dispatch.live.publish import queue_message
from medrush.dispatch.live.route import RouteJob, plan_route
from medrush.dispatch.models import Courier, DeliveryJob, Offer, Shift, ShiftPause
from medrush.kernel import clock
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from medrush.kernel.events import emit
from medrush.kernel.geo import cell_of, haversine_m
from medrush.kernel.i18n import N_

__all__ = [
    "accept_offer",
    "cancel_job",
    "close_lapsed_pauses",
    "close_shift",
    "confirm_dropoff",
    "confirm_pickup",
    "decline_offer",
    "end_shift",
    "go_offline",
    "go_online",
    "mark_delivered_by_order",
    "mark_picked_up_by_order",
    "open_job",
    "open_shift",
    "record_location",
    "refresh_route",
    "release_job",
    "start_shift",
]

DEFAULT = LiveParams()
MIN_SHIFT_MINUTES = 15
MAX_HANDOVER_ATTEMPTS = 5
MAX_SHIFT_MINUTES = 12 * 60


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def check_coordinates(lat: float, lng: float) -> None:
    """Refuse positions that are not on Earth."""
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lng <= 180.0):
        raise InvalidInput("lat must be within -90..90 and lng within -180..180", code="bad_position")


def _courier_id(actor: Actor) -> uuid.UUID:
    if actor.user_id is None or not actor.has("courier"):
        raise PermissionDenied("only couriers may do this", code="not_a_courier")
    return actor.user_id


async def _locked_courier(session: AsyncSession, courier_id: uuid.UUID, *, create: bool = False) -> Courier:
    if create:
        await session.execute(
            insert(Courier)
            .values(user_id=courier_id, vehicle=Vehicle.BICYCLE, status=CourierStatus.OFFLINE)
            .on_conflict_do_nothing()
        )
    courier = (
        await session.scalars(
            select(Courier)
            .where(Courier.user_id == courier_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()
    if courier is None:
        raise NotFound("start a shift first", code="no_courier_profile")
    return courier


def _travel(courier: Courier | None, params: LiveParams) -> CityTravel:
    speed = (
        VEHICLE_SPEED.get(courier.vehicle, params.city_speed) if courier is not None else params.city_speed
    )
    return CityTravel(speed, params.detour)


# ---------------------------------------------------------------- shifts and presence


async def start_shift(
    session: AsyncSession,
    actor: Actor,
    *,
    minutes: int,
    vehicle: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
) -> Courier:
    """Begin a shift of ``minutes`` and go online (creates the courier's dispatch profile)."""
    courier_id = _courier_id(actor)
    if not MIN_SHIFT_MINUTES <= minutes <= MAX_SHIFT_MINUTES:
        raise InvalidInput(
            "a shift lasts {min_shift_minutes} to {max_shift_minutes} minutes",
            code="bad_shift_length",
            min_shift_minutes=MIN_SHIFT_MINUTES,
            max_shift_minutes=MAX_SHIFT_MINUTES,
        )
    if vehicle is not None and vehicle not in set(Vehicle):
        raise InvalidInput(
            "vehicle must be one of {vehicles}", code="bad_vehicle", vehicles=", ".join(Vehicle)
        )
    if (lat is None) != (lng is None):
        raise InvalidInput("give both lat and lng, or neither", code="bad_position")
    if lat is not None and lng is not None:
        check_coordinates(lat, lng)
    courier = await _locked_courier(session, courier_id, create=True)
    now = clock.now()
    await open_shift(session, courier, now, now + timedelta(minutes=minutes))
    if vehicle is not None:
        courier.vehicle = vehicle
    courier.status = CourierStatus.ONLINE
    courier.offline_reason = None
    courier.updated_at = now
    if lat is not None and lng is not None:
        _set_position(courier, lat, lng, now)
    return courier


async def end_shift(session: AsyncSession, actor: Actor) -> Courier:
    """End the shift: offline, offers withdrawn, jobs not yet picked up re-dispatched."""
    courier = await _locked_courier(session, _courier_id(actor))
    await _take_offline(session, courier, "shift_ended")
    await close_shift(session, courier, clock.now())
    return courier


async def open_shift(
    session: AsyncSession, courier: Courier, started_at: datetime, ends_at: datetime
) -> Shift:
    """The one way a shift begins: the courier's row gets it as its current shift and the history
    (``dispatch_shifts``) a row, after the shift still open at ``started_at`` (if any) and a pause
    still open (of it or of an earlier shift) are closed there, so a courier's shifts never overlap.
    ``courier`` is locked by the caller (or new)."""
    await _close_pause(session, courier.user_id, started_at)
    await _close_open_shifts(session, courier.user_id, started_at)
    courier.shift_started_at = started_at
    courier.shift_ends_at = ends_at
    shift = Shift(courier_id=courier.user_id, started_at=started_at, ended_at=ends_at)
    session.add(shift)
    return shift


async def close_shift(session: AsyncSession, courier: Courier, at: datetime) -> None:
    """End the courier's shift at ``at``: on its row and in the history (the shift open then ends
    there; a shift that already ended keeps its end), and a pause still open ends there too."""
    await _close_pause(session, courier.user_id, at)
    await _close_open_shifts(session, courier.user_id, at)
    courier.shift_ends_at = at


async def _close_open_shifts(session: AsyncSession, courier_id: uuid.UUID, at: datetime) -> None:
    # a shift that began at ``at`` never ran: it leaves no history row
    await session.execute(
        delete(Shift).where(Shift.courier_id == courier_id, Shift.started_at == at, Shift.ended_at > at)
    )
    await session.execute(
        update(Shift)
        .where(Shift.courier_id == courier_id, Shift.started_at <= at, Shift.ended_at > at)
        .values(ended_at=at)
    )


async def _open_pause(session: AsyncSession, courier_id: uuid.UUID, at: datetime) -> None:
    """Record that the courier went offline at ``at`` within the shift open then (``dispatch_shift_pauses``);
    nothing when no shift is open or a pause already is."""
    shift_id = await session.scalar(
        select(Shift.id).where(Shift.courier_id == courier_id, Shift.started_at <= at, Shift.ended_at > at)
    )
    if shift_id is None:
        return
    paused = await session.scalar(
        select(ShiftPause.id).where(ShiftPause.courier_id == courier_id, ShiftPause.ended_at.is_(None))
    )
    if paused is None:
        session.add(ShiftPause(courier_id=courier_id, shift_id=shift_id, started_at=at))


async def _close_pause(session: AsyncSession, courier_id: uuid.UUID, at: datetime) -> None:
    """End the courier's open pause (if any) at ``at``: it went online, or its shift was closed or
    replaced. A pause whose shift ran out before ``at`` (not swept yet by ``close_lapsed_pauses``)
    ends at that shift's end instead: the courier was off shift, not paused, after it."""
    await session.execute(
        update(ShiftPause)
        .where(
            ShiftPause.courier_id == courier_id,
            ShiftPause.ended_at.is_(None),
            Shift.id == ShiftPause.shift_id,
        )
        .values(ended_at=func.greatest(ShiftPause.started_at, func.least(Shift.ended_at, at)))
        .execution_options(synchronize_session=False)
    )


async def close_lapsed_pauses(session: AsyncSession, now: datetime | None = None) -> int:
    """End every pause still open whose shift ran out by ``now`` (its planned end passed without
    ``end_shift``) at that shift's end, so an open pause is always one of a shift still running;
    returns how many ended. The dispatch loop calls it every tick. A pause a courier action holds
    locked (going online, a new shift) is skipped: that action ends it the same way."""
    now = now or clock.now()
    lapsed = (
        select(ShiftPause.id)
        .join(Shift, Shift.id == ShiftPause.shift_id)
        .where(ShiftPause.ended_at.is_(None), Shift.ended_at <= now)
        .with_for_update(of=ShiftPause, skip_locked=True)
    )
    ended = await session.execute(
        update(ShiftPause)
        .where(ShiftPause.id.in_(lapsed.scalar_subquery()), Shift.id == ShiftPause.shift_id)
        .values(ended_at=func.greatest(ShiftPause.started_at, Shift.ended_at))
        .execution_options(synchronize_session=False)
    )
    return int(ended.rowcount or 0)  # type: ignore[attr-defined]


async def go_online(session: AsyncSession, actor: Actor) -> Courier:
    """Take work again during the current shift (its pause, if any, ends)."""
    courier = await _locked_courier(session, _courier_id(actor))
    now = clock.now()
    if courier.shift_ends_at is None or courier.shift_ends_at <= now:
        raise Conflict("start a shift first", code="no_shift")
    await _close_pause(session, courier.user_id, now)
    courier.status = CourierStatus.ONLINE
    courier.offline_reason = None
    courier.updated_at = now
    return courier


async def go_offline(session: AsyncSession, actor: Actor) -> Courier:
    """Stop taking work; jobs not yet picked up go back to dispatch at once."""
    courier = await _locked_courier(session, _courier_id(actor))
    await _take_offline(session, courier, "went_offline")
    return courier


async def _take_offline(session: AsyncSession, courier: Courier, reason: str) -> list[DeliveryJob]:
    """Mark a locked courier offline; withdraw its offers and release its un-picked jobs. Unless
    its shift is ending (``shift_ended``), a pause of the shift open now begins."""
    now = clock.now()
    courier.status = CourierStatus.OFFLINE
    courier.offline_reason = reason
    courier.updated_at = now
    if reason != "shift_ended":
        await _open_pause(session, courier.user_id, now)
    offers = (
        await session.scalars(
            select(Offer)
            .where(Offer.courier_id == courier.user_id, Offer.status == OfferStatus.PENDING)
            .with_for_update()
        )
    ).all()
    for offer in offers:
        await _end_offer(session, offer, OfferStatus.WITHDRAWN, reason, exclude=False)
    jobs = (
        await session.scalars(
            select(DeliveryJob)
            .where(DeliveryJob.courier_id == courier.user_id, DeliveryJob.status == JobStatus.ASSIGNED)
            .order_by(DeliveryJob.id)
            .with_for_update()
        )
    ).all()
    for job in jobs:
        await release_job(session, job, reason)
    return list(jobs)


# ---------------------------------------------------------------- positions


def _set_position(courier: Courier, lat: float, lng: float, at: datetime) -> None:
    check_coordinates(lat, lng)
    courier.lat, courier.lng = lat, lng
    courier.cell = cell_of(lat, lng, 9)
    courier.zone = zone_of(lat, lng)
    courier.location_at = at


async def record_location(
    session: AsyncSession, actor: Actor, lat: float, lng: float, params: LiveParams = DEFAULT
) -> Courier:
    """A location ping: stored, and the courier's customers see the courier move and the new ETA."""
    check_coordinates(lat, lng)
    courier_id = _courier_id(actor)
    now = clock.now()
    in_redis = await remember_position(courier_id, Position(lat, lng, now))
    courier = await session.get(Courier, courier_id)
    if courier is None:
        raise NotFound("start a shift first", code="no_courier_profile")
    stale = courier.location_at is None or (now - courier.location_at).total_seconds() >= DB_REFRESH_SECONDS
    if not in_redis or stale or courier.zone != zone_of(lat, lng):
        courier = await _locked_courier(session, courier_id)  # the row is written: lock it
        _set_position(courier, lat, lng, now)
    await refresh_route(session, courier, params, lat=lat, lng=lng, push_position=True)
    return courier


async def routes_of(
    session: AsyncSession, courier_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[DeliveryJob]]:
    """The jobs each courier holds (assigned or picked up) in route order; couriers holding none
    are absent."""
    ids = list(courier_ids)
    if not ids:
        return {}
    rows = await session.scalars(
        select(DeliveryJob)
        .where(DeliveryJob.courier_id.in_(ids), DeliveryJob.status.in_(ON_ROUTE))
        .order_by(DeliveryJob.courier_id, DeliveryJob.route_seq, DeliveryJob.id)
    )
    routes: dict[uuid.UUID, list[DeliveryJob]] = {}
    for row in rows:
        assert row.courier_id is not None
        routes.setdefault(row.courier_id, []).append(row)
    return routes


async def route_of(session: AsyncSession, courier_id: uuid.UUID) -> list[DeliveryJob]:
    """The jobs one courier holds, in route order."""
    return (await routes_of(session, [courier_id])).get(courier_id, [])


def route_jobs(jobs: Sequence[DeliveryJob]) -> list[RouteJob]:
    """Jobs as the route planner sees them."""
    return [
        RouteJob(
            id=j.id,
            offer_id=j.offer_id,
            seq=j.route_seq or 0,
            picked_up=j.status == JobStatus.PICKED_UP,
            pharmacy_lat=j.pharmacy_lat,
            pharmacy_lng=j.pharmacy_lng,
            dropoff_lat=j.dropoff_lat,
            dropoff_lng=j.dropoff_lng,
            ready_at=j.ready_at,
        )
        for j in jobs
    ]


async def refresh_route(
    session: AsyncSession,
    courier: Courier,
    params: LiveParams = DEFAULT,
    *,
    lat: float | None = None,
    lng: float | None = None,
    push_position: bool = False,
    force_push: bool = False,
) -> list[DeliveryJob]:
    """Re-time the courier's remaining route; push new ETAs to the tracking map and the pharmacy."""
    jobs = await route_of(session, courier.user_id)
    here_lat = lat if lat is not None else courier.lat
    here_lng = lng if lng is not None else courier.lng
    if not jobs or here_lat is None or here_lng is None:
        return jobs
    now = clock.now()
    stops = plan_route(
        here_lat,
        here_lng,
        now,
        route_jobs(jobs),
        _travel(courier, params),
        pickup_service=params.engine.pickup_service,
        dropoff_service=params.engine.dropoff_service,
    )
    pickup_at: dict[uuid.UUID, datetime] = {}
    drop_at: dict[uuid.UUID, datetime] = {}
    for stop in stops:
        for job_id in stop.job_ids:
            (pickup_at if stop.kind == "pickup" else drop_at)[job_id] = stop.at
    for job in jobs:
        new_drop = drop_at.get(job.id)
        new_pick = pickup_at.get(job.id, job.eta_pickup)
        moved = (
            job.eta_dropoff is None
            or new_drop is None
            or abs((new_drop - job.eta_dropoff).total_seconds()) >= params.eta_push_minutes * 60
        )
        if moved and new_drop is not None:
            first = job.eta_dropoff is None  # the first ETA travels in dispatch.courier_assigned
            job.eta_pickup, job.eta_dropoff = new_pick, new_drop
            if not first:
                await emit(
                    session,
                    "dispatch.eta_changed",
                    {
                        "order_id": str(job.order_id),
                        "courier_id": str(courier.user_id),
                        "eta_pickup": _iso(job.eta_pickup),
                        "eta_dropoff": _iso(job.eta_dropoff),
                    },
                )
        if moved or force_push:
            _push_eta(session, job, courier)
        if push_position:
            queue_message(
                session,
                f"order:{job.order_id}",
                {
                    "type": "courier_position",
                    "order_id": str(job.order_id),
                    "lat": here_lat,
                    "lng": here_lng,
                    "eta_dropoff": _iso(new_drop),
                },
            )
    return jobs


def _push_eta(session: AsyncSession, job: DeliveryJob, courier: Courier | None) -> None:
    message: dict[str, Any] = {
        "type": "eta",
        "order_id": str(job.order_id),
        "status": job.status,
        "courier_id": str(job.courier_id) if job.courier_id else None,
        "eta_pickup": _iso(job.eta_pickup),
        "eta_dropoff": _iso(job.eta_dropoff),
    }
    if courier is not None and courier.lat is not None:
        message["courier_lat"], message["courier_lng"] = courier.lat, courier.lng
    queue_message(session, f"order:{job.order_id}", message)
    queue_message(session, f"pharmacy:{job.pharmacy_id}", {**message, "pharmacy_id": str(job.pharmacy_id)})


# ---------------------------------------------------------------- offers


async def _offer_of(session: AsyncSession, courier_id: uuid.UUID, offer_id: uuid.UUID) -> Offer:
    offer = (await session.scalars(select(Offer).where(Offer.id == offer_id).with_for_update())).first()
    if offer is None or offer.courier_id != courier_id:
        raise NotFound("no such offer", code="offer_not_found")
    if offer.status != OfferStatus.PENDING:
        raise Conflict("this offer is already {status}", code="offer_closed", status=offer.status)
    if offer.expires_at <= clock.now():
        raise Conflict("this offer has expired", code="offer_expired")
    return offer


async def _offer_jobs(session: AsyncSession, offer: Offer) -> list[DeliveryJob]:
    ids = [uuid.UUID(j) for j in offer.job_ids]
    stmt = select(DeliveryJob).where(DeliveryJob.id.in_(ids)).order_by(DeliveryJob.id).with_for_update()
    return list((await session.scalars(stmt)).all())


async def accept_offer(
    session: AsyncSession, actor: Actor, offer_id: uuid.UUID, params: LiveParams = DEFAULT
) -> list[DeliveryJob]:
    """The courier takes the offered bundle: its jobs join the end of the courier's route."""
    courier = await _locked_courier(session, _courier_id(actor))
    if courier.status != CourierStatus.ONLINE:
        raise Conflict("go online first", code="courier_offline")
    offer = await _offer_of(session, courier.user_id, offer_id)
    jobs = await _offer_jobs(session, offer)
    taken = [j for j in jobs if j.status != JobStatus.OFFERED or j.offer_id != offer.id]
    if taken or not jobs:
        raise Conflict("this offer is no longer valid", code="offer_closed")
    now = clock.now()
    offer.status = OfferStatus.ACCEPTED
    offer.responded_at = now
    last = await session.scalar(
        select(func.max(DeliveryJob.route_seq)).where(
            DeliveryJob.courier_id == courier.user_id,
            DeliveryJob.status.in_(ON_ROUTE),
        )
    )
    order = {job_id: i for i, job_id in enumerate(offer.job_ids)}
    jobs.sort(key=lambda j: order.get(str(j.id), 0))
    for i, job in enumerate(jobs, start=(last or 0) + 1):
        job.status = JobStatus.ASSIGNED
        job.courier_id = courier.user_id
        job.route_seq = i
        job.assigned_at = now
        job.eta_dropoff = None
    await session.flush()
    await refresh_route(session, courier, params)
    for job in jobs:
        job.planned_pickup = job.eta_pickup
        await emit(
            session,
            "dispatch.courier_assigned",
            {
                "order_id": str(job.order_id),
                "courier_id": str(courier.user_id),
                "job_id": str(job.id),
                "pharmacy_id": str(job.pharmacy_id),
                "eta_pickup": _iso(job.eta_pickup),
                "eta_dropoff": _iso(job.eta_dropoff),
            },
        )
    return jobs


async def decline_offer(
    session: AsyncSession, actor: Actor, offer_id: uuid.UUID, reason: str | None = None
) -> Offer:
    """The courier says no: the jobs go back to dispatch, never to be offered to this courier again."""
    courier_id = _courier_id(actor)
    if reason is not None and len(reason) > 40:
        raise InvalidInput("reason is at most 40 characters", code="bad_reason")
    offer = await _offer_of(session, courier_id, offer_id)
    await _end_offer(session, offer, OfferStatus.DECLINED, reason or "declined", exclude=True)
    return offer


async def _end_offer(
    session: AsyncSession, offer: Offer, status: OfferStatus, reason: str, *, exclude: bool
) -> None:
    """Close a locked pending offer; its jobs return to ``open`` (excluding the courier if asked)."""
    offer.status = status
    offer.responded_at = clock.now()
    offer.reason = reason[:40]
    for job in await _offer_jobs(session, offer):
        if job.status != JobStatus.OFFERED or job.offer_id != offer.id:
            continue
        job.status = JobStatus.OPEN
        job.offer_id = None
        if exclude and str(offer.courier_id) not in job.excluded_couriers:
            job.excluded_couriers = [*job.excluded_couriers, str(offer.courier_id)]
    queue_message(
        session,
        f"courier:{offer.courier_id}",
        {"type": "offer_closed", "offer_id": str(offer.id), "status": str(status), "reason": reason},
    )


async def release_job(session: AsyncSession, job: DeliveryJob, reason: str) -> None:
    """Take a locked, assigned (not picked-up) job back from its courier for re-dispatch."""
    courier_id = job.courier_id
    job.status = JobStatus.OPEN
    job.courier_id = None
    job.offer_id = None
    job.route_seq = None
    job.planned_pickup = job.eta_pickup = job.eta_dropoff = None
    job.note = reason
    if courier_id is not None and str(courier_id) not in job.excluded_couriers:
        job.excluded_couriers = [*job.excluded_couriers, str(courier_id)]
    await emit(
        session,
        "dispatch.courier_released",
        {
            "order_id": str(job.order_id),
            "courier_id": str(courier_id) if courier_id else None,
            "job_id": str(job.id),
            "reason": reason,
        },
    )
    _push_eta(session, job, None)
    if courier_id is not None:
        queue_message(
            session,
            f"courier:{courier_id}",
            {"type": "job_released", "job_id": str(job.id), "reason": reason},
        )


# ---------------------------------------------------------------- pickup and drop-off


async def _courier_job(session: AsyncSession, actor: Actor, job_id: uuid.UUID) -> DeliveryJob:
    courier_id = _courier_id(actor)
    job = (
        await session.scalars(select(DeliveryJob).where(DeliveryJob.id == job_id).with_for_update())
    ).first()
    if job is None or job.courier_id != courier_id:
        raise NotFound("no such job on your route", code="job_not_found")
    return job


_TOO_FAR_FROM_PHARMACY = N_("you are {metres} m from the pharmacy; confirm when you are there")
_TOO_FAR_FROM_CUSTOMER = N_("you are {metres} m from the customer's address; confirm when you are there")


def _near(
    lat: float | None, lng: float | None, to_lat: float, to_lng: float, radius: float, too_far: str
) -> None:
    """Refuse a confirmation made more than ``radius`` metres away; ``too_far`` has a ``{metres}`` field."""
    if lat is None or lng is None:
        return
    check_coordinates(lat, lng)
    distance = haversine_m(lat, lng, to_lat, to_lng)
    if distance > radius:
        raise InvalidInput(too_far, code="too_far", metres=round(distance))


async def confirm_pickup(
    session: AsyncSession,
    actor: Actor,
    job_id: uuid.UUID,
    *,
    lat: float | None = None,
    lng: float | None = None,
    params: LiveParams = DEFAULT,
) -> DeliveryJob:
    """The courier has the parcel (refused when the given position is far from the pharmacy)."""
    courier = await _locked_courier(session, _courier_id(actor))  # courier before job, as rounds do
    job = await _courier_job(session, actor, job_id)
    if job.status == JobStatus.PICKED_UP:
        return job
    if job.status != JobStatus.ASSIGNED:
        raise Conflict(
            "a job that is {status} cannot be picked up", code="illegal_transition", status=job.status
        )
    _near(lat, lng, job.pharmacy_lat, job.pharmacy_lng, params.pickup_radius_m, _TOO_FAR_FROM_PHARMACY)
    now = clock.now()
    job.status = JobStatus.PICKED_UP
    job.picked_up_at = now
    await emit(
        session,
        "dispatch.picked_up",
        {
            "order_id": str(job.order_id),
            "courier_id": str(job.courier_id),
            "job_id": str(job.id),
            "at": _iso(now),
        },
    )
    await refresh_route(session, courier, params, lat=lat, lng=lng, force_push=True)
    return job


async def confirm_dropoff(
    session: AsyncSession,
    actor: Actor,
    job_id: uuid.UUID,
    *,
    code: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    params: LiveParams = DEFAULT,
) -> DeliveryJob | None:
    """The parcel is handed over; the code is checked here when orders shared it in its event.

    A wrong code returns None and counts the attempt (the caller commits it, then tells the
    courier); after ``MAX_HANDOVER_ATTEMPTS`` wrong codes the job refuses further tries.
    """
    job = await _courier_job(session, actor, job_id)
    if job.status == JobStatus.DELIVERED:
        return job
    if job.status != JobStatus.PICKED_UP:
        raise Conflict(
            "a job that is {status} cannot be delivered", code="illegal_transition", status=job.status
        )
    if job.handover_code is not None:
        if job.handover_attempts >= MAX_HANDOVER_ATTEMPTS:
            raise RateLimited("too many wrong codes; call the customer", code="handover_locked")
        if (code or "").strip() != job.handover_code:
            job.handover_attempts += 1
            return None
    _near(lat, lng, job.dropoff_lat, job.dropoff_lng, params.dropoff_radius_m, _TOO_FAR_FROM_CUSTOMER)
    _deliver(session, job)
    await emit(
        session,
        "dispatch.delivered",
        {
            "order_id": str(job.order_id),
            "courier_id": str(job.courier_id),
            "job_id": str(job.id),
            "at": _iso(job.delivered_at),
            "lat": lat,
            "lng": lng,
        },
    )
    return job


def _deliver(session: AsyncSession, job: DeliveryJob) -> None:
    job.status = JobStatus.DELIVERED
    job.delivered_at = clock.now()
    job.eta_dropoff = job.delivered_at
    _push_eta(session, job, None)


# ---------------------------------------------------------------- reactions to orders' events


async def open_job(
    session: AsyncSession,
    *,
    order_id: uuid.UUID,
    pharmacy_id: uuid.UUID,
    pharmacy_lat: float,
    pharmacy_lng: float,
    dropoff_lat: float,
    dropoff_lng: float,
    ready_at: datetime,
    promised_by: datetime,
    placed_at: datetime | None = None,
    handover_code: str | None = None,
) -> bool:
    """A ready order needs a courier; False when the job already existed (events arrive at least once)."""
    for lat, lng in ((pharmacy_lat, pharmacy_lng), (dropoff_lat, dropoff_lng)):
        check_coordinates(lat, lng)
    result = await session.execute(
        insert(DeliveryJob)
        .values(
            order_id=order_id,
            pharmacy_id=pharmacy_id,
            pharmacy_lat=pharmacy_lat,
            pharmacy_lng=pharmacy_lng,
            dropoff_lat=dropoff_lat,
            dropoff_lng=dropoff_lng,
            zone=zone_of(pharmacy_lat, pharmacy_lng),
            placed_at=placed_at or ready_at,
            ready_at=ready_at,
            promised_by=promised_by,
            status=JobStatus.OPEN,
            handover_code=handover_code,
            excluded_couriers=[],
            offers_made=0,
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(DeliveryJob.id)
    )
    return result.first() is not None


async def _job_by_order(session: AsyncSession, order_id: uuid.UUID) -> DeliveryJob | None:
    stmt = select(DeliveryJob).where(DeliveryJob.order_id == order_id).with_for_update()
    return (await session.scalars(stmt)).first()


async def cancel_job(session: AsyncSession, order_id: uuid.UUID) -> bool:
    """The order was cancelled: drop its job (and the offer it was in); True when something changed."""
    # lock order as everywhere else: the offer before its jobs
    offer_id = await session.scalar(select(DeliveryJob.offer_id).where(DeliveryJob.order_id == order_id))
    offer = None
    if offer_id is not None:
        stmt = select(Offer).where(Offer.id == offer_id).with_for_update()
        offer = (await session.scalars(stmt)).first()
    job = await _job_by_order(session, order_id)
    if job is None or job.status in (JobStatus.DELIVERED, JobStatus.CANCELLED):
        return False
    pending = offer is not None and offer.status == OfferStatus.PENDING and job.offer_id == offer.id
    if job.status == JobStatus.OFFERED and offer is not None and pending:
        await _end_offer(session, offer, OfferStatus.WITHDRAWN, "order_cancelled", exclude=False)
    courier_id = job.courier_id
    job.status = JobStatus.CANCELLED
    job.cancelled_at = clock.now()
    if courier_id is not None:
        queue_message(
            session,
            f"courier:{courier_id}",
            {"type": "job_cancelled", "job_id": str(job.id), "order_id": str(order_id)},
        )
    return True


async def mark_picked_up_by_order(session: AsyncSession, order_id: uuid.UUID) -> bool:
    """Orders recorded the pickup itself (the courier used the order's page): follow it."""
    job = await _job_by_order(session, order_id)
    if job is None or job.status != JobStatus.ASSIGNED:
        return False
    job.status = JobStatus.PICKED_UP
    job.picked_up_at = clock.now()
    return True


async def mark_delivered_by_order(session: AsyncSession, order_id: uuid.UUID) -> bool:
    """Orders confirmed the handover: the job is done (no-op when dispatch already knew)."""
    job = await _job_by_order(session, order_id)
    if job is None or job.status in (JobStatus.DELIVERED, JobStatus.CANCELLED):
        return False
    _deliver(session, job)
    return True
