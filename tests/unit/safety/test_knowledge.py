"""The knowledge-base files: they load, every rule has a source, bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base, rules_catalog
from tests.unit.safety.conftest import edited_knowledge


def test_every_rule_and_flag_has_a_source_and_three_languages() -> None:
    kb = load_knowledge_base()
    for rules in kb.rules.values():
        for rule in rules:
            assert rule.source.strip(), rule.id
            assert set(rule.message) == {"en", "zh", "ko"}, rule.id
    for flag in kb.flags:
        assert flag.source.strip(), flag.code
        assert set(flag.reason) == {"en", "zh", "ko"}, flag.code
    for code, spec in kb.messages.items():
        assert set(spec["message"]) == {"en", "zh", "ko"}, code


def test_emergency_numbers() -> None:
    assert load_knowledge_base().emergency_numbers == {"cn": "120", "kr": "119", "generic": "112"}


def test_terms_in_three_languages_and_brands() -> None:
    kb = load_knowledge_base()
    assert {
        kb.medicine_term(t).value
        for t in ("acetaminophen", "对乙酰氨基酚", "아세트아미노펜", "Tylenol", "泰诺林")
    } == {"paracetamol"}
    assert kb.medicine_term("Aspirin 100 mg daily").value == "aspirin"
    assert kb.medicine_term("华法林钠片").value == "warfarin"
    assert kb.medicine_term("sulfa drugs").kind == "class"
    assert kb.condition_term("I11.9").value == "hypertension"
    assert kb.condition_term("Z99").kind == "icd10_other"
    assert kb.condition_term("콩팥병").value == "kidney_disease"


def test_rules_catalog_lists_everything() -> None:
    listing = rules_catalog("zh")
    assert len(listing["rules"]) == sum(len(r) for r in load_knowledge_base().rules.values())
    # round 23: cauda_equina; round 24: battery_child; round 28: intussusception; round 29: heatstroke
    assert len(listing["red_flags"]) == 29
    age = next(r for r in listing["rules"] if r["id"] == "age.aspirin_under_16")
    assert age["below_years"] == 16
    assert age["message"].startswith("16岁以下")


def test_unknown_class_in_a_rule_is_refused(tmp_path: Path) -> None:
    folder = edited_knowledge(
        tmp_path,
        "rules.yaml",
        lambda rules: rules["interactions"][0].update(b={"classes": ["no_such_class"]}),
    )
    with pytest.raises(ValueError, match="no_such_class"):
        build_knowledge_base(folder)


CONDITION_PHRASES = {
    "hypertension": ["elevated BP", "血压偏高", "혈압 높음"],
    "asthma": ["bronchial asthma since 2010", "支气管哮喘", "소아천식"],
    "peptic_ulcer": ["duodenal ulcer 2019", "胃溃疡病史", "위궤양 병력"],
    "kidney_disease": ["CKD stage 3", "肾功能衰竭", "신장이 안 좋아요"],
    "liver_disease": ["fatty liver disease", "肝功能不全", "간이 안 좋아요"],
    "epilepsy": ["epileptic seizures history", "癫痫病", "간질 환자"],
    "prostate_enlargement": ["BPH with urinary retention", "前列腺肥大", "전립선 비대"],
    "bleeding_disorder": ["hemophilia A", "血小板低", "혈우병 환자"],
}
MEDICINE_PHRASES = {
    "warfarin": ["Warfarin sodium 3mg", "华法林钠", "와파린 5mg"],
    "methotrexate": ["MTX weekly", "甲氨蝶呤片", "메토트렉세이트 주1회"],
    "aspirin": ["aspirin 81 mg", "拜阿司匹灵", "아스피린 100mg"],
    "sulfonamides": ["sulfa allergy", "磺胺过敏", "설파제 알레르기"],
}


@pytest.mark.parametrize(("code", "phrase"), [(c, p) for c, ps in CONDITION_PHRASES.items() for p in ps])
def test_condition_phrases(code: str, phrase: str) -> None:
    assert load_knowledge_base().condition_term(phrase).value == code


@pytest.mark.parametrize(("name", "phrase"), [(n, p) for n, ps in MEDICINE_PHRASES.items() for p in ps])
def test_medicine_phrases(name: str, phrase: str) -> None:
    assert load_knowledge_base().medicine_term(phrase).value == name


@pytest.mark.parametrize(
    ("entry", "codes"),
    [
        ("eGFR 25", {"severe_kidney_disease", "kidney_disease_g3b", "kidney_disease"}),
        ("CrCl 28 ml/min", {"severe_kidney_disease", "kidney_disease_g3b", "kidney_disease"}),
        ("肾小球滤过率为45", {"kidney_disease"}),
        ("eGFR 38", {"kidney_disease_g3b", "kidney_disease"}),
        (
            "肌酐清除率 12 ml/min",
            {"kidney_failure", "severe_kidney_disease", "kidney_disease_g3b", "kidney_disease"},
        ),
        ("사구체여과율 25", {"severe_kidney_disease", "kidney_disease_g3b", "kidney_disease"}),
        ("eGFR 75", set()),
        ("eGFR 75, diabetic", {"diabetes"}),
        ("vitamin b12 25", set()),
    ],
)
def test_a_measured_kidney_function_names_its_band(entry: str, codes: set[str]) -> None:
    kb = load_knowledge_base()
    assert kb.condition_codes(entry) == codes
    assert kb.condition_term("eGFR 75").kind == "not_relevant"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"source": ""}, "a source is required"),
        ({"names": {}}, "names are required"),
        ({"below": [{"value": 30, "condition": "no_such_condition"}]}, "known condition"),
    ],
)
def test_a_bad_measure_is_refused(tmp_path: Path, change: dict[str, object], error: str) -> None:
    folder = edited_knowledge(
        tmp_path, "conditions.yaml", lambda data: data["measures"]["kidney_function"].update(change)
    )
    with pytest.raises(ValueError, match=error):
        build_knowledge_base(folder)


@pytest.mark.parametrize(
    ("form", "route"),
    [
        ("cream", "cutaneous"),
        ("medicated plasters", "cutaneous"),
        ("nasal spray", "nasal"),
        ("inhalation powder", "inhaled"),
        ("ear drops", "ear"),
        ("eye ointment", "eye"),
        ("vaginal cream", "vaginal"),
        ("medicated chewing gum", "oromucosal"),
        ("soft gel capsules", "oral"),
        ("film-coated tablets", "oral"),
        ("device", None),
        (None, None),
    ],
)
def test_a_dosage_form_names_its_route(form: str | None, route: str | None) -> None:
    assert load_knowledge_base().route_of(form) == route


@pytest.mark.parametrize(
    ("entry", "past"),
    [
        ("stomach ulcer in 2010, healed", True),
        ("胃溃疡十年前已治愈", True),
        ("10년 전 위궤양 완치", True),
        ("heart attack in 2016, stable now", True),
        ("stomach ulcer last year", False),
        ("stomach ulcer in 2025", False),
        ("stomach ulcer in 2010, recurred last year", False),
        ("angina since 2016", False),
        ("asthma, resolved", False),  # asthma is not among the conditions an entry may put in the past
        ("stomach ulcer", False),
    ],
)
def test_an_entry_names_past_history(entry: str, past: bool) -> None:
    kb = load_knowledge_base()
    assert kb.names_past(entry, kb.condition_codes(entry.split(",")[0]), 2026) is past


@pytest.mark.parametrize(
    ("note", "is_note"),
    [
        ("stable now", True),
        ("healed", True),
        ("已治愈", True),
        ("recurred last year", True),
        ("active TB", False),
    ],
)
def test_a_status_note_belongs_to_the_entry_before(note: str, is_note: bool) -> None:
    assert load_knowledge_base().is_status_note(note) is is_note


def _edited_rules(tmp_path: Path, kind: str, rule_id: str, change: dict[str, object]) -> Path:
    return edited_knowledge(
        tmp_path, "rules.yaml", lambda data: next(r for r in data[kind] if r["id"] == rule_id).update(change)
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"routes": ["skin"]}, "unknown routes"),
        ({"without": {"classes": ["no_such_class"]}}, "no_such_class"),
        ({"past": {"applies": False}}, "a source"),
        ({"past": {"severity": "emergency", "source": "x"}}, "either applies: false or a severity"),
        ({"past": {"applies": False, "severity": "warn", "source": "x"}}, "takes no severity"),
        ({"past": {"severity": "warn", "source": "x", "message": {"en": "x"}}}, "message needs"),
    ],
)
def test_a_bad_route_without_or_past_entry_is_refused(
    tmp_path: Path, change: dict[str, object], error: str
) -> None:
    folder = _edited_rules(tmp_path, "conditions", "condition.ulcer_nsaids", change)
    with pytest.raises(ValueError, match=error):
        build_knowledge_base(folder)


def test_rules_catalog_shows_routes_without_and_past() -> None:
    listing = {r["id"]: r for r in rules_catalog("en")["rules"]}
    assert listing["interaction.skin_steroids_cyp3a4"]["routes"] == ["cutaneous"]
    assert listing["condition.ulcer_nsaids"]["not_routes"] == ["cutaneous"]
    assert listing["condition.ulcer_nsaids"]["past"]["severity"] == "warn"
    assert listing["condition.nicotine_cardiovascular"]["past"]["severity"] is None
    assert listing["condition.asthma_laba_without_ics"]["without"] == ["class:inhaled_corticosteroids"]
    assert listing["age.aspirin_under_16"]["past"] is None


# Round 12 fixes (docs/safety.md, "Round 12"): strengths, immediate reactions, transitive "implies".


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"above_mg": 20, "classes": ["statins"]}, "above_mg needs ingredients"),
        ({"reaction": "delayed"}, "reaction must be 'immediate'"),
    ],
)
def test_a_bad_strength_or_reaction_is_refused(tmp_path: Path, change: dict[str, object], error: str) -> None:
    kind, rule_id = (
        ("allergy_cross_reactivity", "allergy.penicillin_cephalosporin")
        if "reaction" in change
        else ("conditions", "condition.kidney_sitagliptin")
    )
    folder = _edited_rules(tmp_path, kind, rule_id, change)
    with pytest.raises(ValueError, match=error):
        build_knowledge_base(folder)


def test_a_selector_above_a_strength_keeps_unknown_strengths() -> None:
    from medrush.safety.knowledge import Selector

    sel = Selector.from_raw({"ingredients": ["simvastatin"], "above_mg": 20})
    assert sel.hits(frozenset({"simvastatin", "mg:simvastatin:40"}))
    assert not sel.hits(frozenset({"simvastatin", "mg:simvastatin:20"}))
    assert sel.hits(frozenset({"simvastatin"}))  # named in words: strength unknown, selected
    assert not sel.hits(frozenset({"pravastatin", "mg:pravastatin:40"}))


def test_implies_is_transitive_and_a_cycle_is_refused(tmp_path: Path) -> None:
    kb = load_knowledge_base()
    assert {"severe_kidney_disease", "kidney_disease"} <= kb.condition_codes("on dialysis")
    folder = edited_knowledge(
        tmp_path,
        "conditions.yaml",
        lambda data: data["conditions"]["kidney_disease"].update(implies=["severe_kidney_disease"]),
    )
    with pytest.raises(ValueError, match="implies itself"):
        build_knowledge_base(folder)


def test_rules_catalog_shows_above_mg() -> None:
    listing = {r["id"]: r for r in rules_catalog("en")["rules"]}
    assert listing["interaction.simvastatin_amiodarone"]["above_mg"] == 20.0
    assert listing["condition.ulcer_nsaids"]["above_mg"] is None
