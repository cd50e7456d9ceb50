"""The demo's past day: a simulated day of the demo city written as delivered orders and deliveries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from medrush import dispatch, orders, pharmacies
from medrush.accounts import Role
from medrush.demo import HISTORY_CITY, load_demo_data
from medrush.kernel import db
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
                " WHERE o.pharmacy_id = ANY(:demo) AND o.customer_id IS NULL AND ("
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
