"""The simulated city as stored: preparation times measured from the pharmacies' own orders."""

from __future__ import annotations

import uuid
from datetime import timedelta

from medrush import orders, pharmacies, simulation
from medrush.kernel import clock, db
from medrush.orders.models import Order
from tests.integration.pharmacies.world import ensure_tables, make_city


async def _orders(
    pharmacy_id: uuid.UUID, minutes: list[float], *, days_ago: float = 1, reroutes: int = 0
) -> None:
    """Orders paid ``days_ago`` days ago that were ready ``minutes`` later."""
    paid = clock.now() - timedelta(days=days_ago)
    async with db.session_scope() as session:
        for m in minutes:
            session.add(
                Order(
                    pharmacy_id=pharmacy_id,
                    status="delivered",
                    subtotal=1000,
                    total=1500,
                    lat=31.23,
                    lng=121.47,
                    promise_minutes=30,
                    eta_minutes=25,
                    handover_code="1234",
                    placed_at=paid - timedelta(minutes=1),
                    reservation_expires_at=paid,
                    paid_at=paid,
                    ready_at=paid + timedelta(minutes=m),
                    reroutes=reroutes,
                )
            )


async def test_preparation_is_measured_where_a_pharmacy_has_enough_recent_orders(database: str) -> None:
    await ensure_tables()
    city = await make_city(pharmacy_count=3)
    async with db.session_scope() as session:
        shops = sorted(
            await pharmacies.list_pharmacies(session, city=city, status="approved"), key=lambda p: p.name
        )
    busy, quiet, moved = (p.id for p in shops)
    await _orders(busy, [6, 8, 9, 11, 14, 30])  # median 10
    await _orders(busy, [90] * 10, days_ago=40)  # too old to count
    await _orders(quiet, [20, 20, 20, 20])  # four orders: too few to tell
    await _orders(moved, [50] * 6, reroutes=1)  # the wait began at another pharmacy
    async with db.session_scope() as session:
        measured = await orders.preparation_minutes(session, [busy, quiet, moved])
        assert measured == {busy: 10.0}
        assert await orders.preparation_minutes(session, []) == {}
        sim = {s.id: s for s in await simulation.city_pharmacies(session, city)}
    assert (sim[str(busy)].picking_minutes, sim[str(busy)].measured) == (10, True)
    setting = next(p.picking_minutes for p in shops if p.id == quiet)
    assert (sim[str(quiet)].picking_minutes, sim[str(quiet)].measured) == (setting, False)
    assert not sim[str(moved)].measured
    report = simulation.run_day(list(sim.values()), simulation.DayScenario(orders_per_day=40), [3] * 24)
    summary = simulation.plan_summary(city, list(sim.values()), report)
    assert (summary["city"], summary["pharmacies"], summary["pharmacies_measured"]) == (city, 3, 1)
