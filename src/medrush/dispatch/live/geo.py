"""Zones, advisory-lock keys and city travel times for the live dispatcher.

A zone is an h3 cell of resolution 5 (about 250 km², a district of a large city) unless the
deployment names its own. Positions are projected onto a plane in metres around the zone's
centre so the shared engine sees the same kind of input as in the MDRP benchmark.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import h3
import numpy as np
import numpy.typing as npt

from medrush.dispatch.engine import planar_xy
from medrush.dispatch.engine.model import Point
from medrush.kernel.geo import cell_of

__all__ = ["ZONE_RESOLUTION", "CityTravel", "Projection", "zone_key", "zone_of"]

ZONE_RESOLUTION = 5
FloatArray = npt.NDArray[np.float64]


def zone_of(lat: float, lng: float) -> str:
    """The dispatch zone (h3 resolution-5 cell) holding a point."""
    return cell_of(lat, lng, ZONE_RESOLUTION)


def zone_key(zone: str) -> int:
    """A stable signed 64-bit advisory-lock key for a zone (same in every process)."""
    digest = hashlib.blake2b(f"medrush.dispatch.zone:{zone}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True, slots=True)
class Projection:
    """Latitude/longitude to metres east/north of a zone's centre."""

    origin_lat: float
    origin_lng: float

    @classmethod
    def for_zone(cls, zone: str) -> Projection:
        """The projection centred on a zone (an h3 cell; any other name falls back to 0,0)."""
        try:
            lat, lng = h3.cell_to_latlng(zone)
        except (ValueError, TypeError, h3.H3BaseException):
            return cls(0.0, 0.0)
        return cls(float(lat), float(lng))

    def xy(self, lat: float, lng: float) -> Point:
        """Planar metres of a point."""
        return planar_xy(lat, lng, self.origin_lat, self.origin_lng)


class CityTravel:
    """Straight-line distance times a detour factor at a constant city speed (minutes, not rounded)."""

    def __init__(self, metres_per_minute: float = 250.0, detour: float = 1.3) -> None:
        if metres_per_minute <= 0 or detour < 1:
            raise ValueError("speed must be positive and the detour factor at least 1")
        self.metres_per_minute = metres_per_minute
        self.detour = detour

    def minutes(self, a: Point, b: Point) -> float:
        """Minutes from ``a`` to ``b``."""
        return math.hypot(b[0] - a[0], b[1] - a[1]) * self.detour / self.metres_per_minute

    def matrix(self, origins: FloatArray, destinations: FloatArray) -> FloatArray:
        """Minutes from every origin to every destination."""
        o = np.asarray(origins, dtype=np.float64).reshape(-1, 2)
        d = np.asarray(destinations, dtype=np.float64).reshape(-1, 2)
        dx = o[:, None, 0] - d[None, :, 0]
        dy = o[:, None, 1] - d[None, :, 1]
        return np.sqrt(dx * dx + dy * dy) * self.detour / self.metres_per_minute

    def minutes_latlng(self, lat1: float, lng1: float, lat2: float, lng2: float) -> float:
        """Minutes between two latitude/longitude points."""
        from medrush.kernel.geo import haversine_m

        return haversine_m(lat1, lng1, lat2, lng2) * self.detour / self.metres_per_minute
