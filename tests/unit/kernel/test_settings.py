"""Settings: a bad value stops start-up with one line naming the setting."""

from __future__ import annotations

import pytest

from medrush.settings import SettingsError, get_settings, reset_settings


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MEDRUSH_JURISDICTION", "fr", "MEDRUSH_JURISDICTION"),
        ("MEDRUSH_PORT", "eighty", "MEDRUSH_PORT"),
        ("MEDRUSH_DATABASE_URL", "mysql://x/y", "MEDRUSH_DATABASE_URL"),
        ("MEDRUSH_TIMEZONE", "Mars/Olympus", "MEDRUSH_TIMEZONE"),
        ("MEDRUSH_COURIER_PAY_PER_DELIVERY", "7.00", "whole number of minor units"),
        ("MEDRUSH_COURIER_PAY_PER_DELIVERY", "seven", "whole number of minor units"),
        ("MEDRUSH_COURIER_PAY_PER_HOUR", "-1", "greater than or equal to 0"),
        ("MEDRUSH_COURIER_PAY_PER_HOUR", "100000001", "less than or equal to 100000000"),
        ("MEDRUSH_COURIER_PAY_CURRENCY", "yuan", "three-letter ISO 4217 code"),
        ("MEDRUSH_COURIER_PAY_CURRENCY", "cny", "three-letter ISO 4217 code"),
    ],
)
def test_bad_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    reset_settings()
    try:
        with pytest.raises(SettingsError) as info:
            get_settings()
        message = str(info.value)
        assert message.startswith(f"bad setting {name}: ")
        assert fragment in message
        assert "\n" not in message
    finally:
        monkeypatch.delenv(name)
        reset_settings()


def test_development_secret_is_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDRUSH_ENV", "production")
    monkeypatch.delenv("MEDRUSH_SECRET_KEY", raising=False)
    reset_settings()
    try:
        with pytest.raises(SettingsError, match="MEDRUSH_SECRET_KEY"):
            get_settings()
    finally:
        monkeypatch.setenv("MEDRUSH_ENV", "test")
        reset_settings()


def test_jurisdiction_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDRUSH_JURISDICTION", "kr")
    reset_settings()
    try:
        assert get_settings().jurisdiction == "kr"
    finally:
        monkeypatch.delenv("MEDRUSH_JURISDICTION")
        reset_settings()


def test_courier_pay_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    reset_settings()
    defaults = get_settings()
    assert (
        defaults.courier_pay_currency,
        defaults.courier_pay_per_delivery,
        defaults.courier_pay_per_hour,
    ) == (
        "CNY",
        700,
        2600,
    )
    monkeypatch.setenv("MEDRUSH_COURIER_PAY_CURRENCY", "KRW")
    monkeypatch.setenv("MEDRUSH_COURIER_PAY_PER_DELIVERY", "3500")
    monkeypatch.setenv("MEDRUSH_COURIER_PAY_PER_HOUR", "0")  # no guarantee: per delivery only
    reset_settings()
    try:
        s = get_settings()
        assert (s.courier_pay_currency, s.courier_pay_per_delivery, s.courier_pay_per_hour) == (
            "KRW",
            3500,
            0,
        )
    finally:
        for name in (
            "MEDRUSH_COURIER_PAY_CURRENCY",
            "MEDRUSH_COURIER_PAY_PER_DELIVERY",
            "MEDRUSH_COURIER_PAY_PER_HOUR",
        ):
            monkeypatch.delenv(name)
        reset_settings()
