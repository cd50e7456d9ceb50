"""Forecast benchmark: Holt-Winters (weekly season) against the naive "same day last week".

Simulated daily sales of many product-pharmacy series (Poisson counts around a level with a
weekday pattern), in four scenarios: steady, trending, an epidemic surge starting in the last
two weeks of history, and low-volume products. Each series has 8 weeks of history; both methods
forecast the following 7 days and are scored by MAPE (days with sales) and WAPE (sum of absolute
errors over sum of sales, robust to zero days).

    python bench/forecast.py [--series 400] [--seed 1] [--weeks 8]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from medrush.pharmacies.forecast import fit_holt_winters, mape, naive_last_week

SCENARIOS = ("steady", "trend", "surge", "low_volume")


def weekday_pattern(rng: np.random.Generator) -> np.ndarray:
    """A weekly shape: weekends up or down by up to 40%, mild weekday noise, mean 1."""
    shape = 1 + rng.normal(0, 0.08, 7)
    shape[5:] *= rng.uniform(0.6, 1.4)
    return shape / shape.mean()


def simulate(scenario: str, days: int, rng: np.random.Generator) -> np.ndarray:
    """One series of daily unit sales, ``days`` long."""
    level = rng.uniform(0.3, 2.0) if scenario == "low_volume" else rng.uniform(4, 40)
    shape = np.tile(weekday_pattern(rng), days // 7 + 1)[:days]
    t = np.arange(days)
    mean = level * shape
    if scenario == "trend":
        mean = mean * (1 + rng.uniform(-0.012, 0.012)) ** t
    if scenario == "surge":
        start = days - 21 + int(rng.integers(0, 7))
        ramp = np.clip((t - start) / 7, 0, 1) * rng.uniform(1.0, 2.0)
        mean = mean * (1 + ramp)
    return rng.poisson(mean).astype(float)


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Sum of absolute errors over the sum of actual sales, in percent."""
    total = actual.sum()
    return float(np.abs(actual - forecast).sum() / total * 100) if total > 0 else 0.0


def main() -> None:
    """Run every scenario and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=400, help="series per scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=8, help="weeks of history")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    days = args.weeks * 7 + 7
    print(f"{args.series} series per scenario, {args.weeks} weeks of history, seed {args.seed}")
    print()
    print("| scenario | HW MAPE % | naive MAPE % | HW WAPE % | naive WAPE % | HW better | fit ms/series |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for scenario in SCENARIOS:
        hw_mape, nv_mape, hw_wape, nv_wape, wins = [], [], [], [], 0
        fit_seconds = 0.0
        for _ in range(args.series):
            series = simulate(scenario, days, rng)
            history, future = series[:-7], series[-7:]
            started = time.perf_counter()
            hw = fit_holt_winters(history).forecast(7)
            fit_seconds += time.perf_counter() - started
            nv = naive_last_week(history)
            hw_mape.append(mape(future, hw))
            nv_mape.append(mape(future, nv))
            hw_wape.append(wape(future, hw))
            nv_wape.append(wape(future, nv))
            wins += int(np.abs(future - hw).sum() < np.abs(future - nv).sum())
        print(
            f"| {scenario} | {np.mean(hw_mape):.1f} | {np.mean(nv_mape):.1f} | {np.mean(hw_wape):.1f} | "
            f"{np.mean(nv_wape):.1f} | {wins / args.series:.0%} | {fit_seconds / args.series * 1000:.1f} |"
        )


if __name__ == "__main__":
    main()
