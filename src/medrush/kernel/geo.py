"""Geography: great-circle distance and h3 cells."""

from __future__ import annotations

import math

import h3

__all__ = ["EARTH_RADIUS_M", "cell_of", "haversine_m", "ring_cells"]

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def cell_of(lat: float, lng: float, resolution: int = 8) -> str:
    """The h3 cell holding a point."""
    return str(h3.latlng_to_cell(lat, lng, resolution))


def ring_cells(cell: str, k: int) -> set[str]:
    """All cells within k steps of a cell (a disk)."""
    return {str(c) for c in h3.grid_disk(cell, k)}
