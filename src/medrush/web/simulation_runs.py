"""Running a simulated day for an operator's request without holding the web process.

The simulation is CPU-bound for seconds to tens of seconds; it runs in one child process per web
process (a spawned ``ProcessPoolExecutor``), so the event loop keeps serving, and one day at a
time per web process: a second request while one runs is refused with a clear 409.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pydantic import BaseModel, Field

from medrush import simulation
from medrush.kernel import db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound
from medrush.settings import get_settings

__all__ = ["WEB_MAX_DAYS", "WEB_MAX_ORDERS", "DayRequest", "simulate_city_day"]

# bounds that keep one request within about a minute on a small machine
WEB_MAX_ORDERS = 6000
WEB_MAX_DAYS = 10

_running = asyncio.Lock()
_pool: ProcessPoolExecutor | None = None


class DayRequest(BaseModel):
    """What an operator asks: a city, its demand and, optionally, a roster to test."""

    city: str = Field(min_length=1, max_length=80)
    orders_per_day: int = Field(2000, ge=1, le=WEB_MAX_ORDERS)
    surge: str | None = Field(None, max_length=20, description="START-ENDxFACTOR, e.g. 18-21x2")
    consults_per_day: int = Field(0, ge=0, le=100_000)
    couriers_by_hour: list[int] | None = Field(
        None, min_length=24, max_length=24, description="24 courier counts to test; omitted: size the fleet"
    )
    target_on_time: float = Field(0.95, gt=0, le=1)
    seed: int = Field(1, ge=0, le=2**31 - 1)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


async def simulate_city_day(request: DayRequest) -> dict[str, Any]:
    """The simulated day of ``request.city`` as a JSON-ready dict (see ``DayReport.to_dict``)."""
    if request.couriers_by_hour is not None and min(request.couriers_by_hour) < 0:
        raise InvalidInput("couriers_by_hour needs 24 non-negative numbers", code="bad_roster")
    settings = get_settings()
    try:
        scenario = simulation.DayScenario(
            orders_per_day=request.orders_per_day,
            surge=simulation.Surge.parse(request.surge) if request.surge else None,
            consults_per_day=request.consults_per_day,
            day_start_hour=settings.day_start_hour,
            night_start_hour=settings.night_start_hour,
            promise_day=settings.promise_day_minutes,
            promise_night=settings.promise_night_minutes,
            target_on_time=request.target_on_time,
            seed=request.seed,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc), code="bad_scenario") from None
    if _running.locked():
        raise Conflict(
            "a simulation is already running on this server; try again in a minute", code="simulation_busy"
        )
    async with _running:
        async with db.session_scope() as session:
            shops = await simulation.city_pharmacies(session, request.city)
        if not shops:
            raise NotFound("no approved pharmacies in {city}", code="no_pharmacies", city=request.city)
        loop = asyncio.get_running_loop()
        report = await loop.run_in_executor(
            _executor(), simulation.plan_day, shops, scenario, request.couriers_by_hour, WEB_MAX_DAYS
        )
    return {"city": request.city, "pharmacies": len(shops), **report.to_dict()}
