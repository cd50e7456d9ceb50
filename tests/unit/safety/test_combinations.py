"""Combination brands (ingredients.yaml `combinations`): every active ingredient is checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medrush.safety.engine import check
from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base
from medrush.safety.ports import ProductListPorts, pick_hit
from tests.unit.safety.conftest import edited_knowledge, make_product

KB = load_knowledge_base()
PARA = make_product("para", ("paracetamol", 500.0, "mg"), brands=())


@pytest.mark.parametrize(
    ("query", "ingredients"),
    [
        ("Tylenol PM", {"paracetamol", "diphenhydramine"}),
        ("Vicks NyQuil Cold & Flu LiquiCaps", {"paracetamol", "dextromethorphan", "doxylamine"}),
        ("NyQuil SEVERE", {"paracetamol", "dextromethorphan", "doxylamine", "phenylephrine"}),
        ("DayQuil", {"paracetamol", "dextromethorphan", "phenylephrine"}),
        ("Advil PM", {"ibuprofen", "diphenhydramine"}),
        ("advil cold and sinus", {"ibuprofen", "pseudoephedrine"}),
        ("白加黑", {"paracetamol", "pseudoephedrine", "dextromethorphan", "diphenhydramine"}),
        ("白加黑日片", {"paracetamol", "pseudoephedrine", "dextromethorphan"}),
        ("泰诺感冒片", {"paracetamol", "pseudoephedrine", "dextromethorphan", "chlorphenamine"}),
        ("新康泰克", {"pseudoephedrine", "chlorphenamine"}),
        ("散利痛", {"paracetamol", "propyphenazone", "caffeine"}),
        ("999感冒灵颗粒", {"paracetamol", "chlorphenamine", "caffeine"}),
        ("게보린 2통", {"paracetamol", "propyphenazone", "caffeine"}),
        ("펜잘큐", {"paracetamol", "ethenzamide", "caffeine"}),
        ("판피린", {"paracetamol", "chlorphenamine", "caffeine"}),
    ],
)
def test_combination_brands_name_every_ingredient(query: str, ingredients: set[str]) -> None:
    term = KB.medicine_term(query)
    assert term.kind == "combination"
    assert term.names == ingredients
    assert KB.combinations[term.value].source


@pytest.mark.parametrize(
    ("query", "ingredient"),
    [
        ("Tylenol", "paracetamol"),
        ("泰诺", "paracetamol"),
        ("Sudafed", "pseudoephedrine"),
        ("Sudafed PE", "phenylephrine"),
    ],
)
def test_single_ingredient_brands_stay_single(query: str, ingredient: str) -> None:
    term = KB.medicine_term(query)
    assert (term.kind, term.value) == ("ingredient", ingredient)


def test_a_single_ingredient_hit_is_not_the_combination() -> None:
    assert pick_hit(KB, "Tylenol PM", [(PARA, "brand:tylenol→Tylenol")]) is None
    assert pick_hit(KB, "Tylenol", [(PARA, "brand:tylenol→Tylenol")]) is PARA


def test_engine_checks_the_combination_when_the_resolver_returns_plain_paracetamol() -> None:
    request = {"patient": {"age_years": 80}, "items": [{"query": "Tylenol PM"}]}
    result = check(
        request, resolve=lambda q: PARA, get=lambda i: None, jurisdiction="generic", today=date(2026, 12, 7)
    )
    assert "combination_not_in_catalog" in result.codes
    assert any(f.rule == "older.sedating_antihistamines" for f in result.findings)


def test_current_medicine_and_allergy_by_combination_brand() -> None:
    ports = ProductListPorts([PARA])
    request = {
        "patient": {"age_years": 40, "current_medications": ["NyQuil"], "allergies": ["게보린"]},
        "items": [{"medicine_id": "para"}],
    }
    result = check(
        request, resolve=ports.resolve, get=ports.get, jurisdiction="generic", today=date(2026, 12, 7)
    )
    assert result.level == "block"  # allergic to Geborin, which holds paracetamol
    assert "allergy" in result.codes
    assert any(c.startswith("duplicate_ingredient") for c in result.codes)  # NyQuil holds paracetamol
    assert "unknown_medication" not in result.codes and "unknown_allergy" not in result.codes


def test_combination_with_an_unknown_ingredient_is_refused(tmp_path: Path) -> None:
    folder = edited_knowledge(
        tmp_path,
        "ingredients.yaml",
        lambda data: data["combinations"]["nyquil"]["ingredients"].append("no such ingredient"),
    )
    with pytest.raises(ValueError, match="no such ingredient"):
        build_knowledge_base(folder)
