"""Run the Grubhub MDRP instances with both dispatch policies and print per-class tables.

Usage (from the repository root, venv active):

    python bench/mdrp.py                       # all 240 instances, 2 processes
    python bench/mdrp.py --only 5o100 --limit 4
    python bench/mdrp.py --markdown --json var/bench/mdrp.json
    python bench/mdrp.py --round-speed         # one round: 1,000 open orders, 2,000 couriers
    python bench/mdrp.py --medicine            # pharmacy variant: 3-10 min picking, 30-min target
    python bench/mdrp.py --set late_penalty=1 --set horizon=25   # a variant of the rolling policy

The medicine variant (``--medicine``) keeps each instance's orders, places and couriers but sets
every order's ready time to placement + a picking time drawn uniformly from 3..10 whole minutes
(seeded by the instance name, so reruns are identical) and the click-to-door target to 30. It
reports the share delivered within 30 minutes with the instance's own fleet, then scales the fleet
(dropping or duplicating seeded random shifts) to find the smallest of the tried scales reaching
95% within 30 minutes, and the courier-hours that takes.

Every solution is written to disk in the benchmark's format and checked with our evaluator;
an infeasible solution is reported and makes the exit status 1. Figures are averages over
instances of each instance's own figure (as Reyes et al. report them).
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import json
import math
import random
import re
import sys
import tempfile
import time
import zlib
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from medrush.dispatch import POLICIES, DispatchParams
from medrush.dispatch.mdrp import (
    MdrpInstance,
    evaluate,
    evaluate_dir,
    load_instance,
    simulate,
    write_solution,
)

DEFAULT_INSTANCES = Path("/work/shared/data/mdrp/instances")
NAME = re.compile(r"^(\d+)(o100|o50|r50)(t100|t75)(s1|s2)(p100|p125)$")
# Reyes et al. 2018, rolling horizon over all 240 instances
PUBLISHED = {
    "click_to_door_mean": 32.74,
    "click_to_door_p90": 49.3,
    "ready_to_pickup_mean": 1.93,
    "undelivered_pct": 0.25,
    "cost_per_order": 11.42,
    "orders_per_bundle": 1.09,
    "overage_mean": 2.77,
}
COLUMNS = (
    ("click_to_door_mean", "CtD mean"),
    ("click_to_door_p90", "CtD p90"),
    ("within_target_pct", "<=40 %"),
    ("undelivered_pct", "undeliv %"),
    ("ready_to_pickup_mean", "R2P"),
    ("overage_mean", "overage"),
    ("orders_per_courier_hour", "ord/c-h"),
    ("cost_per_order", "cost/ord"),
    ("orders_per_bundle", "ord/bundle"),
    ("floor_mean", "floor"),
    ("floor_gap_mean", "gap"),
    ("seconds", "s"),
)


def run_one(job: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    """Solve one instance with every policy, write and evaluate the files."""
    instance_dir, out_root, overrides = job
    inst = load_instance(instance_dir)
    result: dict[str, Any] = {"instance": inst.name}
    for policy in POLICIES:
        started = time.perf_counter()
        # the overrides are the rolling policy's knobs; the greedy baseline stays as it is
        params = DispatchParams(**overrides) if policy == "rolling" else None
        solution = simulate(inst, policy, params)
        seconds = time.perf_counter() - started
        out = Path(out_root) / inst.name / policy
        write_solution(solution, out, [c.id for c in inst.couriers])
        ev = evaluate_dir(inst, out)
        result[policy] = {
            "feasible": ev.feasible,
            "violations": [f"{v.kind}: {v.detail}" for v in ev.violations[:5]],
            "metrics": {**ev.metrics, "seconds": seconds},
        }
    return result


FLEET_SCALES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


def medicine_variant(inst: MdrpInstance, scale: float = 1.0) -> MdrpInstance:
    """The pharmacy version of an instance (3-10 minute picking, 30-minute target), fleet scaled."""
    rng = random.Random(zlib.crc32(inst.name.encode()))
    orders = tuple(
        dataclasses.replace(o, ready_time=o.placement_time + rng.randint(3, 10)) for o in inst.orders
    )
    couriers = list(inst.couriers)
    order = list(range(len(couriers)))
    rng.shuffle(order)
    wanted = round(scale * len(couriers))
    if wanted <= len(couriers):
        kept = sorted(order[:wanted])
        fleet = [couriers[i] for i in kept]
    else:
        extra = [order[i % len(order)] for i in range(wanted - len(couriers))]
        fleet = couriers + [
            dataclasses.replace(couriers[i], id=f"{couriers[i].id}x{n}") for n, i in enumerate(extra)
        ]
    params = dataclasses.replace(inst.params, target=30)
    return dataclasses.replace(inst, orders=orders, couriers=tuple(fleet), params=params)


def run_medicine(instance_dir: str) -> dict[str, Any]:
    """Share within 30 minutes at the instance's fleet, and the smallest fleet scale reaching 95%."""
    base = load_instance(instance_dir)
    result: dict[str, Any] = {"instance": base.name}
    for scale in FLEET_SCALES:
        inst = medicine_variant(base, scale)
        sol = simulate(inst, "rolling")
        ev = evaluate(inst, sol.assignments, sol.orders, sol.moves)
        within = ev.metrics.get("within_target_pct", 0.0) * (1 - ev.metrics["undelivered_pct"] / 100)
        row = {
            "feasible": ev.feasible,
            "within30_pct": within,
            "ctd_mean": ev.metrics.get("click_to_door_mean", math.nan),
            "courier_hours": ev.metrics["courier_hours"],
        }
        result[str(scale)] = row
        if scale == 1.0:
            g_inst = inst
            g_sol = simulate(g_inst, "greedy")
            g_ev = evaluate(g_inst, g_sol.assignments, g_sol.orders, g_sol.moves)
            result["greedy"] = {
                "feasible": g_ev.feasible,
                "within30_pct": g_ev.metrics.get("within_target_pct", 0.0)
                * (1 - g_ev.metrics["undelivered_pct"] / 100),
                "ctd_mean": g_ev.metrics.get("click_to_door_mean", math.nan),
            }
    reaching = [s for s in FLEET_SCALES if result[str(s)]["within30_pct"] >= 95.0]
    result["scale_95"] = reaching[0] if reaching else None
    result["hours_95"] = result[str(reaching[0])]["courier_hours"] if reaching else None
    result["hours_1"] = result["1.0"]["courier_hours"]
    return result


def medicine_table(results: list[dict[str, Any]], markdown: bool) -> str:
    """Per-class medicine figures: within 30 (own fleet, rolling and greedy), fleet for 95%."""
    order = ["o100", "o50", "r50", "t100", "t75", "s1", "s2", "p100", "p125", "seed 0", "all"]
    header = [
        "class",
        "n",
        "within 30 % (rolling)",
        "within 30 % (greedy)",
        "CtD mean (rolling)",
        "fleet reaching 95%",
        "courier-h own",
        "courier-h for 95%",
        "not reached",
    ]
    rows: list[list[str]] = []
    for c in order:
        members = [r for r in results if c in classes(r["instance"])]
        if not members:
            continue
        reached = [r for r in members if r["scale_95"] is not None]

        def mean(xs: list[float]) -> str:
            xs = [x for x in xs if x == x]
            return f"{sum(xs) / len(xs):.2f}" if xs else "-"

        rows.append(
            [
                c,
                str(len(members)),
                mean([r["1.0"]["within30_pct"] for r in members]),
                mean([r["greedy"]["within30_pct"] for r in members]),
                mean([r["1.0"]["ctd_mean"] for r in members]),
                mean([r["scale_95"] for r in reached]) + "x",
                mean([r["hours_1"] for r in reached]),
                mean([r["hours_95"] for r in reached]),
                str(len(members) - len(reached)),
            ]
        )
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return "\n".join([fmt.format(*header)] + [fmt.format(*r) for r in rows])


def classes(name: str) -> list[str]:
    """The class labels an instance belongs to."""
    m = NAME.match(name)
    if not m:
        return ["all"]
    seed, size, speed, shifts, prep = m.groups()
    out = ["all", size, speed, shifts, prep]
    if seed == "0":
        out.append("seed 0")
    return out


def table(results: list[dict[str, Any]], markdown: bool) -> str:
    """Per-class rows for both policies beside the published figures."""
    order = ["o100", "o50", "r50", "t100", "t75", "s1", "s2", "p100", "p125", "seed 0", "all"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        for c in classes(r["instance"]):
            groups.setdefault(c, []).append(r)
    header = ["class", "n", "policy", *(label for _, label in COLUMNS)]
    rows: list[list[str]] = []
    for c in order:
        if c not in groups:
            continue
        members = groups[c]
        for policy in ("rolling", "greedy"):
            cells = [c, str(len(members)), policy]
            for key, _ in COLUMNS:
                vals = [m[policy]["metrics"].get(key) for m in members]
                vals = [x for x in vals if x is not None and x == x]
                cells.append(f"{sum(vals) / len(vals):.2f}" if vals else "-")
            rows.append(cells)
        if c == "all":
            rows.append(
                ["all", "240", "Reyes et al. 2018"]
                + [f"{PUBLISHED[k]:.2f}" if k in PUBLISHED else "-" for k, _ in COLUMNS]
            )
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return "\n".join([fmt.format(*header)] + [fmt.format(*r) for r in rows])


def round_speed(repeats: int = 9) -> None:
    """Median time of one dispatch round over 1,000 open orders and 2,000 couriers (seeded)."""
    import statistics

    from medrush.dispatch import CeilEuclidTravel, CourierState, OpenOrder, Snapshot, plan_round

    rng = random.Random(20181)
    places = [(f"p{i}", (rng.uniform(0, 20_000), rng.uniform(0, 20_000))) for i in range(300)]
    orders = []
    for i in range(1000):
        pid, pxy = places[rng.randrange(len(places))]
        placed = rng.uniform(-20, 0)
        ready = placed + rng.uniform(5, 25)
        drop = (rng.uniform(0, 20_000), rng.uniform(0, 20_000))
        orders.append(OpenOrder(f"o{i}", pid, pxy, drop, placed, ready, placed + 40))
    couriers = [
        CourierState(f"c{i}", (rng.uniform(0, 20_000), rng.uniform(0, 20_000)), rng.uniform(-5, 15), 300.0)
        for i in range(2000)
    ]
    snap = Snapshot(0.0, tuple(orders), tuple(couriers))
    travel = CeilEuclidTravel(320)
    for policy in POLICIES:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            out = plan_round(snap, travel, policy)
            times.append(time.perf_counter() - started)
        median_ms = statistics.median(times) * 1000
        print(
            f"{policy:8s} one round, 1000 orders x 2000 couriers: median {median_ms:.0f} ms "
            f"over {repeats} runs ({len(out)} assignments committed)"
        )


def main_medicine(dirs: list[Path], args: argparse.Namespace) -> int:
    """Run the medicine variant over ``dirs`` and print its table."""
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as bar, Pool(processes=args.jobs) as pool:
        task = bar.add_task("medicine variants", total=len(dirs))
        for r in pool.imap_unordered(run_medicine, [str(d) for d in dirs]):
            results.append(r)
            bar.update(task, advance=1, description=f"medicine {r['instance']}")
    wall = time.perf_counter() - started
    results.sort(key=lambda r: r["instance"])
    print(medicine_table(results, args.markdown))
    bad = [r["instance"] for r in results if not all(r[k]["feasible"] for k in r if isinstance(r[k], dict))]
    print(f"\n{len(results)} instances x {len(FLEET_SCALES)} fleet scales in {wall:.1f} s wall")
    print(f"INFEASIBLE: {bad[:5]}" if bad else "every solution feasible under our evaluator")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"wall_seconds": wall, "results": results}, indent=1))
    return 1 if bad else 0


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` pairs as DispatchParams fields of the field's own type."""
    fields = {f.name: type(getattr(DispatchParams(), f.name)) for f in dataclasses.fields(DispatchParams)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in fields:
            known = ", ".join(sorted(fields))
            raise SystemExit(f"--set {pair!r}: expected KEY=VALUE with KEY one of {known}")
        try:
            out[key] = fields[key](value)
        except ValueError:
            raise SystemExit(f"--set {pair!r}: {value!r} is not a {fields[key].__name__}") from None
    return out


def main() -> int:
    """Parse arguments, run the instances in at most two processes, print the tables."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", type=Path, default=DEFAULT_INSTANCES)
    ap.add_argument("--only", help="glob or substring of instance names, e.g. '5o100*' or 'o50'")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2, choices=(1, 2))
    ap.add_argument("--out", type=Path, help="keep solution files here (default: a temporary dir)")
    ap.add_argument("--json", type=Path, help="write per-instance results here")
    ap.add_argument("--markdown", action="store_true", help="print markdown tables")
    ap.add_argument("--round-speed", action="store_true", help="only time one large dispatch round")
    ap.add_argument("--medicine", action="store_true", help="pharmacy variant and fleet sizing (see above)")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a DispatchParams field of the rolling policy (repeatable)",
    )
    args = ap.parse_args()
    overrides = parse_overrides(args.set)
    if args.round_speed:
        round_speed()
        return 0

    dirs = sorted(p for p in args.instances.iterdir() if p.is_dir())
    if args.only:
        pat = args.only if any(ch in args.only for ch in "*?[") else f"*{args.only}*"
        dirs = [d for d in dirs if fnmatch.fnmatch(d.name, pat)]
    if args.limit:
        dirs = dirs[: args.limit]
    if not dirs:
        print("no instance matched", file=sys.stderr)
        return 2
    if args.medicine:
        return main_medicine(dirs, args)
    tmp = tempfile.TemporaryDirectory(prefix="mdrp-bench-") if args.out is None else None
    out_root = str(args.out or (tmp.name if tmp else "."))
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    jobs = [(str(d), out_root, overrides) for d in dirs]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as bar, Pool(processes=args.jobs) as pool:
        task = bar.add_task("MDRP instances", total=len(jobs))
        for r in pool.imap_unordered(run_one, jobs):
            results.append(r)
            bar.update(task, advance=1, description=f"MDRP {r['instance']}")
    wall = time.perf_counter() - started
    results.sort(key=lambda r: r["instance"])
    bad = [(r["instance"], p) for r in results for p in POLICIES if not r[p]["feasible"]]
    print(table(results, args.markdown))
    print(
        f"\n{len(results)} instances x {len(POLICIES)} policies in {wall:.1f} s wall ({args.jobs} processes)"
    )
    if bad:
        print(f"INFEASIBLE: {len(bad)} solutions, e.g. {bad[:5]}")
        for name, policy in bad[:3]:
            r = next(x for x in results if x["instance"] == name)
            print(name, policy, r[policy]["violations"])
    else:
        print("every solution feasible under our evaluator")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"wall_seconds": wall, "results": results}, indent=1))
    if tmp is not None:
        tmp.cleanup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
