"""Run the safety case suite and print sensitivity, specificity and check latency.

    python bench/safety_cases.py [--repeat 5] [--cases tests/cases/safety]

Sensitivity: dangerous cases (expected warn, block or emergency) flagged at the expected level or
stricter; "exact" also requires the exact level. Specificity: safe cases (expected allow) allowed.
Latency: every case checked ``--repeat`` times, then the issue's reference load (a 5-item order for a
profile with 5 conditions and 5 current medicines) checked 2,000 times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from medrush.safety import check, load_knowledge_base
from medrush.safety.cases import CaseOutcome, load_cases, run_case, suite_ports

ROOT = Path(__file__).resolve().parents[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _table(title: str, rows: dict[str, list[CaseOutcome]], safe: bool) -> None:
    print(f"\n{title}")
    print(
        f"  {'group':32} {'n':>4} {'at level+':>10} {'exact':>8}"
        if not safe
        else f"  {'group':32} {'n':>4} {'allowed':>10}"
    )
    for key in sorted(rows):
        outs = rows[key]
        n = len(outs)
        if safe:
            ok = sum(o.result.level == "allow" for o in outs)
            print(f"  {key:32} {n:>4} {ok / n:>10.1%}")
        else:
            ok = sum(o.at_least for o in outs)
            exact = sum(o.exact for o in outs)
            print(f"  {key:32} {n:>4} {ok / n:>10.1%} {exact / n:>8.1%}")


def main() -> int:
    """Run the suite; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=ROOT / "tests" / "cases" / "safety")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    load_knowledge_base()
    cases = load_cases(args.cases)
    ports = suite_ports(args.cases)
    outcomes = [run_case(c, ports) for c in cases]
    timings: list[float] = []
    for _ in range(args.repeat):
        for case in cases:
            start = time.perf_counter()
            run_case(case, ports)
            timings.append((time.perf_counter() - start) * 1000)

    dangerous = [o for o in outcomes if o.case.expect != "allow"]
    safe = [o for o in outcomes if o.case.expect == "allow"]
    emergencies = [o for o in outcomes if o.case.expect == "emergency"]
    by_cat: dict[str, list[CaseOutcome]] = defaultdict(list)
    by_lang: dict[str, list[CaseOutcome]] = defaultdict(list)
    safe_cat: dict[str, list[CaseOutcome]] = defaultdict(list)
    safe_lang: dict[str, list[CaseOutcome]] = defaultdict(list)
    for o in dangerous:
        by_cat[
            o.case.category.split(".")[0] if o.case.category.startswith("red_flag") else o.case.category
        ].append(o)
        by_lang[o.case.lang].append(o)
    for o in safe:
        safe_cat[o.case.category].append(o)
        safe_lang[o.case.lang].append(o)
    red = defaultdict(list)
    for o in dangerous:
        if o.case.category.startswith("red_flag."):
            red[o.case.category].append(o)

    print(
        f"cases: {len(outcomes)} ({len(dangerous)} dangerous, {len(safe)} safe), "
        f"knowledge base {load_knowledge_base().version}"
    )
    _table("sensitivity by category (dangerous cases)", by_cat, safe=False)
    _table("sensitivity by red flag", red, safe=False)
    _table("sensitivity by language", by_lang, safe=False)
    _table("specificity by category (safe cases)", safe_cat, safe=True)
    _table("specificity by language", safe_lang, safe=True)

    sens = sum(o.at_least for o in dangerous) / len(dangerous)
    exact = sum(o.exact for o in dangerous) / len(dangerous)
    emerg = sum(o.result.level == "emergency" for o in emergencies) / len(emergencies)
    spec = sum(o.result.level == "allow" for o in safe) / len(safe)
    print(f"\nemergencies detected: {emerg:.1%} ({len(emergencies)})")
    print(f"sensitivity (expected level or stricter): {sens:.1%}; exact level: {exact:.1%}")
    print(f"specificity (safe cases allowed): {spec:.1%}")
    print(
        f"latency per case check: p50 {statistics.median(timings):.3f} ms, p99 {_pct(timings, 0.99):.3f} ms"
    )

    ref = {
        "patient": {
            "age_years": 67,
            "sex": "male",
            "allergies": ["penicillin"],
            "conditions": ["hypertension", "K25", "asthma", "diabetes", "glaucoma"],
            "current_medications": ["warfarin", "sertraline", "lisinopril", "metformin", "amlodipine"],
        },
        "items": [
            {"medicine_id": i}
            for i in (
                "t-ibuprofen-200",
                "t-cold-flu",
                "t-paracetamol-500",
                "t-omeprazole-20",
                "t-cetirizine-10",
            )
        ],
    }
    ref_times: list[float] = []
    for _ in range(2000):
        start = time.perf_counter()
        check(ref, resolve=ports.resolve, get=ports.get, jurisdiction="generic")
        ref_times.append((time.perf_counter() - start) * 1000)
    ref_level = check(ref, resolve=ports.resolve, get=ports.get, jurisdiction="generic").level
    print(
        f"reference check (5 items, 5 conditions, 5 current medicines, level {ref_level}): "
        f"median {statistics.median(ref_times):.3f} ms, p99 {_pct(ref_times, 0.99):.3f} ms"
    )
    missed = [o.case.id for o in outcomes if not o.exact]
    if missed:
        print("cases not at their exact level:", ", ".join(missed))
    ok = emerg == 1.0 and exact >= 0.98 and spec >= 0.95 and statistics.median(ref_times) <= 2.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
