"""The Grubhub MDRP benchmark adapter: instance reader, simulator, solution writer, evaluator."""

from __future__ import annotations

from pathlib import Path

from medrush.dispatch.engine import DispatchParams, PolicyName
from medrush.dispatch.mdrp.evaluator import (
    ORDERS_HEADER,
    Evaluation,
    Violation,
    evaluate,
    evaluate_dir,
    read_solution,
)
from medrush.dispatch.mdrp.instance import (
    InstanceError,
    MdrpCourier,
    MdrpInstance,
    MdrpOrder,
    MdrpParams,
    load_instance,
)
from medrush.dispatch.mdrp.simulator import (
    ASSIGNMENTS_FILE,
    COURIERS_FILE,
    ORDERS_FILE,
    AssignmentRecord,
    MdrpSolution,
    Move,
    OrderRecord,
    params_for,
    simulate,
    write_solution,
)

__all__ = [
    "ASSIGNMENTS_FILE",
    "COURIERS_FILE",
    "ORDERS_FILE",
    "ORDERS_HEADER",
    "AssignmentRecord",
    "Evaluation",
    "InstanceError",
    "MdrpCourier",
    "MdrpInstance",
    "MdrpOrder",
    "MdrpParams",
    "MdrpSolution",
    "Move",
    "OrderRecord",
    "Violation",
    "evaluate",
    "evaluate_dir",
    "load_instance",
    "params_for",
    "read_solution",
    "simulate",
    "solve_instance",
    "write_solution",
]


def solve_instance(
    instance_dir: str | Path,
    out_dir: str | Path,
    policy: PolicyName = "rolling",
    params: DispatchParams | None = None,
) -> MdrpSolution:
    """Load an instance, simulate it with ``policy`` and write the three solution files."""
    instance = load_instance(instance_dir)
    solution = simulate(instance, policy, params)
    write_solution(solution, out_dir, [c.id for c in instance.couriers])
    return solution
