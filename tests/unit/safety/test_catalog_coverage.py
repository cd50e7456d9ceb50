"""Catalog coverage: every ingredient of a catalog product, prescription-only ones included, is known to
the safety knowledge base (an ingredient with its classes and rules) or listed in ``reviewed_no_rules`` with a
reason, so a new product cannot silently bypass the safety checks (docs/safety.md, "Catalog coverage")."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from medrush.catalog import load_product_files
from medrush.kernel.paths import data_dir
from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base
from tests.unit.safety.conftest import edited_knowledge


def _uncovered() -> dict[str, list[str]]:
    """Canonical ingredient -> product ids, for every catalog ingredient (any rx class) the knowledge
    base neither knows nor lists as reviewed."""
    kb = load_knowledge_base()
    where: dict[str, list[str]] = defaultdict(list)
    for product in load_product_files(data_dir() / "catalog" / "products"):
        for name in product.ingredient_names:
            if not kb.covers(name):
                where[kb.canonical(name)].append(product.id)
    return dict(where)


def test_every_catalog_ingredient_is_known_or_reviewed() -> None:
    """Prescription-only products included: their findings are what the reviewing pharmacist and the
    prescriber see (the rx coverage round emptied the list of prescription-only gaps)."""
    gaps = _uncovered()
    listing = "\n".join(f"  {name}: {', '.join(ids[:4])}" for name, ids in sorted(gaps.items()))
    assert not gaps, (
        "catalog ingredients unknown to data/safety/ingredients.yaml; add each as an ingredient "
        f"(classes, rules) or under reviewed_no_rules with a reason:\n{listing}"
    )


def test_reviewed_names_are_catalog_ingredients() -> None:
    kb = load_knowledge_base()
    products = load_product_files(data_dir() / "catalog" / "products")
    used = {kb.canonical(n) for p in products for n in p.ingredient_names}
    assert sorted(set(kb.reviewed_no_rules) - used) == []
    assert all(reason.strip() for reason in kb.reviewed_no_rules.values())


def test_coverage_of_the_named_gaps() -> None:
    kb = load_knowledge_base()
    assert "nsaids" in kb.classes_of("flurbiprofen")
    for name in ("hydrotalcite", "magnesium carbonate", "aluminium phosphate"):
        assert {"antacids", "polyvalent_cations"} <= kb.classes_of(name), name
    assert "antacids" in kb.classes_of("sodium bicarbonate")
    for name in ("oxymetazoline", "xylometazoline", "naphazoline", "tetrahydrozoline"):
        assert "topical_decongestants" in kb.classes_of(name), name
        assert "decongestants" not in kb.classes_of(name), name  # oral decongestant rules stay oral
    assert kb.classes_of("realgar") == {"tcm_pregnancy_contraindicated"}
    assert kb.covers("Unobtainium") is False and kb.covers("sodium chloride") is True
    assert kb.canonical("saline") == "sodium chloride"  # round 18: saline by its everyday name


def test_coverage_of_the_prescription_only_classes() -> None:
    kb = load_knowledge_base()
    assert kb.classes_of("silver sulfadiazine") == {"sulfonamides"}  # the sulfa allergy reaches it
    for name in ("fluticasone", "budesonide", "mometasone"):
        assert kb.classes_of(name) == {"inhaled_corticosteroids"}, name  # not the systemic class
    for name in ("gliclazide", "glimepiride", "dapagliflozin", "sitagliptin", "acarbose", "insulin aspart"):
        assert "antidiabetics" not in kb.classes_of(name), name  # the lay class holds words only
    assert "strong_cyp3a4_inhibitors" in kb.classes_of("ritonavir")
    assert {"diuretics", "potassium_sparing_diuretics"} <= kb.classes_of("spironolactone")
    assert kb.medicine_term("Symbicort").kind == "combination"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["reviewed_no_rules"].update({"urea": ""}), "a one-line reason is required"),
        (lambda d: d["reviewed_no_rules"].update({"urea": None}), "a one-line reason is required"),
        (lambda d: d["reviewed_no_rules"].update({"paracetamol": "known"}), "known as ingredient"),
        (lambda d: d["reviewed_no_rules"].update({"Tylenol": "brand"}), "lower case"),
        (lambda d: d["reviewed_no_rules"].update({"acetaminophen": "alias"}), "known as ingredient"),
        (lambda d: d.update({"reviewed_no_rules": ["urea"]}), "expected a mapping"),
    ],
)
def test_bad_reviewed_list_is_refused(tmp_path: Path, edit, message: str) -> None:
    folder = edited_knowledge(tmp_path, "ingredients.yaml", edit)
    with pytest.raises(ValueError, match=message):
        build_knowledge_base(folder)


def _flagged(product_id: str, patient: dict[str, object], about: str) -> list[str]:
    """Codes of the warn or block findings whose code holds ``about``, for ``product_id`` alone."""
    from medrush.safety import SafetyRequest, check
    from medrush.safety.ports import catalog_ports

    resolve, get = catalog_ports()
    request = SafetyRequest.model_validate(
        {"patient": patient, "items": [{"medicine_id": product_id, "quantity": 1}], "symptoms": ""}
    )
    result = check(request, resolve=resolve, get=get, lang="en")
    return [f.code for f in result.findings if about in f.code and f.severity in ("warn", "block")]


def test_no_pregnancy_note_calls_acceptable_what_the_check_warns_against_in_pregnancy() -> None:
    """A product page must not tell a pregnant customer "acceptable" while the check warns or blocks:
    the NSAID gels' notes once did (their labels contraindicate them in the third trimester)."""
    from medrush.catalog.search.index import pregnancy_fit

    contradictions = []
    for product in load_product_files(data_dir() / "catalog" / "products"):
        if pregnancy_fit(product.pregnancy) != 1:
            continue
        for weeks in (10, 34):
            patient = {"age_years": 30, "sex": "female", "pregnant": True, "pregnancy_weeks": weeks}
            if flagged := _flagged(product.id, patient, "pregnan"):
                contradictions.append(f"{product.id} at {weeks} weeks: {flagged} ({product.pregnancy})")
    assert not contradictions, "\n".join(contradictions)


def test_no_breastfeeding_note_calls_compatible_what_the_check_warns_against() -> None:
    """The same for breastfeeding: ketotifen eye drops' note said compatible (their SmPC agrees) while the
    rule for sedating antihistamines, meant for tablets and syrups, warned for the eye drops too."""
    contradictions = []
    for product in load_product_files(data_dir() / "catalog" / "products"):
        note = (product.breastfeeding or "").casefold()
        says_fine = "compatible" in note or "acceptable" in note
        if not says_fine or any(w in note for w in ("avoid", "not recommended", "contraindicated", "ask")):
            continue
        patient = {"age_years": 30, "sex": "female", "breastfeeding": True}
        if flagged := _flagged(product.id, patient, "breastfeeding"):
            contradictions.append(f"{product.id}: {flagged} ({product.breastfeeding})")
    assert not contradictions, "\n".join(contradictions)
