"""The demo's past day: a simulated day of the demo city written as delivered orders and deliveries,
placed by demo customers and carried by demo couriers."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select, text

from medrush import dispatch, orders, pharmacies
from medrush.accounts import Role, actor_for_user, user_by_email
from medrush.demo import HISTORY_CITY, OWN_ORDERS, REST_HOURS, WORK_HOURS, load_demo_data
from medrush.dispatch.demo import RIDING_DEMO_COURIERS
from medrush.dispatch.models import Courier, DeliveryJob, Shift
from medrush.kernel import clock, db
from medrush.kernel.errors import NotFound
from tests.factories.accounts import make_user
from tests.integration.pharmacies.world import ensure_tables

pytestmark = pytest.mark.usefixtures("on_private_database")  # the demo city as `medrush demo` sees it


async def test_the_demo_city_has_a_past_day_of_delivered_orders() -> None:
    await ensure_tables()
    await load_demo_data()
    operator = await make_user(Role.OPERATOR)
    async with db.session_scope() as session:
        shops = await pharmacies.list_pharmacies(session, city=HISTORY_CITY, status="approved", limit=1000)
        demo = [p.id for p in shops if p.licence_number.startswith("DEMO-")]
        delivered = await session.scalar(
            select(func.count())
            .select_from(orders.Order)
            .where(orders.Order.pharmacy_id.in_(demo), orders.Order.status == "delivered")
        )
        broken = await session.scalar(
            text(
                "SELECT count(*) FROM orders o"
                " WHERE o.pharmacy_id = ANY(:demo) AND ("
                " (SELECT count(*) FROM order_transitions t WHERE t.order_id = o.id) <> 8"
                " OR NOT (o.paid_at <= o.ready_at AND o.ready_at <= o.picked_up_at"
                "         AND o.picked_up_at < o.delivered_at)"
                " OR o.total <> (SELECT sum(quantity * unit_price) FROM order_items i"
                "                WHERE i.order_id = o.id)"
                " OR NOT EXISTS (SELECT 1 FROM payments p"
                "                WHERE p.order_id = o.id AND p.status = 'succeeded'))"
            ),
            {"demo": demo},
        )
        measured = await orders.preparation_minutes(session, demo)
        figures = await dispatch.fleet_figures(session, operator.actor)
    assert delivered is not None and delivered >= 400
    assert broken == 0  # each order went every step in time, its lines add up, it was paid
    assert len(measured) == len(demo)  # every demo shop's preparation time is measured from them
    assert len(figures["by_hour"]) >= 20
    assert figures["delivered"] >= 400
    assert figures["on_time_rate"] is not None and figures["on_time_rate"] >= 0.9


async def test_every_past_order_has_a_customer_and_a_courier_who_carried_it_in_time() -> None:
    await ensure_tables()
    await load_demo_data()  # a second load in this database changes nothing
    async with db.session_scope() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT o.id, o.customer_id, o.courier_id, j.courier_id AS job_courier,"
                    " o.ready_at, o.picked_up_at, o.delivered_at, j.assigned_at,"
                    " j.picked_up_at AS job_picked, j.delivered_at AS job_delivered,"
                    " c.roles AS customer_roles, r.roles AS courier_roles,"
                    " (SELECT t.at FROM order_transitions t WHERE t.order_id = o.id"
                    "  AND t.to_status = 'courier_assigned') AS assigned_step"
                    " FROM orders o JOIN dispatch_jobs j ON j.order_id = o.id"
                    " LEFT JOIN users c ON c.id = o.customer_id LEFT JOIN users r ON r.id = o.courier_id"
                    " WHERE j.note = 'demo history'"
                )
            )
        ).all()
        couriers = {c.user_id: c for c in (await session.scalars(select(Courier))).all()}
        history: dict[uuid.UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
        for s in (await session.scalars(select(Shift).order_by(Shift.started_at))).all():
            history[s.courier_id].append((s.started_at, s.ended_at))
        demo_customer = await user_by_email(session, "customer@demo.medrush.org")
        riders = [await user_by_email(session, e) for e, *_ in RIDING_DEMO_COURIERS]
    assert len(rows) >= 400
    for r in rows:
        assert r.customer_id is not None and "customer" in r.customer_roles, r.id
        assert r.courier_id is not None and "courier" in r.courier_roles, r.id
        assert r.job_courier == r.courier_id and r.courier_id in couriers
        assert (r.job_picked, r.job_delivered) == (r.picked_up_at, r.delivered_at)
        assert r.ready_at <= r.assigned_at <= r.picked_up_at and r.assigned_step == r.assigned_at
    assert demo_customer is not None
    assert sum(r.customer_id == demo_customer.id for r in rows) == OWN_ORDERS
    assert len({r.customer_id for r in rows}) > 100  # a city of customers, not one account
    # each courier's trips (the orders it picked up at once) follow one another, shift by shift
    trips: dict[uuid.UUID, dict[datetime, datetime]] = defaultdict(dict)
    for r in rows:
        trip = trips[r.courier_id]
        trip[r.picked_up_at] = max(trip.get(r.picked_up_at, r.delivered_at), r.delivered_at)
    for courier_id, trip in trips.items():
        times = sorted(trip.items())
        for (_, end), (next_start, _) in pairwise(times):
            assert end <= next_start, f"courier {courier_id} on two trips at once at {next_start}"
        worked = sum((end - start for start, end in times), timedelta(0))
        assert worked <= timedelta(hours=WORK_HOURS)
        # every trip lies in one of the courier's shifts in the history, which never overlap
        shifts = history[courier_id]
        for (_, end), (next_start, _) in pairwise(shifts):
            assert end <= next_start, f"courier {courier_id} on two shifts at once at {next_start}"
        for start, end in times:
            assert any(s <= start <= end <= e for s, e in shifts), (
                f"courier {courier_id} off shift at {start}"
            )
        profile = couriers[courier_id]
        assert profile.shift_started_at is not None and profile.shift_ends_at is not None
        if profile.status == "online":  # a demo courier: rested before the shift it is on now
            assert times[-1][1] + timedelta(hours=REST_HOURS) <= profile.shift_started_at
            assert shifts[-1] == (profile.shift_started_at, profile.shift_ends_at)  # the current one
        else:  # a history courier's profile keeps its last shift, which its last trip lies in
            assert profile.offline_reason == "shift_ended"
            assert profile.shift_started_at <= times[-1][0] <= times[-1][1] <= profile.shift_ends_at
            assert shifts[-1] == (profile.shift_started_at, profile.shift_ends_at)  # its last one
    assert riders[0] is not None and riders[0].id in trips  # Zhang Wei has a past day too
    # the earnings' guarantee counts every shift of the past day, not only the last one
    now = clock.now()
    since = now - timedelta(hours=24)
    several = [c for c in trips if len(history[c]) > 1]
    assert several, "no courier worked two shifts in the past day"
    async with db.session_scope() as session:
        for courier_id in several[:5]:
            expected = sum(
                max(0.0, (min(e, now) - max(s, since)).total_seconds()) for s, e in history[courier_id]
            )
            earned = await dispatch.courier_earnings(session, courier_id, now)
            assert abs(earned["shift_seconds"] - expected) <= len(history[courier_id]), courier_id
            assert (
                earned["shift_seconds"]
                > (min(history[courier_id][-1][1], now) - history[courier_id][-1][0]).total_seconds()
            )


async def test_customers_and_couriers_see_only_their_own_past_orders() -> None:
    await ensure_tables()
    await load_demo_data()
    async with db.session_scope() as session:
        li_na = await user_by_email(session, "customer@demo.medrush.org")
        other = await user_by_email(session, "customer.001@demo.medrush.org")
        zhang = await user_by_email(session, "courier@demo.medrush.org")
        assert li_na is not None and other is not None and zhang is not None
        mine = await orders.customer_orders(session, actor_for_user(li_na), limit=50)
        theirs = await orders.customer_orders(session, actor_for_user(other), limit=50)
        assert len(mine) == OWN_ORDERS and {o["status"] for o in mine} == {"delivered"}
        assert theirs and not {o["id"] for o in mine} & {o["id"] for o in theirs}
        with pytest.raises(NotFound):
            await orders.access_order_by_id(session, actor_for_user(other), uuid.UUID(mine[0]["id"]))
        carried = await session.scalar(select(DeliveryJob.order_id).where(DeliveryJob.courier_id == zhang.id))
        assert carried is not None
        assert (
            await orders.access_order_by_id(session, actor_for_user(zhang), carried)
        ).courier_id == zhang.id
        with pytest.raises(NotFound):  # an order someone else carried
            await orders.access_order_by_id(session, actor_for_user(zhang), uuid.UUID(theirs[0]["id"]))
