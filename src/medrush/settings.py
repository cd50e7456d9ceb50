"""Typed settings, read once from ``MEDRUSH_*`` environment variables and an optional ``.env`` file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["JURISDICTIONS", "Jurisdiction", "Settings", "SettingsError", "get_settings", "reset_settings"]

_DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused outside development

# The jurisdiction profiles a deployment can choose (MEDRUSH_JURISDICTION); data files that vary by
# jurisdiction (safety rule levels, emergency numbers) are checked against this list.
Jurisdiction = Literal["generic", "cn", "kr"]
JURISDICTIONS: tuple[str, ...] = get_args(Jurisdiction)


MAX_COURIER_PAY = 100_000_000  # minor units, per delivery or per hour: catches a slip of the keyboard


class SettingsError(RuntimeError):
    """A setting has a bad value; the message is one line naming it."""


class Settings(BaseSettings):
    """Every knob of a medrush deployment."""

    model_config = SettingsConfigDict(env_prefix="MEDRUSH_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    home: Path = Path("./var")
    database_url: str | None = None
    # Connections a process keeps open. Connections beyond it (up to 10 more) are closed as soon
    # as they are returned, and opening one costs both sides milliseconds of CPU; with 10, a
    # burst of slow requests made workers open and close connections all the time, which slowed
    # every request further (bench/checkout.py: p99 from ~50 ms to over 500 ms).
    database_pool_size: int = Field(25, ge=1, le=500)
    # Ping each pooled connection before use. With asyncpg that costs three round trips per
    # checkout (about a fifth of checkout throughput, bench/checkout.py); off, a connection the
    # server dropped fails one request with 503 and the pool is rebuilt (see docs/orders.md).
    database_pre_ping: bool = False
    redis_url: str | None = None
    jurisdiction: Jurisdiction = "generic"
    secret_key: str = _DEV_SECRET
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    secure_cookies: bool = False
    max_body_bytes: int = Field(1_048_576, ge=1024)
    signin_max_attempts: int = Field(5, ge=1)
    signin_window_seconds: int = Field(300, ge=1)
    session_days: int = Field(14, ge=1)
    timezone: str = "Asia/Shanghai"
    day_start_hour: int = Field(7, ge=0, le=23)
    night_start_hour: int = Field(22, ge=0, le=23)
    promise_day_minutes: int = Field(30, ge=5, le=600)
    promise_night_minutes: int = Field(60, ge=5, le=600)
    reservation_minutes: int = Field(15, ge=1)
    pharmacy_accept_minutes: int = Field(5, ge=1)
    outbox_poll_seconds: float = Field(1.0, gt=0)
    # every process looks this often for catalog changes its search index missed on the bus
    catalog_catch_up_seconds: float = Field(30.0, gt=0)
    # Housekeeping (every 10 minutes in the process that runs the order timers): delivered outbox
    # events and idempotency keys are deleted after these times. A retry with an idempotency key
    # older than its retention runs as a new request.
    outbox_retention_days: int = Field(7, ge=1)
    idempotency_retention_hours: int = Field(24, ge=1)
    # Courier pay (the MDRP benchmark's rule): the larger of pay per delivery x deliveries and the
    # guaranteed pay per hour x shift hours, in whole minor units of the currency (fen for CNY, won
    # for KRW), like order totals and delivery fees.
    courier_pay_currency: str = "CNY"
    courier_pay_per_delivery: int = Field(700, ge=0, le=MAX_COURIER_PAY)
    courier_pay_per_hour: int = Field(2600, ge=0, le=MAX_COURIER_PAY)
    demo_couriers: bool = False  # `medrush demo` keeps its demo couriers online (they have no phones)
    background_jobs: bool = True  # the relaying process also runs order timers and dispatch zone loops
    inprocess_worker: bool = True  # web processes also relay the outbox (off when `medrush worker` runs)

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("must be a postgresql:// URL (medrush runs on PostgreSQL only)")
        return value

    @field_validator("courier_pay_per_delivery", "courier_pay_per_hour", mode="before")
    @classmethod
    def _whole_minor_units(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
            raise ValueError(
                f"must be a whole number of minor units (e.g. 700 for ¥7.00 or ₩700), not {value!r}"
            )
        return value

    @field_validator("courier_pay_currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if not (len(value) == 3 and value.isascii() and value.isalpha() and value.isupper()):
            raise ValueError(f"must be a three-letter ISO 4217 code such as CNY or KRW, not {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception as exc:  # ZoneInfo raises several unrelated types
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> Settings:
        if self.env == "production" and self.secret_key == _DEV_SECRET:
            raise ValueError(
                "secret_key: set MEDRUSH_SECRET_KEY; the development secret is refused in production"
            )
        if self.env == "production" and len(self.secret_key) < 32:
            raise ValueError("secret_key: must be at least 32 characters in production")
        return self

    @property
    def async_database_url(self) -> str | None:
        """The external database URL in the form SQLAlchemy's asyncpg dialect expects."""
        if self.database_url is None:
            return None
        url = self.database_url
        for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix) :]
        return url


def _one_line(exc: ValidationError) -> str:
    err = exc.errors()[0]
    name = ".".join(str(p) for p in err["loc"]) or "settings"
    message = str(err["msg"]).removeprefix("Value error, ")
    if name == "settings" and ":" in message:
        name, message = (part.strip() for part in message.split(":", 1))
    return f"bad setting MEDRUSH_{name.upper()}: {message}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; a bad value raises SettingsError with one clear line."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment and read them again)."""
    get_settings.cache_clear()


def random_secret() -> str:
    """A fresh secret suitable for MEDRUSH_SECRET_KEY."""
    return secrets.token_urlsafe(48)
