"""Live dispatch on PostgreSQL: jobs from orders' events, rounds, offers, re-dispatch, leadership."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch import subscribers
from medrush.dispatch.live import zone_of
from medrush.dispatch.models import Courier, DeliveryJob, Offer
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, RateLimited
from medrush.kernel.events import Event, OutboxEvent
from tests.factories.accounts import Someone, make_user

_spots = itertools.count(1)
_event_ids = itertools.count(10_000_000)


@pytest.fixture
def frozen(database: str) -> Iterator[FrozenClock]:
    """A clock that moves only when told, starting now."""
    fake = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    clock.set_clock(fake)
    yield fake
    clock.set_clock(None)


@pytest.fixture
def spot() -> tuple[float, float]:
    """A pharmacy position in its own dispatch zone (tests never see each other's jobs)."""
    k = next(_spots)
    return (20.0 + 0.6 * k, 100.0 + 0.6 * k)


def near(base: tuple[float, float], north_m: float, east_m: float = 0.0) -> tuple[float, float]:
    """A point some metres north and east of ``base``."""
    import math

    lat = base[0] + north_m / 111_195.0
    lng = base[1] + east_m / (111_195.0 * math.cos(math.radians(base[0])))
    return (lat, lng)


def close_to(value: datetime | None, expected: datetime) -> bool:
    """Equal to the millisecond (metres come from floating-point geodesy)."""
    return value is not None and abs(value - expected) < timedelta(milliseconds=1)


async def ready(pharmacy: tuple[float, float], drop: tuple[float, float], **extra: Any) -> uuid.UUID:
    """Deliver an ``orders.ready`` event to dispatch's handler; returns the order id."""
    order_id = uuid.uuid4()
    payload = {
        "order_id": str(order_id),
        "pharmacy_id": str(extra.pop("pharmacy_id", uuid.uuid4())),
        "status": "ready",
        "fulfilment": "delivery",
        "lat": drop[0],
        "lng": drop[1],
        "promised_by": (clock.now() + timedelta(minutes=25)).isoformat(),
        "pharmacy_lat": pharmacy[0],
        "pharmacy_lng": pharmacy[1],
        **extra,
    }
    async with db.session_scope() as session:
        await subscribers.on_order_ready(
            session, Event(next(_event_ids), "orders.ready", payload, clock.now())
        )
    return order_id


async def courier_at(position: tuple[float, float], minutes: int = 240) -> Someone:
    """A courier on shift at a position."""
    someone = await make_user(Role.COURIER)
    async with db.session_scope() as session:
        await dispatch.start_shift(session, someone.actor, minutes=minutes, lat=position[0], lng=position[1])
    return someone


async def round_in(zone_point: tuple[float, float]) -> dispatch.RoundReport:
    """Run one round in the zone of a point."""
    async with db.session_scope() as session:
        return await dispatch.run_round(session, zone_of(*zone_point))


async def job_of(order_id: uuid.UUID) -> DeliveryJob:
    """The job of an order, fresh from the database."""
    async with db.session_scope() as session:
        job = (await session.scalars(select(DeliveryJob).where(DeliveryJob.order_id == order_id))).one()
        session.expunge(job)
        return job


async def offers_of(courier: Someone) -> list[Offer]:
    """Every offer a courier ever got, oldest first."""
    async with db.session_scope() as session:
        rows = (
            await session.scalars(
                select(Offer).where(Offer.courier_id == courier.user.id).order_by(Offer.created_at, Offer.id)
            )
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


async def events(topic: str, order_id: uuid.UUID) -> list[dict[str, Any]]:
    """Payloads of outbox events of a topic about an order."""
    async with db.session_scope() as session:
        rows = (
            await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.topic == topic, OutboxEvent.payload["order_id"].astext == str(order_id))
                .order_by(OutboxEvent.id)
            )
        ).all()
        return [dict(r.payload) for r in rows]


async def test_ready_event_is_handled_once(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    order_id = uuid.uuid4()
    payload = {
        "order_id": str(order_id),
        "pharmacy_id": str(uuid.uuid4()),
        "fulfilment": "delivery",
        "lat": spot[0] + 0.01,
        "lng": spot[1],
        "promised_by": None,
        "pharmacy_lat": spot[0],
        "pharmacy_lng": spot[1],
    }
    event = Event(next(_event_ids), "orders.ready", payload, clock.now())
    for _ in range(2):
        async with db.session_scope() as session:
            await subscribers.on_order_ready(session, event)
    async with db.session_scope() as session:
        count = await session.scalar(select(func.count()).where(DeliveryJob.order_id == order_id))
    assert count == 1
    job = await job_of(order_id)
    assert job.status == "open"
    assert job.zone == zone_of(*spot)
    assert job.promised_by == clock.now() + timedelta(minutes=30)


async def test_pickup_orders_are_not_dispatched(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    order_id = await ready(spot, near(spot, 500), fulfilment="pickup")
    async with db.session_scope() as session:
        count = await session.scalar(select(func.count()).where(DeliveryJob.order_id == order_id))
    assert count == 0


async def test_offer_timeout_reoffers_to_another_courier(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    close = await courier_at(near(spot, 200))
    far = await courier_at(near(spot, 1500))
    order_id = await ready(spot, near(spot, 2000))

    first = await round_in(spot)
    assert (first.open_jobs, first.couriers, first.offers) == (1, 2, 1)
    [offer] = await offers_of(close)
    assert offer.status == "pending"
    assert await offers_of(far) == []
    assert (await job_of(order_id)).status == "offered"

    frozen.advance(seconds=30)
    assert (await round_in(spot)).offers == 0  # still waiting for the answer

    frozen.advance(seconds=16)  # 46 s: the 45-second offer has expired
    second = await round_in(spot)
    assert (second.expired, second.offers) == (1, 1)
    assert [o.status for o in await offers_of(close)] == ["expired"]
    [other] = await offers_of(far)
    assert other.status == "pending"
    job = await job_of(order_id)
    assert job.excluded_couriers == [str(close.user.id)]
    assert job.offers_made == 2

    async with db.session_scope() as session:
        with pytest.raises(Conflict, match="already expired"):
            await dispatch.accept_offer(session, close.actor, offer.id)


async def test_decline_redispatches_and_never_reoffers(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    a = await courier_at(near(spot, 100))
    b = await courier_at(near(spot, 900))
    order_id = await ready(spot, near(spot, 1000, 500))
    await round_in(spot)
    [offer_a] = await offers_of(a)
    async with db.session_scope() as session:
        await dispatch.decline_offer(session, a.actor, offer_a.id, "too far")
    assert (await job_of(order_id)).status == "open"
    await round_in(spot)
    [offer_b] = await offers_of(b)
    assert offer_b.job_ids == [str((await job_of(order_id)).id)]
    async with db.session_scope() as session:
        await dispatch.decline_offer(session, b.actor, offer_b.id)
    report = await round_in(spot)
    assert report.offers == 0  # both said no; nobody else is here
    assert (await job_of(order_id)).excluded_couriers == [str(a.user.id), str(b.user.id)]
    assert [o.status for o in await offers_of(a)] == ["declined"]


async def test_accept_pickup_dropoff_emit_events(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    c = await courier_at(near(spot, 300))
    drop = near(spot, 1500)
    order_id = await ready(spot, drop)
    await round_in(spot)
    [offer] = await offers_of(c)
    async with db.session_scope() as session:
        [job] = await dispatch.accept_offer(session, c.actor, offer.id)
    assert job.status == "assigned"
    # 300 m x 1.3 / 250 m/min = 1.56 min to the pharmacy, + 1 min half pickup service
    assert close_to(job.eta_pickup, clock.now() + timedelta(minutes=2.56))
    # + 1 min, then 1500 m x 1.3 / 250 = 7.8 min, + 1 min half drop-off service
    assert close_to(job.eta_dropoff, clock.now() + timedelta(minutes=12.36))
    [assigned] = await events("dispatch.courier_assigned", order_id)
    assert assigned["courier_id"] == str(c.user.id)
    assert job.eta_dropoff is not None
    assert assigned["eta_dropoff"] == job.eta_dropoff.isoformat()

    async with db.session_scope() as session:
        with pytest.raises(InvalidInput, match="m from the pharmacy"):
            await dispatch.confirm_pickup(session, c.actor, job.id, lat=drop[0], lng=drop[1])
    async with db.session_scope() as session:
        with pytest.raises(Conflict, match="assigned cannot be delivered"):
            await dispatch.confirm_dropoff(session, c.actor, job.id)
    frozen.advance(minutes=3)
    async with db.session_scope() as session:
        picked = await dispatch.confirm_pickup(session, c.actor, job.id, lat=spot[0], lng=spot[1])
    assert picked.status == "picked_up"
    assert [e["courier_id"] for e in await events("dispatch.picked_up", order_id)] == [str(c.user.id)]
    frozen.advance(minutes=9)
    async with db.session_scope() as session:
        done = await dispatch.confirm_dropoff(session, c.actor, job.id, lat=drop[0], lng=drop[1])
    assert done is not None and done.status == "delivered"
    assert done.delivered_at == clock.now()
    [delivered] = await events("dispatch.delivered", order_id)
    assert (delivered["lat"], delivered["lng"]) == drop


async def test_handover_code_from_the_event_is_checked(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    c = await courier_at(spot)
    order_id = await ready(spot, near(spot, 800), handover_code="4821")
    await round_in(spot)
    [offer] = await offers_of(c)
    async with db.session_scope() as session:
        [job] = await dispatch.accept_offer(session, c.actor, offer.id)
        await dispatch.confirm_pickup(session, c.actor, job.id)
    async with db.session_scope() as session:
        assert await dispatch.confirm_dropoff(session, c.actor, job.id, code="1111") is None
    after = await job_of(order_id)
    assert (after.status, after.handover_attempts) == ("picked_up", 1)
    async with db.session_scope() as session:
        done = await dispatch.confirm_dropoff(session, c.actor, job.id, code=" 4821 ")
        assert done is not None and done.status == "delivered"
    assert (await job_of(order_id)).status == "delivered"


async def test_five_wrong_codes_lock_the_dropoff(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    c = await courier_at(spot)
    order_id = await ready(spot, near(spot, 800), handover_code="123456")
    await round_in(spot)
    [offer] = await offers_of(c)
    async with db.session_scope() as session:
        [job] = await dispatch.accept_offer(session, c.actor, offer.id)
        await dispatch.confirm_pickup(session, c.actor, job.id)
    for attempt in range(5):
        async with db.session_scope() as session:
            assert await dispatch.confirm_dropoff(session, c.actor, job.id, code=f"00000{attempt}") is None
    async with db.session_scope() as session:
        with pytest.raises(RateLimited, match="too many wrong codes"):
            await dispatch.confirm_dropoff(session, c.actor, job.id, code="123456")
    after = await job_of(order_id)
    assert (after.status, after.handover_attempts) == ("picked_up", 5)


async def test_courier_offline_mid_route_redispatches(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    a = await courier_at(near(spot, 100))
    b = await courier_at(near(spot, 2500))
    order_id = await ready(spot, near(spot, 1200))
    await round_in(spot)
    [offer] = await offers_of(a)
    async with db.session_scope() as session:
        await dispatch.accept_offer(session, a.actor, offer.id)
    async with db.session_scope() as session:
        await dispatch.go_offline(session, a.actor)
    job = await job_of(order_id)
    assert (job.status, job.courier_id, job.excluded_couriers) == ("open", None, [str(a.user.id)])
    [released] = await events("dispatch.courier_released", order_id)
    assert released["reason"] == "went_offline"
    assert (await round_in(spot)).offers == 1
    [offer_b] = await offers_of(b)
    assert offer_b.status == "pending"


async def test_silent_courier_loses_unpicked_jobs(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    a = await courier_at(near(spot, 100))
    order_id = await ready(spot, near(spot, 900))
    await round_in(spot)
    [offer] = await offers_of(a)
    async with db.session_scope() as session:
        await dispatch.accept_offer(session, a.actor, offer.id)
    frozen.advance(seconds=121)
    report = await round_in(spot)
    assert report.released == 1
    async with db.session_scope() as session:
        courier = await session.get(Courier, a.user.id)
        assert courier is not None
        assert (courier.status, courier.offline_reason) == ("offline", "silent")
    assert (await job_of(order_id)).status == "open"


async def test_courier_falling_behind_loses_the_job(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    a = await courier_at(near(spot, 100))
    order_id = await ready(spot, near(spot, 900))
    await round_in(spot)
    [offer] = await offers_of(a)
    async with db.session_scope() as session:
        await dispatch.accept_offer(session, a.actor, offer.id)
    # the courier rides away instead: 4 km from the pharmacy puts the pickup >10 min late
    frozen.advance(seconds=60)
    away = near(spot, -4000)
    async with db.session_scope() as session:
        await dispatch.record_location(session, a.actor, away[0], away[1])
    assert (await round_in(spot)).released == 1
    job = await job_of(order_id)
    assert (job.status, job.note) == ("open", "behind")


async def test_cancelled_order_withdraws_the_offer(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    a = await courier_at(spot)
    order_id = await ready(spot, near(spot, 900))
    await round_in(spot)
    payload = {"order_id": str(order_id), "status": "cancelled"}
    for _ in range(2):  # a repeated event changes nothing more
        async with db.session_scope() as session:
            await subscribers.on_order_cancelled(
                session, Event(next(_event_ids), "orders.cancelled", payload, clock.now())
            )
    assert (await job_of(order_id)).status == "cancelled"
    [offer] = await offers_of(a)
    assert (offer.status, offer.reason) == ("withdrawn", "order_cancelled")


async def test_only_couriers_act_and_bad_input_is_refused(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    customer = await make_user(Role.CUSTOMER)
    courier = await make_user(Role.COURIER)
    async with db.session_scope() as session:
        with pytest.raises(Exception, match="only couriers"):
            await dispatch.start_shift(session, customer.actor, minutes=60)
        with pytest.raises(InvalidInput, match="15 to 720 minutes"):
            await dispatch.start_shift(session, courier.actor, minutes=5)
        with pytest.raises(InvalidInput, match="lat must be within"):
            await dispatch.start_shift(session, courier.actor, minutes=60, lat=95.0, lng=0.0)
        with pytest.raises(NotFound, match="start a shift first"):
            await dispatch.record_location(session, courier.actor, spot[0], spot[1])
    async with db.session_scope() as session:
        assert await session.get(Courier, courier.user.id) is None  # nothing was written
        await dispatch.start_shift(session, courier.actor, minutes=60, lat=spot[0], lng=spot[1])
    async with db.session_scope() as session:
        with pytest.raises(NotFound, match="no such offer"):
            await dispatch.accept_offer(session, courier.actor, uuid.uuid4())
        with pytest.raises(InvalidInput, match="at most 40 characters"):
            await dispatch.decline_offer(session, courier.actor, uuid.uuid4(), "x" * 41)
        with pytest.raises(InvalidInput, match="lat must be within"):
            await dispatch.record_location(session, courier.actor, 10.0, 181.0)


async def test_eta_minutes_counts_supply_and_travel(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    async with db.session_scope() as session:
        assert await dispatch.eta_minutes(session, spot[0], spot[1], spot[0] + 0.01, spot[1]) is None
    await courier_at(near(spot, 500))  # bicycle: 500 m x 1.3 / 250 m/min = 2.6 min away
    customer = near(spot, 2000)
    async with db.session_scope() as session:
        eta = await dispatch.eta_minutes(session, spot[0], spot[1], customer[0], customer[1])
        arrival = await dispatch.nearest_courier_minutes(session, spot[0], spot[1])
    # 2.6 to arrive, +1 +1 pickup service, +10.4 ride (2000 m), +1 half the handover
    assert arrival == 2.6
    assert eta == 16.0
    await ready(spot, customer)  # one job already waits for that only courier
    async with db.session_scope() as session:
        assert await dispatch.nearest_courier_minutes(session, spot[0], spot[1]) == 22.6


async def test_one_leader_per_zone_and_takeover(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    zone = zone_of(*spot)
    first = dispatch.DispatchLoop([zone])
    second = dispatch.DispatchLoop([zone])
    try:
        assert await first.claim() == {zone}
        assert await second.claim() == set()
        await courier_at(spot)
        await ready(spot, near(spot, 700))
        assert set(await first.tick()) == {zone}
        assert await second.tick() == {}
        await first.close()  # the leader goes away: its lock goes with its connection
        reports = await second.tick()
        assert set(reports) == {zone}
        assert await first.claim() == set()
    finally:
        await first.close()
        await second.close()


async def test_round_dying_midway_leaves_nothing_half_done(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    c = await courier_at(spot)
    order_id = await ready(spot, near(spot, 900))
    with pytest.raises(RuntimeError, match="worker killed"):
        async with db.session_scope() as session:
            report = await dispatch.run_round(session, zone_of(*spot))
            assert report.offers == 1
            raise RuntimeError("worker killed before commit")
    job = await job_of(order_id)
    assert (job.status, job.offer_id, job.offers_made) == ("open", None, 0)
    assert await offers_of(c) == []
    assert (await round_in(spot)).offers == 1
    assert [o.status for o in await offers_of(c)] == ["pending"]


async def test_overlapping_rounds_never_offer_a_job_or_courier_twice(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    couriers = [await courier_at(near(spot, 100.0 * k)) for k in range(3)]
    orders = [await ready(spot, near(spot, 800, 300.0 * k)) for k in range(3)]

    async def one_round() -> int:
        async with db.session_scope() as session:
            return (await dispatch.run_round(session, zone_of(*spot))).offers

    made = await asyncio.gather(*(one_round() for _ in range(4)))
    async with db.session_scope() as session:
        pending = (
            await session.scalars(
                select(Offer).where(
                    Offer.courier_id.in_([c.user.id for c in couriers]), Offer.status == "pending"
                )
            )
        ).all()
    assert sum(made) == len(pending)
    offered_jobs = [j for o in pending for j in o.job_ids]
    assert sorted(made, reverse=True)[1:] == [0, 0, 0]  # the first round took every row it needed
    assert len(offered_jobs) == len(set(offered_jobs)) == 3
    assert len({o.courier_id for o in pending}) == len(pending)
    jobs = [await job_of(o) for o in orders]
    assert sorted(str(j.id) for j in jobs if j.status == "offered") == sorted(offered_jobs)


async def _accept_or_refused(courier: Someone, offer_id: uuid.UUID) -> str:
    try:
        async with db.session_scope() as session:
            await dispatch.accept_offer(session, courier.actor, offer_id)
    except Conflict:
        return "refused"
    return "accepted"


async def _cancel(order_id: uuid.UUID) -> None:
    async with db.session_scope() as session:
        event = Event(next(_event_ids), "orders.cancelled", {"order_id": str(order_id)}, clock.now())
        await subscribers.on_order_cancelled(session, event)


async def test_cancel_racing_accept_ends_consistent(frozen: FrozenClock, spot: tuple[float, float]) -> None:
    for _ in range(5):
        c = await courier_at(spot)
        order_id = await ready(spot, near(spot, 700))
        await round_in(spot)
        [offer] = [o for o in await offers_of(c) if o.status == "pending"]
        outcome, _ = await asyncio.gather(_accept_or_refused(c, offer.id), _cancel(order_id))
        [after] = [o for o in await offers_of(c) if o.id == offer.id]
        assert (await job_of(order_id)).status == "cancelled"
        assert (outcome, after.status) in {("accepted", "accepted"), ("refused", "withdrawn")}
        async with db.session_scope() as session:
            await dispatch.go_offline(session, c.actor)


async def test_etas_reach_the_tracking_map_and_the_pharmacy_inbox(
    frozen: FrozenClock, spot: tuple[float, float]
) -> None:
    from medrush.kernel.bus import get_bus

    c = await courier_at(near(spot, 300))
    pharmacy_id = uuid.uuid4()
    order_id = await ready(spot, near(spot, 1500), pharmacy_id=pharmacy_id)
    await round_in(spot)
    [offer] = await offers_of(c)
    bus = get_bus()
    async with (
        bus.subscribe(f"order:{order_id}") as tracking,
        bus.subscribe(f"pharmacy:{pharmacy_id}") as inbox,
    ):
        async with db.session_scope() as session:
            [job] = await dispatch.accept_offer(session, c.actor, offer.id)
            queued = dispatch.take_queued(session)
        await dispatch.send_queued(queued)
        seen = await asyncio.wait_for(tracking.get(), 10)
        assert (seen["type"], seen["status"], seen["courier_id"]) == ("eta", "assigned", str(c.user.id))
        assert seen["eta_dropoff"] == job.eta_dropoff.isoformat()  # type: ignore[union-attr]
        told = await asyncio.wait_for(inbox.get(), 10)
        assert (told["pharmacy_id"], told["eta_pickup"]) == (str(pharmacy_id), seen["eta_pickup"])

        # the courier is stuck 3 km away: the drop-off ETA moves, the map and orders hear of it
        frozen.advance(seconds=30)
        stuck = near(spot, -3000)
        async with db.session_scope() as session:
            await dispatch.record_location(session, c.actor, stuck[0], stuck[1])
            queued = dispatch.take_queued(session)
        await dispatch.send_queued(queued)
        kinds = {(await asyncio.wait_for(tracking.get(), 10))["type"] for _ in range(2)}
        assert kinds == {"eta", "courier_position"}
    changed = await events("dispatch.eta_changed", order_id)
    assert len(changed) == 1
    assert changed[0]["eta_dropoff"] == (await job_of(order_id)).eta_dropoff.isoformat()  # type: ignore[union-attr]
