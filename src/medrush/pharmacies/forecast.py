"""Demand forecasting for merchant insights: Holt-Winters with weekly seasonality, in numpy.

Additive level + trend + 7-day season, smoothing constants chosen per series by a small grid
search on one-step-ahead errors. Compared in ``bench/forecast.py`` with the naive baseline
"next week = last week" (MAPE). Also the restock rule and the city surge test.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "HoltWinters",
    "fit_holt_winters",
    "mape",
    "naive_last_week",
    "restock_quantity",
    "surge_score",
]

SEASON = 7
_ALPHAS = (0.05, 0.1, 0.2, 0.35, 0.5)
_BETAS = (0.0, 0.02, 0.05)
_GAMMAS = (0.05, 0.15, 0.3)
_PHI = 0.9  # trend damping: a week-ahead forecast should not run away on a short trend


@dataclass(frozen=True, slots=True)
class HoltWinters:
    """A fitted model: smoothing constants, final state and one-step residual spread."""

    alpha: float
    beta: float
    gamma: float
    level: float
    trend: float
    season: tuple[float, ...]
    sigma: float

    def forecast(self, horizon: int = 7) -> NDArray[np.float64]:
        """Expected demand for the next ``horizon`` days (never negative)."""
        steps = np.arange(1, horizon + 1)
        damp = np.cumsum(_PHI**steps)
        seasonal = np.array([self.season[(h - 1) % SEASON] for h in steps])
        return np.maximum(0.0, self.level + damp * self.trend + seasonal)


def _run(
    y: NDArray[np.float64], alpha: float, beta: float, gamma: float
) -> tuple[float, float, NDArray[np.float64], NDArray[np.float64]]:
    """Filter the series; returns final level, trend, season and one-step errors."""
    first = y[:SEASON]
    level = float(first.mean())
    second = y[SEASON : 2 * SEASON]
    trend = float((second.mean() - level) / SEASON) if len(second) == SEASON else 0.0
    season = first - level
    errors = np.empty(len(y) - SEASON)
    for t in range(SEASON, len(y)):
        s = season[t % SEASON]
        predicted = level + _PHI * trend + s
        errors[t - SEASON] = y[t] - predicted
        new_level = alpha * (y[t] - s) + (1 - alpha) * (level + _PHI * trend)
        trend = beta * (new_level - level) + (1 - beta) * _PHI * trend
        season[t % SEASON] = gamma * (y[t] - new_level) + (1 - gamma) * s
        level = new_level
    # rotate so that season[0] belongs to the day after the last observation
    start = len(y) % SEASON
    rotated = np.concatenate([season[start:], season[:start]])
    return level, trend, rotated, errors


def fit_holt_winters(history: NDArray[np.float64] | list[float]) -> HoltWinters:
    """Fit on daily history (oldest first, at least 14 days) by grid search on one-step MAE."""
    y = np.asarray(history, dtype=float)
    if len(y) < 2 * SEASON:
        raise ValueError("Holt-Winters needs at least two weeks of history")
    best: tuple[float, HoltWinters] | None = None
    for alpha, beta, gamma in itertools.product(_ALPHAS, _BETAS, _GAMMAS):
        level, trend, season, errors = _run(y, alpha, beta, gamma)
        tail = errors[SEASON:] if len(errors) > 2 * SEASON else errors
        score = float(np.abs(tail).mean())
        if best is None or score < best[0]:
            sigma = float(np.sqrt(np.mean(tail**2)))
            best = (score, HoltWinters(alpha, beta, gamma, level, trend, tuple(season.tolist()), sigma))
    assert best is not None
    return best[1]


def naive_last_week(history: NDArray[np.float64] | list[float], horizon: int = 7) -> NDArray[np.float64]:
    """The baseline: the same weekday last week."""
    y = np.asarray(history, dtype=float)
    return np.array([y[len(y) - SEASON + (h % SEASON)] for h in range(horizon)])


def mape(actual: NDArray[np.float64], forecast: NDArray[np.float64]) -> float:
    """Mean absolute percentage error over the days with non-zero demand, in percent."""
    a, f = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    mask = a > 0
    if not mask.any():
        return 0.0
    return float(np.mean(np.abs(a[mask] - f[mask]) / a[mask]) * 100)


def restock_quantity(forecast: NDArray[np.float64], sigma: float, available: int, *, z: float = 1.65) -> int:
    """Units to order so the next week's demand is covered with ~95% service (normal errors)."""
    need = float(np.sum(forecast)) + z * sigma * math.sqrt(len(forecast))
    return max(0, math.ceil(need - available))


def surge_score(
    daily: NDArray[np.float64] | list[float], *, recent: int = 3, baseline: int = 28
) -> tuple[float, float]:
    """(ratio, z) of the last ``recent`` days' mean against the ``baseline`` days before them."""
    y = np.asarray(daily, dtype=float)
    if len(y) < recent + 7:
        return 1.0, 0.0
    before = y[-(recent + baseline) : -recent]
    now = y[-recent:].mean()
    mean = before.mean()
    spread = before.std(ddof=1) if len(before) > 1 else 0.0
    ratio = float(now / mean) if mean > 0 else (float("inf") if now > 0 else 1.0)
    z = float((now - mean) / (spread / math.sqrt(recent))) if spread > 0 else (0.0 if now == mean else 99.0)
    return ratio, z
