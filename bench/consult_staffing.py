"""Consultation staffing: Erlang C against a discrete-event simulation, and routing speed.

For each demand level it asks ``medrush.consult.staffing_for`` how many clinicians keep "90 %
answered within 2 minutes", then simulates that queue (Poisson arrivals, exponential handling,
first come first served, ``clinicians * chats_each`` servers) at that staffing and with one
clinician fewer, so the formula's answer is checked from both sides. It then times the pure
routing function on 1,000 waiting requests and 200 clinicians.

    python bench/consult_staffing.py [--arrivals 200000] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from medrush.consult import ClinicianSlot, WaitingRequest, assign, service_level, staffing_for

TARGET_SECONDS = 120.0
TARGET_LEVEL = 0.9
HANDLE_MINUTES = 12.0
CHATS_EACH = 3
DEMAND_PER_HOUR = (30, 60, 120, 300, 600, 1200)


def simulate(
    servers: int, arrivals_per_hour: float, handle_min: float, n: int, rng: random.Random
) -> dict[str, float]:
    """FCFS M/M/c by the earliest-free-server recursion; returns service level and wait figures."""
    rate = arrivals_per_hour / 60.0
    free = [0.0] * servers
    heapq.heapify(free)
    clock = 0.0
    waits: list[float] = []
    warmup = n // 10
    for i in range(n):
        clock += rng.expovariate(rate)
        earliest = heapq.heappop(free)
        start = max(clock, earliest)
        heapq.heappush(free, start + rng.expovariate(1.0 / handle_min))
        if i >= warmup:
            waits.append((start - clock) * 60.0)
    waits.sort()
    within = sum(1 for w in waits if w <= TARGET_SECONDS) / len(waits)
    return {
        "service_level": within,
        "mean_wait_s": statistics.fmean(waits),
        "p90_wait_s": waits[int(0.9 * (len(waits) - 1))],
        "p99_wait_s": waits[int(0.99 * (len(waits) - 1))],
    }


def staffing_table(n: int, seed: int) -> list[dict[str, Any]]:
    """Erlang C's roster and the simulated service level at it and one below it."""
    rows = []
    for demand in DEMAND_PER_HOUR:
        advice = staffing_for(
            demand,
            HANDLE_MINUTES,
            target_seconds=TARGET_SECONDS,
            target_level=TARGET_LEVEL,
            chats_each=CHATS_EACH,
        )
        sim = simulate(advice.servers, demand, HANDLE_MINUTES, n, random.Random(seed))
        fewer = advice.clinicians - 1
        below = (
            simulate(fewer * CHATS_EACH, demand, HANDLE_MINUTES, n, random.Random(seed))
            if fewer >= 1 and fewer * CHATS_EACH > demand / 60 * HANDLE_MINUTES
            else None
        )
        rows.append(
            {
                "arrivals_per_hour": demand,
                "clinicians": advice.clinicians,
                "erlang_c_level": round(advice.service_level, 4),
                "simulated_level": round(sim["service_level"], 4),
                "simulated_mean_wait_s": round(sim["mean_wait_s"], 1),
                "simulated_p90_wait_s": round(sim["p90_wait_s"], 1),
                "occupancy": round(advice.occupancy, 3),
                "one_fewer_erlang_c": None
                if below is None
                else round(
                    service_level(fewer * CHATS_EACH, demand / 60, HANDLE_MINUTES, TARGET_SECONDS / 60), 4
                ),
                "one_fewer_simulated": None if below is None else round(below["service_level"], 4),
            }
        )
    return rows


def routing_timing(repeats: int = 5) -> dict[str, float]:
    """Wall time of ``assign`` for 1,000 waiting requests and 200 clinicians (best and median)."""
    langs = ("en", "zh", "ko")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    waiting = [
        WaitingRequest(
            uuid.UUID(int=10_000 + i),
            ("doctor", "pharmacist")[i % 2],
            langs[i % 3],
            "general",
            1 + i % 2,
            now - timedelta(seconds=i),
        )
        for i in range(1000)
    ]
    times = []
    made = 0
    for _ in range(repeats):
        clinicians = [
            ClinicianSlot(
                uuid.UUID(int=i),
                frozenset({"doctor", "pharmacist"}),
                frozenset({langs[i % 3], "en"}),
                frozenset({"general"}),
                6,
                0,
                None,
            )
            for i in range(200)
        ]
        started = time.perf_counter()
        made = len(assign(waiting, clinicians, now))
        times.append((time.perf_counter() - started) * 1000)
    return {
        "assigned": made,
        "best_ms": round(min(times), 2),
        "median_ms": round(statistics.median(times), 2),
    }


def main() -> None:
    """Print the staffing table and the routing timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", type=int, default=200_000, help="simulated arrivals per scenario")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    table = staffing_table(args.arrivals, args.seed)
    routing = routing_timing()
    if args.json:
        print(json.dumps({"staffing": table, "routing": routing}, indent=2))
        return
    print(
        f"target: {TARGET_LEVEL:.0%} answered within {TARGET_SECONDS:.0f} s; handling {HANDLE_MINUTES} min; "
        f"{CHATS_EACH} chats per clinician; {args.arrivals} simulated arrivals per row"
    )
    print(
        "arrivals/h  clinicians  ErlangC  simulated  mean wait s  p90 wait s  occupancy  "
        "| one fewer: ErlangC  simulated"
    )
    for r in table:
        fewer = (
            f"{r['one_fewer_erlang_c']:.4f}   {r['one_fewer_simulated']:.4f}"
            if r["one_fewer_erlang_c"] is not None
            else "unstable"
        )
        print(
            f"{r['arrivals_per_hour']:>10}  {r['clinicians']:>10}  {r['erlang_c_level']:.4f}  "
            f"{r['simulated_level']:>9.4f}  {r['simulated_mean_wait_s']:>11.1f}  "
            f"{r['simulated_p90_wait_s']:>10.1f}  "
            f"{r['occupancy']:>9.3f}  | {fewer}"
        )
    print(
        f"routing: {routing['assigned']} of 1000 requests to 200 clinicians in {routing['best_ms']} ms "
        f"(best of 5; median {routing['median_ms']} ms)"
    )


if __name__ == "__main__":
    main()
