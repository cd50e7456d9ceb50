"""The city a simulated day runs in: its approved pharmacies as stored, and its promise settings."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import pharmacies
from medrush.simulation.day import SimPharmacy

__all__ = ["DEFAULT_RADIUS_M", "city_pharmacies", "simulated_cities"]

# A pharmacy that serves a list of map cells instead of a radius is simulated with this radius.
DEFAULT_RADIUS_M = 3000.0


async def city_pharmacies(session: AsyncSession, city: str) -> list[SimPharmacy]:
    """The approved pharmacies of ``city`` (orders drawn in proportion to those they accepted)."""
    found = await pharmacies.list_pharmacies(session, city=city, status="approved", limit=10_000)
    return [
        SimPharmacy(
            id=str(p.id),
            lat=p.lat,
            lng=p.lng,
            radius_m=float(p.service_radius_m or DEFAULT_RADIUS_M),
            picking_minutes=p.picking_minutes,
            weight=float(p.orders_accepted),
        )
        for p in found
    ]


async def simulated_cities(session: AsyncSession) -> list[tuple[str, int]]:
    """Cities with approved pharmacies and how many, most first (what a day can be simulated for)."""
    rows = await session.execute(
        select(pharmacies.Pharmacy.city, func.count())
        .where(pharmacies.Pharmacy.status == "approved")
        .group_by(pharmacies.Pharmacy.city)
        .order_by(func.count().desc(), pharmacies.Pharmacy.city)
    )
    return [(str(city), int(n)) for city, n in rows.all()]
