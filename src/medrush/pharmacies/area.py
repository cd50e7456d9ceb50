"""Service areas: a radius around the pharmacy, or a set of h3 cells."""

from __future__ import annotations

from collections.abc import Collection

import h3

from medrush.kernel.geo import haversine_m

__all__ = ["DEFAULT_RADIUS_M", "covers"]

DEFAULT_RADIUS_M = 3000


def covers(
    pharmacy_lat: float,
    pharmacy_lng: float,
    radius_m: int | None,
    cells: Collection[str],
    lat: float,
    lng: float,
) -> bool:
    """True when the point lies in the service area (cells when given, otherwise the radius)."""
    if cells:
        resolution = h3.get_resolution(next(iter(cells)))
        return str(h3.latlng_to_cell(lat, lng, resolution)) in set(cells)
    limit = radius_m if radius_m is not None else DEFAULT_RADIUS_M
    return haversine_m(pharmacy_lat, pharmacy_lng, lat, lng) <= limit
