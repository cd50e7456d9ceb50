"""The travel-time port: the only place the engine learns how long a leg takes.

MDRP uses ``ceil(euclidean metres / metres_per_minute)``; the live platform projects latitude and
longitude onto a local plane (``planar_xy``) and can use the same model with its own speed.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import numpy.typing as npt

from medrush.dispatch.engine.model import Point

__all__ = ["CeilEuclidTravel", "TravelModel", "latlng_of", "planar_xy", "travel_minutes"]

FloatArray = npt.NDArray[np.float64]


class TravelModel(Protocol):
    """Minutes between planar points, one pair at a time or as a matrix."""

    def minutes(self, a: Point, b: Point) -> float:
        """Minutes from ``a`` to ``b``."""
        ...

    def matrix(self, origins: FloatArray, destinations: FloatArray) -> FloatArray:
        """Minutes from every row of ``origins`` (n x 2) to every row of ``destinations`` (m x 2)."""
        ...


def travel_minutes(a: Point, b: Point, metres_per_minute: float) -> float:
    """MDRP travel time: whole minutes, rounded up, at a constant speed."""
    dx = b[0] - a[0]
    dy = b[1] - a[1]
    # same arithmetic as the matrix form and the published evaluator, so both round alike
    return float(math.ceil(math.sqrt(dx * dx + dy * dy) / metres_per_minute))


class CeilEuclidTravel:
    """Straight lines at constant speed, rounded up to whole minutes (the MDRP rule)."""

    def __init__(self, metres_per_minute: float) -> None:
        if metres_per_minute <= 0:
            raise ValueError("metres_per_minute must be positive")
        self.metres_per_minute = float(metres_per_minute)

    def minutes(self, a: Point, b: Point) -> float:
        """Minutes from ``a`` to ``b``."""
        return travel_minutes(a, b, self.metres_per_minute)

    def matrix(self, origins: FloatArray, destinations: FloatArray) -> FloatArray:
        """Minutes from every origin to every destination."""
        o = np.asarray(origins, dtype=np.float64).reshape(-1, 2)
        d = np.asarray(destinations, dtype=np.float64).reshape(-1, 2)
        # the same arithmetic as ``travel_minutes``, in place: a round's matrices have millions of
        # cells and their temporaries, not the arithmetic, were what took the time
        out = np.subtract.outer(o[:, 0], d[:, 0])
        dy = np.subtract.outer(o[:, 1], d[:, 1])
        np.multiply(out, out, out=out)
        np.multiply(dy, dy, out=dy)
        np.add(out, dy, out=out)
        np.sqrt(out, out=out)
        np.divide(out, self.metres_per_minute, out=out)
        return np.ceil(out, out=out)


_EARTH_RADIUS_M = 6_371_008.8


def planar_xy(lat: float, lng: float, origin_lat: float, origin_lng: float) -> Point:
    """Metres east and north of an origin (equirectangular; accurate within a city)."""
    x = math.radians(lng - origin_lng) * _EARTH_RADIUS_M * math.cos(math.radians(origin_lat))
    y = math.radians(lat - origin_lat) * _EARTH_RADIUS_M
    return (x, y)


def latlng_of(x: float, y: float, origin_lat: float, origin_lng: float) -> tuple[float, float]:
    """The latitude and longitude ``x`` metres east and ``y`` north of an origin (``planar_xy`` undone)."""
    lat = origin_lat + math.degrees(y / _EARTH_RADIUS_M)
    lng = origin_lng + math.degrees(x / (_EARTH_RADIUS_M * math.cos(math.radians(origin_lat))))
    return (lat, lng)
