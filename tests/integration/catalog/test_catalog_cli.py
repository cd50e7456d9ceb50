"""``medrush catalog load`` and ``medrush search`` through Typer's CliRunner.

Uses the session database of ``tests/conftest.py`` with the small fixture catalog; afterwards the
shipped catalog is loaded back (``catalog load --force``) so later tests see the real one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import typer
from typer.testing import CliRunner

from medrush import catalog
from medrush.cli import catalog as catalog_cli
from medrush.kernel import db

FIXTURES = Path(__file__).parents[2] / "unit" / "catalog" / "fixtures"
SCHEMA = json.loads((Path(__file__).parent / "search_result.schema.json").read_text(encoding="utf-8"))


def make_app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(catalog_cli.app, name="catalog")
    app.command("search")(catalog_cli.search_command)
    return app


@pytest.fixture(scope="module")
def cli(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRunner]:
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(FIXTURES, data / "catalog")
    patch = pytest.MonkeyPatch()
    patch.setenv("MEDRUSH_DATA_DIR", str(data))
    db.forget()  # each command runs its own event loop and engine
    catalog.set_search_index(None)
    runner = CliRunner()
    yield runner
    patch.undo()
    catalog.set_search_index(None)
    restored = runner.invoke(make_app(), ["catalog", "load", "--force"])
    assert restored.exit_code == 0, restored.output
    catalog.set_search_index(None)
    db.forget()


def test_load_then_up_to_date(cli: CliRunner) -> None:
    app = make_app()
    first = cli.invoke(app, ["catalog", "load"])
    assert first.exit_code == 0, first.output
    second = cli.invoke(app, ["catalog", "load"])
    assert second.exit_code == 0
    assert "the catalog is up to date" in second.output
    forced = cli.invoke(app, ["catalog", "load", "--force"])
    assert "loaded 21 catalog products" in forced.output


def test_search_json_follows_the_contract(cli: CliRunner) -> None:
    result = cli.invoke(make_app(), ["search", "布洛芬", "--json", "--limit", "2"])
    english = cli.invoke(make_app(), ["search", "布洛芬", "--json", "--limit", "1", "--lang", "en"])
    assert json.loads(english.stdout)[0]["name"] == "Ibuprofen 200 mg tablets"
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    jsonschema.validate(rows, SCHEMA)
    assert [r["medicine_id"] for r in rows] == ["ibuprofen-200-tab", "ibuprofen-300-sr-cap"]
    assert rows[0] == {
        "medicine_id": "ibuprofen-200-tab",
        "name": "布洛芬片",
        "generic_name_en": "ibuprofen",
        "ingredients": ["ibuprofen"],
        "atc": "M01AE01",
        "category": "analgesic",
        "rx_class": "otc_b",
    }


async def fake_search_offers(
    session: object, medicine_ids: list[str], lat: float, lng: float
) -> dict[str, list[dict[str, object]]]:
    """Stands in for the orders domain: one pharmacy stocks the 400 mg tablets only."""
    assert (lat, lng) == (31.23, 121.47)
    offer = {"pharmacy_id": "p-1", "price": 12.5, "in_stock": True, "eta_minutes": 24}
    return {"ibuprofen-400-tab": [offer]} if "ibuprofen-400-tab" in medicine_ids else {}


def test_search_with_a_location_adds_offers_and_lists_available_first(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medrush import orders

    monkeypatch.setattr(orders, "search_offers", fake_search_offers)
    result = cli.invoke(make_app(), ["search", "ibuprofen", "--lat", "31.23", "--lng", "121.47", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    jsonschema.validate(rows, SCHEMA)
    assert [(r["medicine_id"], len(r["offers"])) for r in rows] == [
        ("ibuprofen-400-tab", 1),
        ("ibuprofen-200-tab", 0),
        ("ibuprofen-300-sr-cap", 0),
        ("ibuprofen-children-susp", 0),
    ]
    assert rows[0]["offers"] == [{"pharmacy_id": "p-1", "price": 12.5, "in_stock": True, "eta_minutes": 24}]


def test_plain_output_and_no_match(cli: CliRunner) -> None:
    app = make_app()
    plain = cli.invoke(app, ["search", "타이레놀", "--lang", "ko"])
    assert plain.exit_code == 0
    assert plain.stdout.split() == ["paracetamol-500-tab", "otc_b", "아세트아미노펜정"]
    nothing = cli.invoke(app, ["search", "zzzz"])
    assert (nothing.exit_code, nothing.stdout.strip()) == (0, "no matching products")
    unsold = cli.invoke(app, ["search", "adult diapers"])
    assert (unsold.exit_code, unsold.stdout.strip()) == (
        0,
        "no matching products: the pharmacies do not sell adult diapers",
    )
    junk = cli.invoke(app, ["search", "'; DROP TABLE medicines; --", "--json"])
    assert (junk.exit_code, junk.stdout.strip()) == (0, "[]")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x" * 10_000, "--json"], "error: the query is longer than 200 characters"),
        (["search", "", "--json"], "error: the query is empty"),
        (["search", "🙂 ?!", "--json"], "error: the query is empty"),
        (["search", "ibuprofen", "--lat", "31.2"], "error: give both --lat and --lng, or neither"),
        (["search", "ibuprofen", "--lat", "91", "--lng", "0"], "error: --lat must be between -90 and 90"),
        (["search", "ibuprofen", "--limit", "0"], "error: --limit must be between 1 and 100"),
        (["search", "ibuprofen", "--lang", "fr"], "error: --lang must be en, zh or ko"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(make_app(), args)
    assert result.exit_code == 2
    assert message in result.output
