"""Operators' simulated days: size the courier fleet and the clinician roster for a city."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from medrush.accounts import Actor, Role
from medrush.web.deps import require_roles
from medrush.web.simulation_runs import DayRequest, simulate_city_day

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["simulation"])


@router.post("/simulation/day")
async def simulate_day(
    body: DayRequest, _actor: Actor = Depends(require_roles(Role.OPERATOR))
) -> dict[str, Any]:
    """Draw a day of orders over the city's approved pharmacies and serve it with the dispatch engine.

    Without ``couriers_by_hour`` the answer is the roster per hour that keeps ``target_on_time`` of
    each hour's promises (30 minutes by day, 60 at night, as configured); with it, how that roster
    does. Clinicians per hour come with ``consults_per_day``. One simulation at a time per server
    (409 ``simulation_busy`` otherwise); it takes seconds to a minute.
    """
    return await simulate_city_day(body)
