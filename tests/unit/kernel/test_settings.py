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
