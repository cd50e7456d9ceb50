"""Run the Grubhub MDRP instances with both dispatch policies and print per-class tables.

Usage (from the repository root, venv active):

    python bench/mdrp.py                       # all 240 instances, 2 processes
    python bench/mdrp.py --only 5o100 --limit 4
    python bench/mdrp.py --markdown --json var/bench/mdrp.json

Every solution is written to disk in the benchmark's format and checked with our evaluator;
an infeasible solution is reported and makes the exit status 1. Figures are averages over
instances of each instance's own figure (as Reyes et al. report them).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from medrush.dispatch import POLICIES
from medrush.dispatch.mdrp import evaluate_dir, load_instance, simulate, write_solution

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


def run_one(job: tuple[str, str]) -> dict[str, Any]:
    """Solve one instance with every policy, write and evaluate the files."""
    instance_dir, out_root = job
    inst = load_instance(instance_dir)
    result: dict[str, Any] = {"instance": inst.name}
    for policy in POLICIES:
        started = time.perf_counter()
        solution = simulate(inst, policy)
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
    args = ap.parse_args()

    dirs = sorted(p for p in args.instances.iterdir() if p.is_dir())
    if args.only:
        pat = args.only if any(ch in args.only for ch in "*?[") else f"*{args.only}*"
        dirs = [d for d in dirs if fnmatch.fnmatch(d.name, pat)]
    if args.limit:
        dirs = dirs[: args.limit]
    if not dirs:
        print("no instance matched", file=sys.stderr)
        return 2
    tmp = tempfile.TemporaryDirectory(prefix="mdrp-bench-") if args.out is None else None
    out_root = str(args.out or (tmp.name if tmp else "."))
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    jobs = [(str(d), out_root) for d in dirs]
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
