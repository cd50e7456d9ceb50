"""The city a simulated day runs in: its approved pharmacies as stored, and its promise settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medrush import pharmacies
from medrush.simulation.day import SimPharmacy

__all__ = ["DEFAULT_RADIUS_M", "city_pharmacies"]

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
