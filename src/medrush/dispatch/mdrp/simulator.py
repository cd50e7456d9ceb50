"""Event-driven MDRP simulation around the engine, and the writer of the three solution files.

Orders are revealed at their placement minute; every ``frequency`` minutes (while orders are
open) the simulator builds a snapshot of the open orders and of the couriers whose shift has
started or starts within the horizon, asks the engine for assignments and commits them. A
committed courier goes straight to the pickup (it cannot be diverted), picks the bundle up,
delivers it in sequence and then waits where it last delivered. Until its pickup minute, the
engine may add orders of the same restaurant that are ready by then to the bundle (the pickup
minute and the committed drop-offs do not change; the new drop-offs come last); the bundle's
assignment record then carries the minute of the last addition.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from medrush.dispatch.engine import (
    CeilEuclidTravel,
    CourierState,
    DispatchParams,
    OpenOrder,
    PolicyName,
    Snapshot,
    Stop,
    plan_round,
)
from medrush.dispatch.mdrp.instance import MdrpInstance

__all__ = [
    "ASSIGNMENTS_FILE",
    "COURIERS_FILE",
    "ORDERS_FILE",
    "AssignmentRecord",
    "MdrpSolution",
    "Move",
    "OrderRecord",
    "params_for",
    "simulate",
    "write_solution",
]

ASSIGNMENTS_FILE = "solution_info_assignments.txt"
ORDERS_FILE = "solution_info_orders.txt"
COURIERS_FILE = "solution_info_couriers.txt"


@dataclass(frozen=True, slots=True)
class Move:
    """One leg of a courier: origin ``0`` is the courier's start position, otherwise a place id."""

    courier: str
    departure: int
    origin: str
    destination: str


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    """One committed bundle as the benchmark records it."""

    assignment_time: int
    pickup_time: int
    courier: str
    orders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One delivered order as the benchmark records it."""

    order: str
    placement_time: int
    ready_time: int
    pickup_time: int
    dropoff_time: int
    courier: str


@dataclass(slots=True)
class MdrpSolution:
    """What a simulation produced: assignments, delivered orders and every courier's legs."""

    assignments: list[AssignmentRecord] = field(default_factory=list)
    orders: list[OrderRecord] = field(default_factory=list)
    moves: dict[str, list[Move]] = field(default_factory=dict)
    rounds: int = 0


@dataclass(slots=True)
class _Courier:
    id: str
    xy: tuple[float, float]
    place: str
    free_at: float
    on_time: int
    off_time: int
    route: tuple[Stop, ...] = ()
    record: int = -1


def params_for(instance: MdrpInstance, base: DispatchParams | None = None) -> DispatchParams:
    """Engine parameters with the instance's service minutes and click-to-door target."""
    return dataclasses.replace(
        base or DispatchParams(),
        pickup_service=float(instance.params.pickup_service),
        dropoff_service=float(instance.params.dropoff_service),
    )


def _minute(value: float) -> int:
    return round(value)


def simulate(
    instance: MdrpInstance,
    policy: PolicyName = "rolling",
    params: DispatchParams | None = None,
    progress: Callable[[float], None] | None = None,
    promise: Callable[[int], float] | None = None,
) -> MdrpSolution:
    """Run the whole instance with one policy; deterministic for a given input.

    Each order's deadline is its placement plus the instance's click-to-door target, or plus
    ``promise(placement minute)`` where the promise depends on the time of day (day and night).
    """
    p = params_for(instance, params)
    travel = CeilEuclidTravel(instance.params.metres_per_minute)
    target = float(instance.params.target)
    restaurants = instance.restaurants
    couriers = [
        _Courier(c.id, (c.x, c.y), "0", float(c.on_time), c.on_time, c.off_time)
        for c in sorted(instance.couriers, key=lambda c: (c.on_time, c.id))
    ]
    by_id = {c.id: c for c in couriers}
    solution = MdrpSolution(moves={c.id: [] for c in instance.couriers})
    orders = instance.orders
    if not orders:
        return solution
    end = max((c.off_time for c in couriers), default=0)
    first = orders[0].placement_time
    span = max(1, end - first)
    pending: dict[str, OpenOrder] = {}
    ready_of = {o.id: o.ready_time for o in orders}
    placed_of = {o.id: o.placement_time for o in orders}
    nxt = 0
    now = first
    while now <= end:
        while nxt < len(orders) and orders[nxt].placement_time <= now:
            o = orders[nxt]
            pending[o.id] = OpenOrder(
                id=o.id,
                pickup_id=o.restaurant,
                pickup_xy=restaurants[o.restaurant],
                dropoff_xy=(o.x, o.y),
                placed_at=float(o.placement_time),
                ready_at=float(o.ready_time),
                deadline=float(o.placement_time)
                + (target if promise is None else float(promise(o.placement_time))),
            )
            nxt += 1
        if pending:
            horizon_end = now + p.horizon
            states = tuple(
                CourierState(
                    c.id,
                    c.xy,
                    max(c.free_at, float(c.on_time)),
                    float(c.off_time),
                    c.route if c.route and c.route[0].service_at > now else (),
                )
                for c in couriers
                if c.on_time <= horizon_end and c.off_time >= now
            )
            snapshot = Snapshot(float(now), tuple(pending.values()), states)
            solution.rounds += 1
            for a in plan_round(snapshot, travel, policy, p):
                courier = by_id[a.courier_id]
                pickup = a.stops[0]
                legs = solution.moves[courier.id]
                kept = len(courier.route)
                joins = (
                    kept > 0
                    and courier.route[0].service_at > now
                    and a.order_ids[: kept - 1] == courier.route[0].order_ids
                    and a.stops[1:kept] == courier.route[1:]
                )
                if joins:
                    # More orders for a pickup the courier is already heading to: the committed
                    # stops are unchanged and the new drop-offs follow them.
                    prev = courier.route[-1]
                    new_stops = a.stops[kept:]
                else:
                    legs.append(Move(courier.id, _minute(a.depart_at), courier.place, pickup.place_id))
                    prev = pickup
                    new_stops = a.stops[1:]
                for stop in new_stops:
                    legs.append(Move(courier.id, _minute(prev.depart_at), prev.place_id, stop.place_id))
                    solution.orders.append(
                        OrderRecord(
                            stop.place_id,
                            placed_of[stop.place_id],
                            ready_of[stop.place_id],
                            _minute(pickup.service_at),
                            _minute(stop.service_at),
                            courier.id,
                        )
                    )
                    del pending[stop.place_id]
                    prev = stop
                record = AssignmentRecord(now, _minute(pickup.service_at), courier.id, a.order_ids)
                if joins:
                    solution.assignments[courier.record] = record
                else:
                    courier.record = len(solution.assignments)
                    solution.assignments.append(record)
                courier.route = a.stops
                courier.xy = prev.xy
                courier.place = prev.place_id
                courier.free_at = prev.depart_at
            if progress is not None:
                progress(min(1.0, (now - first) / span))
            now += max(1, round(p.frequency))
        elif nxt < len(orders):
            now = orders[nxt].placement_time
        else:
            break
    if progress is not None:
        progress(1.0)
    return solution


def write_solution(solution: MdrpSolution, out_dir: str | Path, courier_order: list[str]) -> Path:
    """Write the three benchmark files (single-space separated, header line first) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["assignment_time pickup_time courier orders"]
    lines += [
        f"{a.assignment_time} {a.pickup_time} {a.courier} {' '.join(a.orders)}" for a in solution.assignments
    ]
    (out / ASSIGNMENTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["order placement_time ready_time pickup_time dropoff_time courier"]
    lines += [
        f"{o.order} {o.placement_time} {o.ready_time} {o.pickup_time} {o.dropoff_time} {o.courier}"
        for o in sorted(solution.orders, key=lambda o: (o.dropoff_time, o.order))
    ]
    (out / ORDERS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["courier departure_time origin destination"]
    for cid in courier_order:
        lines += [
            f"{m.courier} {m.departure} {m.origin} {m.destination}" for m in solution.moves.get(cid, [])
        ]
    (out / COURIERS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
