"""``medrush dispatch ...`` commands: solve and evaluate Grubhub MDRP instances."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Annotated

import typer

from medrush.dispatch import POLICIES
from medrush.dispatch.mdrp import InstanceError, evaluate_dir, load_instance, simulate, write_solution

app = typer.Typer(no_args_is_help=True, help="Courier dispatch: the MDRP benchmark and live dispatch.")

_METRIC_LABELS = (
    ("click_to_door_mean", "click-to-door mean (min)"),
    ("click_to_door_p90", "click-to-door p90 (min)"),
    ("within_target_pct", "delivered within target (%)"),
    ("undelivered_pct", "undelivered (%)"),
    ("ready_to_pickup_mean", "ready-to-pickup mean (min)"),
    ("orders_per_courier_hour", "orders per courier-hour"),
    ("cost_per_order", "cost per order"),
    ("orders_per_bundle", "orders per bundle"),
    ("floor_mean", "per-order floor mean (min)"),
    ("floor_gap_mean", "gap to floor, delivered (min)"),
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


@app.command("mdrp")
def mdrp(
    instance_dir: Annotated[Path, typer.Argument(help="Directory holding orders.txt, couriers.txt, ...")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the three solution files")],
    policy: Annotated[str, typer.Option("--policy", help="greedy or rolling")] = "rolling",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary")] = False,
) -> None:
    """Simulate an MDRP instance with a dispatch policy and write the solution files."""
    if policy not in POLICIES:
        raise _fail(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    try:
        instance = load_instance(instance_dir)
    except InstanceError as exc:
        raise _fail(str(exc)) from None
    started = time.perf_counter()
    if quiet:
        solution = simulate(instance, policy)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"{instance.name} ({policy})", total=1.0)
            solution = simulate(
                instance,
                policy,
                progress=lambda f: bar.update(task, completed=f),
            )
    try:
        write_solution(solution, out, [c.id for c in instance.couriers])
    except OSError as exc:
        raise _fail(f"{out}: cannot write solution ({exc})") from None
    if not quiet:
        delivered = len(solution.orders)
        typer.echo(
            f"{instance.name}: {delivered}/{len(instance.orders)} orders delivered in "
            f"{len(solution.assignments)} assignments, {time.perf_counter() - started:.2f}s -> {out}"
        )


@app.command("evaluate")
def evaluate(
    instance_dir: Annotated[Path, typer.Argument(help="The instance directory")],
    solution_dir: Annotated[Path, typer.Argument(help="Directory with the three solution files")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Check a solution's feasibility and print its metrics; exit 1 when infeasible."""
    try:
        instance = load_instance(instance_dir)
        ev = evaluate_dir(instance, solution_dir)
    except InstanceError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        payload = {
            "instance": instance.name,
            "feasible": ev.feasible,
            "violations": [{"kind": x.kind, "detail": x.detail} for x in ev.violations],
            "metrics": {k: (v if math.isfinite(v) else None) for k, v in ev.metrics.items()},
        }
        typer.echo(json.dumps(payload, sort_keys=True))
    else:
        typer.echo(f"{instance.name}: {'FEASIBLE' if ev.feasible else 'INFEASIBLE'}")
        for x in ev.violations[:50]:
            typer.echo(f"  {x.kind}: {x.detail}")
        if len(ev.violations) > 50:
            typer.echo(f"  ... {len(ev.violations) - 50} more")
        for key, label in _METRIC_LABELS:
            if key in ev.metrics:
                typer.echo(f"  {label:32s} {ev.metrics[key]:.2f}")
    if not ev.feasible:
        raise typer.Exit(code=1)
