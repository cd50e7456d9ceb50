"""Courier dispatch: the assignment engine and the MDRP benchmark adapter.

The live parts (couriers in the database, offers, tracking) build on the same engine; see
``docs/dispatch.md`` for the engine API.
"""

from medrush.dispatch.engine import (
    POLICIES,
    Assignment,
    CeilEuclidTravel,
    CourierState,
    DispatchParams,
    OpenOrder,
    PolicyName,
    Snapshot,
    Stop,
    TravelModel,
    plan_round,
    planar_xy,
    travel_minutes,
)

__all__ = [
    "POLICIES",
    "Assignment",
    "CeilEuclidTravel",
    "CourierState",
    "DispatchParams",
    "OpenOrder",
    "PolicyName",
    "Snapshot",
    "Stop",
    "TravelModel",
    "plan_round",
    "planar_xy",
    "travel_minutes",
]
