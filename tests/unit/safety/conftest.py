"""Fixtures of the safety tests: the fixture catalog of the case suite and ports over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.catalog.products import Ingredient, Product
from medrush.safety.cases import suite_ports
from medrush.safety.ports import ProductListPorts

CASES_DIR = Path(__file__).resolve().parents[2] / "cases" / "safety"


@pytest.fixture(scope="session")
def ports() -> ProductListPorts:
    """Ports over tests/cases/safety/catalog/products.yaml."""
    return suite_ports(CASES_DIR)


def make_product(pid: str, *ingredients: tuple[str, float | None, str | None], **extra: object) -> Product:
    """A product built directly, for tests that need one special field."""
    fields: dict[str, object] = {
        "id": pid,
        "name_en": pid,
        "name_zh": pid,
        "name_ko": pid,
        "generic_name_en": pid,
        "ingredients": tuple(Ingredient(n, s, u) for n, s, u in ingredients),
        "atc": None,
        "dosage_form": "tablet",
        "pack": "10",
        "category": "test",
        "rx_class": "otc_b",
    }
    fields.update(extra)
    return Product(**fields)  # type: ignore[arg-type]
