"""Our own checker of MDRP solution files: feasibility under the benchmark rules, then metrics.

Feasibility follows the published rules: each order in at most one assignment, no assignment
before the order is placed, no pickup after the courier's off time or before a bundled order is
ready, drop-offs in sequence with the drop-off service between them, continuous courier routes
at the stated speed, and every pickup and drop-off strictly after the courier arrived at that
place (and no later than it leaves).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from medrush.dispatch.engine import travel_minutes
from medrush.dispatch.mdrp.instance import InstanceError, MdrpInstance
from medrush.dispatch.mdrp.simulator import (
    ASSIGNMENTS_FILE,
    COURIERS_FILE,
    ORDERS_FILE,
    AssignmentRecord,
    Move,
    OrderRecord,
)
from medrush.dispatch.pay import courier_pay

__all__ = ["ORDERS_HEADER", "Evaluation", "Violation", "evaluate", "evaluate_dir", "read_solution"]

ORDERS_HEADER = "order placement_time ready_time pickup_time dropoff_time courier"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a stable ``kind`` and a human detail."""

    kind: str
    detail: str


@dataclass(slots=True)
class Evaluation:
    """The verdict on a solution and its metrics (empty metrics when infeasible data is unusable)."""

    feasible: bool
    violations: list[Violation] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)

    def kinds(self) -> list[str]:
        """Sorted distinct violation kinds."""
        return sorted({v.kind for v in self.violations})


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    if not path.is_file():
        raise InstanceError(f"{path}: file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(f"{path}: cannot read ({exc})") from exc
    rows = [(n, line.split()) for n, line in enumerate(text.splitlines(), start=1)]
    return [(n, f) for n, f in rows if f]


def _int(path: Path, line: int, text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise InstanceError(f"{path}:{line}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise InstanceError(f"{path}:{line}: not a finite number: {text!r}")
    return int(value)


def read_solution(
    directory: str | Path,
) -> tuple[list[AssignmentRecord], list[OrderRecord], dict[str, list[Move]]]:
    """Parse the three solution files; malformed rows raise ``InstanceError`` naming file and line."""
    root = Path(directory)
    if not root.is_dir():
        raise InstanceError(f"{root}: solution directory not found")
    path = root / ASSIGNMENTS_FILE
    assignments: list[AssignmentRecord] = []
    for n, f in _lines(path)[1:]:
        if len(f) < 4:
            raise InstanceError(f"{path}:{n}: expected assignment_time pickup_time courier order...")
        assignments.append(AssignmentRecord(_int(path, n, f[0]), _int(path, n, f[1]), f[2], tuple(f[3:])))
    path = root / ORDERS_FILE
    rows = _lines(path)
    if not rows or " ".join(rows[0][1]) != ORDERS_HEADER:
        raise InstanceError(f"{path}:1: header must be exactly {ORDERS_HEADER!r}")
    orders: list[OrderRecord] = []
    for n, f in rows[1:]:
        if len(f) != 6:
            raise InstanceError(f"{path}:{n}: expected 6 fields, found {len(f)}")
        t = [_int(path, n, x) for x in f[1:5]]
        orders.append(OrderRecord(f[0], t[0], t[1], t[2], t[3], f[5]))
    path = root / COURIERS_FILE
    moves: dict[str, list[Move]] = {}
    for n, f in _lines(path)[1:]:
        if len(f) != 4:
            raise InstanceError(f"{path}:{n}: expected courier departure_time origin destination")
        moves.setdefault(f[0], []).append(Move(f[0], _int(path, n, f[1]), f[2], f[3]))
    return assignments, orders, moves


def evaluate_dir(instance: MdrpInstance, solution_dir: str | Path) -> Evaluation:
    """Read the solution files in ``solution_dir`` and evaluate them against ``instance``."""
    assignments, orders, moves = read_solution(solution_dir)
    return evaluate(instance, assignments, orders, moves)


def evaluate(
    instance: MdrpInstance,
    assignments: list[AssignmentRecord],
    orders: list[OrderRecord],
    moves: dict[str, list[Move]],
) -> Evaluation:
    """Check every rule, then compute the metrics over delivered orders."""
    prm = instance.params
    v: list[Violation] = []
    inst_orders = {o.id: o for o in instance.orders}
    couriers = {c.id: c for c in instance.couriers}
    places: dict[str, tuple[float, float]] = dict(instance.restaurants)
    places.update({o.id: (o.x, o.y) for o in instance.orders})
    places.update({c.id: (c.x, c.y) for c in instance.couriers})

    # orders file
    rec: dict[str, OrderRecord] = {}
    for r in orders:
        if r.order not in inst_orders:
            v.append(Violation("unknown_order", f"orders file names unknown order {r.order}"))
            continue
        if r.order in rec:
            v.append(Violation("duplicate_order_row", f"order {r.order} appears twice in the orders file"))
        rec[r.order] = r
        io = inst_orders[r.order]
        if r.placement_time != io.placement_time or r.ready_time != io.ready_time:
            v.append(
                Violation("orders_file_mismatch", f"order {r.order}: placement/ready differ from instance")
            )
        if r.courier not in couriers:
            v.append(
                Violation("unknown_courier", f"order {r.order} delivered by unknown courier {r.courier}")
            )

    # assignments
    seen: dict[str, int] = {}
    for i, a in enumerate(assignments):
        if a.courier not in couriers:
            v.append(Violation("unknown_courier", f"assignment {i + 1}: unknown courier {a.courier}"))
            continue
        for oid in a.orders:
            if oid not in inst_orders:
                v.append(Violation("unknown_order", f"assignment {i + 1}: unknown order {oid}"))
                continue
            if oid in seen:
                v.append(
                    Violation(
                        "order_in_several_assignments", f"order {oid} in assignments {seen[oid]} and {i + 1}"
                    )
                )
            seen.setdefault(oid, i + 1)
            o = inst_orders[oid]
            if a.assignment_time < o.placement_time:
                v.append(
                    Violation(
                        "assigned_before_placement",
                        f"order {oid} assigned at {a.assignment_time}, placed at {o.placement_time}",
                    )
                )
            if a.pickup_time < o.ready_time:
                v.append(
                    Violation(
                        "pickup_before_ready",
                        f"order {oid} picked up at {a.pickup_time}, ready at {o.ready_time}",
                    )
                )
            row = rec.get(oid)
            if row is not None and (row.pickup_time != a.pickup_time or row.courier != a.courier):
                v.append(
                    Violation(
                        "orders_file_mismatch", f"order {oid}: pickup or courier differs from its assignment"
                    )
                )
        if len({inst_orders[o].restaurant for o in a.orders if o in inst_orders}) > 1:
            v.append(Violation("bundle_restaurants", f"assignment {i + 1} mixes restaurants"))
        off = couriers[a.courier].off_time
        if a.pickup_time > off:
            v.append(
                Violation(
                    "pickup_after_off_time", f"courier {a.courier} picks up at {a.pickup_time}, off at {off}"
                )
            )
        drops = [rec[o].dropoff_time for o in a.orders if o in rec]
        for k in range(1, len(drops)):
            if drops[k] < drops[k - 1] + prm.dropoff_service:
                v.append(
                    Violation(
                        "dropoff_sequence",
                        f"assignment {i + 1}: drop-off at {drops[k]} less than {prm.dropoff_service} "
                        f"minutes after the previous one at {drops[k - 1]}",
                    )
                )
    for oid in rec:
        if oid in inst_orders and oid not in seen:
            v.append(Violation("delivered_without_assignment", f"order {oid} delivered but never assigned"))

    # courier timelines: times [on, dep, arr, dep, arr, ...], places [self, "", dest, "", dest, ...]
    timeline: dict[str, tuple[list[float], list[str]]] = {}
    for cid, legs in moves.items():
        if cid not in couriers:
            v.append(Violation("unknown_courier", f"couriers file names unknown courier {cid}"))
            continue
        times: list[float] = [float(couriers[cid].on_time)]
        where = [cid]
        for m in legs:
            origin = cid if m.origin == "0" else m.origin
            if origin not in places or m.destination not in places:
                v.append(Violation("unknown_place", f"courier {cid}: leg {m.origin} -> {m.destination}"))
                continue
            if origin != where[-1]:
                v.append(
                    Violation(
                        "route_discontinuity",
                        f"courier {cid} leaves {origin} at {m.departure} but is at {where[-1]}",
                    )
                )
            if m.departure < times[-1]:
                v.append(
                    Violation(
                        "departure_before_arrival",
                        f"courier {cid} leaves {origin} at {m.departure}, before {times[-1]:g}",
                    )
                )
            tt = travel_minutes(places[origin], places[m.destination], prm.metres_per_minute)
            times += [float(m.departure), m.departure + tt]
            where += ["", m.destination]
        timeline[cid] = (times, where)

    def at(cid: str, minute: int) -> str:
        times, where = timeline.get(cid, ([], []))
        i = bisect.bisect_left(times, minute) - 1
        return where[i] if i >= 0 else ""

    for oid, r in rec.items():
        if oid in inst_orders and r.courier in couriers and at(r.courier, r.dropoff_time) != oid:
            v.append(
                Violation(
                    "dropoff_location",
                    f"courier {r.courier} is not at order {oid} (after arriving) at {r.dropoff_time}",
                )
            )
    for i, a in enumerate(assignments):
        if a.courier in couriers and a.orders and a.orders[0] in inst_orders:
            rid = inst_orders[a.orders[0]].restaurant
            if at(a.courier, a.pickup_time) != rid:
                v.append(
                    Violation(
                        "pickup_location",
                        f"assignment {i + 1}: courier {a.courier} is not at {rid} "
                        f"(after arriving) at {a.pickup_time}",
                    )
                )

    ev = Evaluation(feasible=not v, violations=v)
    ev.metrics = _metrics(instance, assignments, rec)
    return ev


def _metrics(
    instance: MdrpInstance, assignments: list[AssignmentRecord], rec: dict[str, OrderRecord]
) -> dict[str, float]:
    prm = instance.params
    n = len(instance.orders)
    mpm = prm.metres_per_minute
    floor = {
        o.id: (o.ready_time - o.placement_time)
        + prm.pickup_service / 2
        + travel_minutes(instance.restaurants[o.restaurant], (o.x, o.y), mpm)
        + prm.dropoff_service / 2
        for o in instance.orders
    }
    delivered = [r for r in rec.values() if r.order in floor]
    served: dict[str, int] = {}
    for r in delivered:
        served[r.courier] = served.get(r.courier, 0) + 1
    hours = {c.id: (c.off_time - c.on_time) / 60 for c in instance.couriers}
    pay = sum(
        courier_pay(prm.pay_per_order, served.get(cid, 0), prm.pay_per_hour, h).due
        for cid, h in hours.items()
    )
    total_hours = sum(hours.values())
    m: dict[str, float] = {
        "orders": float(n),
        "delivered": float(len(delivered)),
        "undelivered_pct": 100.0 * (n - len(delivered)) / n if n else 0.0,
        "floor_mean": float(np.mean(list(floor.values()))) if floor else math.nan,
        "courier_hours": total_hours,
        "total_pay": pay,
        "cost_per_order": pay / len(delivered) if delivered else math.nan,
        "orders_per_courier_hour": len(delivered) / total_hours if total_hours else math.nan,
        "orders_per_bundle": float(np.mean([len(a.orders) for a in assignments]))
        if assignments
        else math.nan,
    }
    if delivered:
        ctd = np.array([r.dropoff_time - r.placement_time for r in delivered], dtype=float)
        gap = np.array([r.dropoff_time - r.placement_time - floor[r.order] for r in delivered], dtype=float)
        m.update(
            {
                "click_to_door_mean": float(ctd.mean()),
                "click_to_door_p90": float(np.percentile(ctd, 90)),
                "within_target_pct": 100.0 * float((ctd <= prm.target).mean()),
                "overage_mean": float(np.maximum(0.0, ctd - prm.target).mean()),
                "ready_to_pickup_mean": float(np.mean([r.pickup_time - r.ready_time for r in delivered])),
                "ready_to_door_mean": float(np.mean([r.dropoff_time - r.ready_time for r in delivered])),
                "floor_gap_mean": float(gap.mean()),
            }
        )
    return m
