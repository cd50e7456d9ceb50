"""Running a simulated day for an operator's request without holding the web process.

The simulation is CPU-bound for seconds to a minute, so each request runs it in a child process
of its own (spawned, so no database connection or thread is inherited): the event loop keeps
serving, a run that passes ``WEB_TIME_LIMIT_SECONDS`` or whose request goes away (the client
left, the server stops) is terminated, and a crashed child costs only its own request. One day at
a time per web process: a second request meanwhile is refused with a clear 409. The inputs are
bounded so that a run fits the limit: at most ``WEB_MAX_ORDERS`` expected orders, a surge
included, and at most ``WEB_MAX_COURIERS_PER_HOUR`` couriers per hour.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Annotated, Any

from pydantic import BaseModel, Field

from medrush import simulation
from medrush.kernel import db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, Unavailable

__all__ = [
    "WEB_MAX_COURIERS_PER_HOUR",
    "WEB_MAX_DAYS",
    "WEB_MAX_ORDERS",
    "WEB_TIME_LIMIT_SECONDS",
    "DayRequest",
    "simulate_city_day",
]

# bounds that keep one request within about a minute on a small machine
WEB_MAX_ORDERS = 6000
WEB_MAX_DAYS = 10
WEB_MAX_COURIERS_PER_HOUR = 2000
WEB_TIME_LIMIT_SECONDS = 180.0

_running = asyncio.Lock()


class DayRequest(BaseModel):
    """What an operator asks: a city, its demand and, optionally, a roster to test."""

    city: str = Field(min_length=1, max_length=80)
    orders_per_day: int = Field(2000, ge=1, le=WEB_MAX_ORDERS)
    surge: str | None = Field(None, max_length=20, description="START-ENDxFACTOR, e.g. 18-21x2")
    consults_per_day: int = Field(0, ge=0, le=simulation.MAX_CONSULTS_PER_DAY)
    couriers_by_hour: list[Annotated[int, Field(ge=0, le=WEB_MAX_COURIERS_PER_HOUR)]] | None = Field(
        None, min_length=24, max_length=24, description="24 courier counts to test; omitted: size the fleet"
    )
    target_on_time: float = Field(0.95, gt=0, le=1)
    seed: int = Field(1, ge=0, le=2**31 - 1)


def _child(conn: Connection, args: tuple[Any, ...]) -> None:
    """Entry point of the child process: the day, or the refusal, back through the pipe."""
    try:
        conn.send(("day", simulation.plan_day(*args)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which answers the request
        conn.send(("error", exc))
    finally:
        conn.close()


async def _in_child(
    shops: Sequence[simulation.SimPharmacy],
    scenario: simulation.DayScenario,
    roster: Sequence[int] | None,
) -> simulation.DayReport:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, (list(shops), scenario, roster, WEB_MAX_DAYS)), daemon=True
    )
    child.start()
    sender.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WEB_TIME_LIMIT_SECONDS
    try:
        while not receiver.poll():
            if not child.is_alive() and not receiver.poll():
                raise Unavailable("the simulation stopped unexpectedly; try again", code="simulation_failed")
            if loop.time() > deadline:
                raise Unavailable(
                    "the simulation took longer than {seconds} s; try fewer orders or a smaller surge",
                    code="simulation_timeout",
                    seconds=round(WEB_TIME_LIMIT_SECONDS),
                )
            await asyncio.sleep(0.2)
        kind, value = receiver.recv()
    except EOFError:
        raise Unavailable(
            "the simulation stopped unexpectedly; try again", code="simulation_failed"
        ) from None
    finally:  # also when the request is cancelled: no work outlives its request
        receiver.close()
        if child.is_alive():
            child.terminate()
        await asyncio.to_thread(child.join, 5)
    if kind == "error":
        raise value
    report: simulation.DayReport = value
    return report


async def simulate_city_day(request: DayRequest) -> dict[str, Any]:
    """The simulated day of ``request.city`` as a JSON-ready dict (see ``DayReport.to_dict``)."""
    scenario = simulation.DayScenario.configured(
        request.orders_per_day, request.surge, request.consults_per_day, request.target_on_time, request.seed
    )
    if scenario.expected_orders > WEB_MAX_ORDERS:
        raise InvalidInput(
            "at most {limit} orders in a day here, a surge included (this one: {orders}); "
            "the command line takes larger days",
            code="bad_orders",
            limit=WEB_MAX_ORDERS,
            orders=round(scenario.expected_orders),
        )
    if _running.locked():
        raise Conflict(
            "a simulation is already running on this server; try again in a minute", code="simulation_busy"
        )
    async with _running:
        async with db.session_scope() as session:
            shops = await simulation.city_pharmacies(session, request.city)
        if not shops:
            raise NotFound("no approved pharmacies in {city}", code="no_pharmacies", city=request.city)
        report = await _in_child(shops, scenario, request.couriers_by_hour)
    return simulation.plan_summary(request.city, shops, report)
