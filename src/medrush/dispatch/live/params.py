"""Knobs of the live dispatcher (speeds, timeouts, thresholds), with defaults for a dense city."""

from __future__ import annotations

from dataclasses import dataclass, field

from medrush.dispatch.engine import DispatchParams

__all__ = ["VEHICLE_SPEED", "LiveParams"]

# metres per minute of straight-line progress before the detour factor (about 15, 22, 25, 5 km/h)
VEHICLE_SPEED = {"bicycle": 250.0, "scooter": 370.0, "car": 420.0, "foot": 80.0}


@dataclass(frozen=True, slots=True)
class LiveParams:
    """Everything a live round and the courier actions need to decide."""

    interval_seconds: float = 2.0
    offer_seconds: float = 45.0
    silent_seconds: float = 120.0
    behind_minutes: float = 10.0
    city_speed: float = 250.0
    detour: float = 1.3
    policy: str = "rolling"
    pickup_radius_m: float = 500.0
    dropoff_radius_m: float = 500.0
    eta_push_minutes: float = 2.0
    supply_radius_m: float = 5000.0
    engine: DispatchParams = field(
        default_factory=lambda: DispatchParams(pickup_service=2.0, dropoff_service=2.0, frequency=0.5)
    )
