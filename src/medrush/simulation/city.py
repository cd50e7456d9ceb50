"""The city a simulated day runs in: its approved pharmacies as stored, and its promise settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import orders, pharmacies
from medrush.simulation.day import DayReport, SimPharmacy

__all__ = ["DEFAULT_RADIUS_M", "city_pharmacies", "plan_summary", "simulated_cities"]

# A pharmacy that serves a list of map cells instead of a radius is simulated with this radius.
DEFAULT_RADIUS_M = 3000.0


async def city_pharmacies(session: AsyncSession, city: str) -> list[SimPharmacy]:
    """The approved pharmacies of ``city`` (orders drawn in proportion to those they accepted).

    An order is ready after the pharmacy's median minutes from payment to ready over the last 30
    days where it has enough orders to tell (acceptance included), else after its picking setting.
    """
    found = await pharmacies.list_pharmacies(session, city=city, status="approved", limit=10_000)
    measured = await orders.preparation_minutes(session, [p.id for p in found])
    return [
        SimPharmacy(
            id=str(p.id),
            lat=p.lat,
            lng=p.lng,
            radius_m=float(p.service_radius_m or DEFAULT_RADIUS_M),
            picking_minutes=max(1, round(measured[p.id])) if p.id in measured else p.picking_minutes,
            weight=float(p.orders_accepted),
            measured=p.id in measured,
        )
        for p in found
    ]


def plan_summary(city: str, shops: list[SimPharmacy], report: DayReport) -> dict[str, Any]:
    """The JSON of a planned day: the city, its pharmacies (how many with measured preparation
    times) and the report."""
    return {
        "city": city,
        "pharmacies": len(shops),
        "pharmacies_measured": sum(s.measured for s in shops),
        **report.to_dict(),
    }


async def simulated_cities(session: AsyncSession) -> list[tuple[str, int]]:
    """Cities with approved pharmacies and how many, most first (what a day can be simulated for)."""
    rows = await session.execute(
        select(pharmacies.Pharmacy.city, func.count())
        .where(pharmacies.Pharmacy.status == "approved")
        .group_by(pharmacies.Pharmacy.city)
        .order_by(func.count().desc(), pharmacies.Pharmacy.city)
    )
    return [(str(city), int(n)) for city, n in rows.all()]
