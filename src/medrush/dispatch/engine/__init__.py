"""The dispatch engine: pure functions from a snapshot of orders and couriers to assignments.

No clock, no database, no HTTP: the MDRP simulator and the live platform call ``plan_round``
with their own ``Snapshot`` and travel model and commit the returned assignments.
"""

from medrush.dispatch.engine.model import (
    Assignment,
    CourierState,
    DispatchParams,
    OpenOrder,
    Point,
    Snapshot,
    Stop,
)
from medrush.dispatch.engine.policies import POLICIES, PolicyName, estimate_eta, plan_round
from medrush.dispatch.engine.routes import bundle_offsets, time_bundle
from medrush.dispatch.engine.travel import (
    CeilEuclidTravel,
    TravelModel,
    latlng_of,
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
    "Point",
    "PolicyName",
    "Snapshot",
    "Stop",
    "TravelModel",
    "bundle_offsets",
    "estimate_eta",
    "latlng_of",
    "plan_round",
    "planar_xy",
    "time_bundle",
    "travel_minutes",
]
