"""Fixtures of the safety tests: the fixture catalog of the case suite and ports over it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from medrush.catalog.products import Ingredient, Product
from medrush.safety.cases import suite_ports
from medrush.safety.engine import check
from medrush.safety.knowledge import kb_dir, load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.schemas import SafetyResult
from medrush.safety.triage import PatientFacts, detect_red_flags

CASES_DIR = Path(__file__).resolve().parents[2] / "cases" / "safety"


def aged(years: float) -> PatientFacts:
    """Facts of a person of ``years`` (not pregnant, no conditions) for the red-flag checks."""
    return PatientFacts(age_years=years, pregnant=False, conditions=frozenset())


ADULT = aged(40)
PORTS = suite_ports(CASES_DIR)


def red_flag_codes(text: str, facts: PatientFacts = ADULT) -> list[str]:
    """The codes of the red flags ``text`` raises for ``facts`` (an adult of 40 unless given)."""
    return [hit.code for hit in detect_red_flags(load_knowledge_base(), text, facts)]


def edited_knowledge(tmp_path: Path, name: str, edit: Callable[[Any], object]) -> Path:
    """A copy of the shipped knowledge base at ``tmp_path / "safety"`` whose file ``name`` ("rules.yaml")
    was loaded, changed in place by ``edit`` and written back; the copy's folder, for build_knowledge_base."""
    folder = tmp_path / "safety"
    shutil.copytree(kb_dir(), folder)
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def check_order(
    items: str | Sequence[str],
    symptoms: str,
    *,
    lang: str = "en",
    today: date = date(2026, 11, 23),
    prescribed: bool = False,
    **patient: Any,
) -> SafetyResult:
    """The safety check of one of each of ``items`` (a medicine id or several) with ``symptoms`` said, in
    ``lang``, on ``today``, over the case suite's catalog; ``patient`` gives the profile's fields (an adult
    of 40 unless given), and ``prescribed`` adds an approved prescription, valid to 2027-01-31, of each."""
    ids = [items] if isinstance(items, str) else list(items)
    request: dict[str, object] = {
        "patient": {"age_years": 40, **patient},
        "items": [{"medicine_id": i, "quantity": 1} for i in ids],
        "symptoms": symptoms,
    }
    if prescribed:
        request["prescriptions"] = [
            {"medicine_id": i, "status": "approved", "valid_until": "2027-01-31"} for i in ids
        ]
    return check(request, resolve=PORTS.resolve, get=PORTS.get, today=today, lang=lang)


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
