"""Round 28 mechanisms: smoking as a whole entry only (never inside "non-smoker", "비흡연"), a Korean list
negated at its end, the intussusception red flag at the ages and words it needs, and a repeat prescription
(each with wording other than the round-28 cases' own)."""

from __future__ import annotations

import pytest

from medrush.safety import check
from medrush.safety.knowledge import load_knowledge_base
from tests.unit.safety.conftest import PORTS, aged, check_order, red_flag_codes

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("smoker", "smoking"),
        ("흡연", "smoking"),
        ("吸烟", "smoking"),
        ("non-smoker", None),
        ("비흡연자", None),
        ("不吸烟", None),
        ("ex-smoker", None),
        ("hip fracture", "falls_history"),
        ("척추 압박골절", "falls_history"),
        ("축농증", "sinusitis"),
        ("water infections", "urinary_tract_infection"),
        ("慢性荨麻疹", "urticaria"),
    ],
)
def test_round28_condition_entries(entry: str, code: str | None) -> None:
    match = KB.condition_term(entry)
    if code is None:
        assert match.kind in {"not_relevant", "none"}
    else:
        assert (match.kind, match.value) == ("condition", code)


def _pill(conditions: list[str]) -> set[str]:
    request = {
        "patient": {"age_years": 36, "sex": "female", "conditions": conditions},
        "items": [{"query": "microgynon"}],
        "symptoms": "my usual pill",
    }
    result = check(request, resolve=PORTS.resolve, get=PORTS.get, lang="en")
    return {f.rule or f.code for f in result.findings}


def test_smoking_with_the_combined_pill_warns_only_for_a_smoker() -> None:
    assert "condition.smoking_combined_pill" in _pill(["smoker"])
    assert "condition.smoking_combined_pill" not in _pill(["non-smoker"])
    assert "condition.smoking_combined_pill" not in _pill(["ex-smoker"])


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("속이 쓰려요. 가슴 통증이랑 숨찬 건 없어요", False),
        ("흉통이나 호흡곤란은 없어요", False),
        ("가슴 통증과 식은땀이 있고 숨참은 없어요", True),
        ("가슴 통증이나 고열은 없어요", True),  # 고 inside the noun: not read as a list (stays safe)
        ("목이 뻣뻣하고 눌러도 안 없어지는 발진", True),  # a verb, not a list
    ],
)
def test_korean_list_negation(text: str, fires: bool) -> None:
    assert bool(red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "age", "fires"),
    [
        ("my 11 month old has a poo like redcurrant jelly", 0.9, True),
        ("2살 아이 똥이 딸기잼 같아요", 2.0, True),
        ("宝宝拉的大便像草莓酱", 0.7, True),
        ("redcurrant jelly on toast gave me heartburn", 40, False),
        ("baby pulls his legs up and cries after feeds, colic", 0.2, False),
        ("아기가 몇 분마다 자지러지게 울어요", 0.8, False),
        ("toddler strains and there's a bit of blood on the wipe", 2.0, False),
    ],
)
def test_intussusception_flag(text: str, age: float, fires: bool) -> None:
    assert ("intussusception" in red_flag_codes(text, aged(age))) is fires


def test_repeat_of_the_same_prescribed_medicine_is_no_duplicate() -> None:
    repeat = check_order(
        "zr-forxiga-10mg", "repeat", prescribed=True, age_years=58, current_medications=["Forxiga 10 mg"]
    )
    assert "duplicate_ingredient" not in repeat.codes
    unprescribed = check_order(
        "zr-forxiga-10mg", "repeat", age_years=58, current_medications=["Forxiga 10 mg"]
    )
    assert "duplicate_ingredient" in unprescribed.codes
