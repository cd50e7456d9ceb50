"""The core commands as a user runs them: clear one-line errors and non-zero exits, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest


def medrush(*args: str, database: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the console command in a child process against the test database."""
    return subprocess.run(
        [sys.executable, "-m", "medrush", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MEDRUSH_DATABASE_URL": database, **env},
        check=False,
    )


def test_db_upgrade_is_idempotent(database: str) -> None:
    first = medrush("db", "upgrade", database=database)
    second = medrush("db", "upgrade", database=database)
    assert (first.returncode, second.returncode) == (0, 0)
    assert "schema is up to date" in second.stderr


def test_user_create_then_duplicate_and_unknown_role(database: str) -> None:
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    created = medrush(
        "user", "create", email, "--role", "operator", "--password", "long-password", database=database
    )
    assert created.returncode == 0, created.stderr
    assert f"created {email} (operator)" in created.stdout
    again = medrush("user", "create", email, "--password", "long-password", database=database)
    assert again.returncode == 2
    assert again.stderr.strip().endswith("error: an account with this e-mail already exists")
    wizard = medrush(
        "user",
        "create",
        "w@example.org",
        "--role",
        "wizard",
        "--password",
        "long-password",
        database=database,
    )
    assert wizard.returncode == 2
    assert "unknown role 'wizard'" in wizard.stderr
    assert "Traceback" not in again.stderr + wizard.stderr


async def test_staff_accounts_are_created_for_an_existing_pharmacy(database: str) -> None:
    from tests.integration.pharmacies.world import ensure_tables, make_pharmacy

    await ensure_tables()
    pid = await make_pharmacy(name="CLI Staff Pharmacy")
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    args = ("user", "create", email, "--role", "pharmacy_staff", "--password", "long-password")
    alone = medrush(*args, database=database)
    assert alone.returncode == 2
    assert alone.stderr.strip() == "error: a pharmacy_staff account needs --pharmacy ID"
    unknown = medrush(*args, "--pharmacy", str(uuid.uuid4()), database=database)
    assert unknown.returncode == 2 and "no such pharmacy" in unknown.stderr
    garbled = medrush(*args, "--pharmacy", "corner-shop", database=database)
    assert garbled.returncode == 2 and "is not a pharmacy id" in garbled.stderr
    created = medrush(*args, "--role", "pharmacist", "--pharmacy", str(pid), database=database)
    assert created.returncode == 0, created.stderr
    assert f"created {email} (pharmacist, pharmacy_staff)" in created.stdout
    assert "Traceback" not in alone.stderr + unknown.stderr + garbled.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEDRUSH_PORT", "eighty"),
        ("MEDRUSH_JURISDICTION", "mars"),
        ("MEDRUSH_DATABASE_URL", "sqlite:///x.db"),
    ],
)
def test_bad_setting_stops_with_one_line(database: str, name: str, value: str) -> None:
    result = medrush("db", "upgrade", database=database, **{name: value})
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [lines[-1]]
    assert lines[-1].startswith(f"error: bad setting {name}")


def test_unreachable_database_is_one_line(database: str) -> None:
    result = medrush("db", "upgrade", database="postgresql://postgres@127.0.0.1:1/nowhere")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error:")


async def test_simulate_day_sizes_a_city_s_fleet_and_refuses_bad_input(database: str) -> None:
    from tests.integration.pharmacies.world import ensure_tables, make_city

    await ensure_tables()
    city = await make_city()
    sized = medrush(
        "simulate", "day", "--city", city, "--orders", "120", "--consults", "300", "--json", database=database
    )
    assert sized.returncode == 0, sized.stderr
    body = json.loads(sized.stdout)
    assert (body["city"], body["pharmacies"], body["meets_target"]) == (city, 2, True)
    assert [h["hour"] for h in body["hours"]] == list(range(24))
    assert all(h["on_time_pct"] >= 95 for h in body["hours"] if h["orders"])
    assert body["courier_hours"] == sum(body["couriers_by_hour"]) > 0
    assert all(h["clinicians"] >= 1 for h in body["hours"])
    flat = medrush(
        "simulate",
        "day",
        "--city",
        city,
        "--orders",
        "200",
        "--couriers",
        " ".join(["1"] * 24),
        database=database,
    )
    assert flat.returncode == 0, flat.stderr
    assert flat.stdout.splitlines()[0].startswith("hour  orders  couriers")
    assert "courier-hours; target" in flat.stdout
    refused = medrush("simulate", "day", "--city", "Atlantis", database=database)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith("error: no approved pharmacies in 'Atlantis'")
    assert "Traceback" not in refused.stderr
