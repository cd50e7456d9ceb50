"""Chat load benchmark: 2,000 WebSocket clients in 1,000 conversations, with 1 and 2 web workers.

    .venv/bin/python bench/consult_load.py [--conversations 1000] [--seconds 60] [--database URL]

Runs the load scenario of ``tests/e2e/test_consult_load.py`` (which also checks that no message is
lost, duplicated or reordered) once per worker count, reads the JSON report it prints, and shows
the two runs side by side against the target (p99 <= 150 ms, zero lost).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P99_MS = 150.0


def run(workers: int, conversations: int, seconds: float, database: str | None) -> dict[str, float]:
    """One load run in a child pytest; returns its report."""
    env = {
        **os.environ,
        "MEDRUSH_LOAD_CONVERSATIONS": str(conversations),
        "MEDRUSH_LOAD_SECONDS": str(seconds),
        "MEDRUSH_LOAD_WORKERS": str(workers),
    }
    if database:
        env["MEDRUSH_TEST_DATABASE"] = database
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "tests/e2e/test_consult_load.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.strip().startswith("consult load:"):
            report: dict[str, float] = json.loads(line.split("consult load:", 1)[1])
            report["passed"] = float(result.returncode == 0)
            return report
    raise SystemExit(f"the load run with {workers} worker(s) printed no report:\n{result.stdout[-3000:]}")


def main() -> None:
    """Run with 1 and 2 workers and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database", help="postgresql:// URL of a server to create the bench database on")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs shared by clients, server and PostgreSQL; load {os.getloadavg()}")
    print(f"{args.conversations} conversations, {2 * args.conversations} clients, {args.seconds:.0f} s\n")
    print(
        "| workers | msgs | msg/s | p50 ms | p95 ms | p99 ms | max ms | lost | dup | reordered | p99 target |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for workers in (1, 2):
        r = run(workers, args.conversations, args.seconds, args.database)
        verdict = "met" if r["p99_ms"] <= TARGET_P99_MS and r["lost"] == 0 else "missed"
        print(
            f"| {workers} | {int(r['messages_sent'])} | {r['rate_per_second']} | {r['p50_ms']} "
            f"| {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {int(r['lost'])} | {int(r['duplicated'])} | "
            f"{int(r['order_violations'])} | {verdict} (<= {TARGET_P99_MS:.0f}) |"
        )


if __name__ == "__main__":
    main()
