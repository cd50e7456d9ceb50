"""Holt-Winters forecasting, the naive baseline, MAPE, restock and surge rules."""

import numpy as np
import pytest

from medrush.pharmacies.forecast import fit_holt_winters, mape, naive_last_week, restock_quantity, surge_score

WEEK = np.array([10.0, 10, 10, 10, 10, 20, 20])  # Monday..Sunday, busy weekends


def test_a_clean_weekly_pattern_is_forecast_exactly() -> None:
    history = np.tile(WEEK, 8)  # 8 weeks ending on a Sunday
    forecast = fit_holt_winters(history).forecast(7)
    assert np.allclose(forecast, WEEK, atol=0.01)


def test_the_forecast_starts_on_the_day_after_the_history() -> None:
    history = np.tile(WEEK, 8)[:-2]  # ends on a Friday: next are Saturday and Sunday
    forecast = fit_holt_winters(history).forecast(3)
    assert np.allclose(forecast, [20, 20, 10], atol=0.01)


def test_the_naive_baseline_repeats_last_week() -> None:
    history = np.arange(21, dtype=float)
    assert naive_last_week(history, 7).tolist() == [14, 15, 16, 17, 18, 19, 20]
    assert naive_last_week(history, 9).tolist() == [14, 15, 16, 17, 18, 19, 20, 14, 15]


def test_holt_winters_beats_the_naive_baseline_on_noisy_weekly_demand() -> None:
    rng = np.random.default_rng(7)
    hw_errors, naive_errors = [], []
    for _ in range(40):
        level = rng.uniform(5, 30)
        series = rng.poisson(level * np.tile(WEEK / WEEK.mean(), 11)).astype(float)
        history, future = series[:-7], series[-7:]
        hw_errors.append(mape(future, fit_holt_winters(history).forecast(7)))
        naive_errors.append(mape(future, naive_last_week(history)))
    assert np.mean(hw_errors) < np.mean(naive_errors)


def test_mape_skips_days_without_demand() -> None:
    assert mape(np.array([10.0, 0, 20]), np.array([12.0, 5, 10])) == pytest.approx(35.0)
    assert mape(np.array([0.0, 0]), np.array([1.0, 1])) == 0.0


def test_restock_covers_the_week_with_a_safety_margin() -> None:
    forecast = np.full(7, 10.0)
    assert restock_quantity(forecast, sigma=0.0, available=30) == 40
    assert restock_quantity(forecast, sigma=2.0, available=30) == 49  # 70 + 1.65*2*sqrt(7) = 78.7
    assert restock_quantity(forecast, sigma=0.0, available=100) == 0


def test_a_surge_is_a_jump_far_above_the_usual_spread() -> None:
    calm = np.array([10.0, 12, 9, 11, 10, 13, 8] * 4)
    ratio, z = surge_score(np.concatenate([calm, [30, 35, 40]]))
    assert ratio == pytest.approx(35 / calm.mean())
    assert z > 10
    ratio, z = surge_score(np.concatenate([calm, [11, 10, 12]]))
    assert ratio < 1.2 and z < 2


def test_too_short_a_history_is_refused() -> None:
    with pytest.raises(ValueError, match="two weeks"):
        fit_holt_winters([1.0] * 13)
