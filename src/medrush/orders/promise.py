"""The delivery promise and an honest estimate of the time to the door.

ETA = picking minutes + courier to the pharmacy + pharmacy to the customer. The last leg is the
great-circle distance times a detour factor at a city speed; the courier leg comes from courier
supply (the nearest free courier's travel time) and, while no courier position is known, from
``DEFAULT_COURIER_MINUTES``, a deliberately cautious figure (a courier waiting within ~2 km).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from medrush.kernel.geo import haversine_m

__all__ = [
    "CITY_SPEED_KMH",
    "DEFAULT_COURIER_MINUTES",
    "DETOUR_FACTOR",
    "HANDOVER_MINUTES",
    "Estimate",
    "estimate",
    "promise_minutes",
    "travel_minutes",
]

CITY_SPEED_KMH = 18.0  # an e-bike courier in central traffic
DETOUR_FACTOR = 1.3  # street distance over great-circle distance in a dense grid
DEFAULT_COURIER_MINUTES = 8.0
HANDOVER_MINUTES = 2.0  # parking, stairs, handover code at the door


def promise_minutes(
    at: datetime,
    timezone: str,
    *,
    day_start_hour: int,
    night_start_hour: int,
    day_minutes: int,
    night_minutes: int,
) -> int:
    """The promised minutes at ``at`` in the city's local time: day or night."""
    return promise_at_hour(
        at.astimezone(ZoneInfo(timezone)).hour,
        day_start_hour=day_start_hour,
        night_start_hour=night_start_hour,
        day_minutes=day_minutes,
        night_minutes=night_minutes,
    )


def promise_at_hour(
    hour: int, *, day_start_hour: int, night_start_hour: int, day_minutes: int, night_minutes: int
) -> int:
    """The promised minutes for a local hour (0-23): day or night."""
    if day_start_hour < night_start_hour:
        is_day = day_start_hour <= hour < night_start_hour
    else:  # a "day" that wraps past midnight
        is_day = hour >= day_start_hour or hour < night_start_hour
    return day_minutes if is_day else night_minutes


def travel_minutes(
    lat1: float, lng1: float, lat2: float, lng2: float, speed_kmh: float = CITY_SPEED_KMH
) -> float:
    """Street travel time between two points at a city speed."""
    metres = haversine_m(lat1, lng1, lat2, lng2) * DETOUR_FACTOR
    return metres / (speed_kmh * 1000 / 60)


@dataclass(frozen=True, slots=True)
class Estimate:
    """An honest delivery estimate and whether it keeps the promise."""

    eta_minutes: int
    promise_minutes: int
    picking_minutes: float
    courier_minutes: float
    travel_minutes: float

    @property
    def keeps_promise(self) -> bool:
        """True when the estimate fits within the promise."""
        return self.eta_minutes <= self.promise_minutes


def estimate(
    *,
    pharmacy_lat: float,
    pharmacy_lng: float,
    lat: float,
    lng: float,
    picking_minutes: float,
    courier_minutes: float | None,
    promise: int,
    pickup: bool = False,
) -> Estimate:
    """Minutes from payment to the door (or to ready at the counter when ``pickup``)."""
    courier = 0.0 if pickup else (DEFAULT_COURIER_MINUTES if courier_minutes is None else courier_minutes)
    leg = 0.0 if pickup else travel_minutes(pharmacy_lat, pharmacy_lng, lat, lng) + HANDOVER_MINUTES
    # the courier rides to the pharmacy while it picks; the later of the two starts the last leg
    total = max(picking_minutes, courier) + leg
    return Estimate(
        eta_minutes=math.ceil(total),
        promise_minutes=promise,
        picking_minutes=picking_minutes,
        courier_minutes=courier,
        travel_minutes=round(leg, 2),
    )
