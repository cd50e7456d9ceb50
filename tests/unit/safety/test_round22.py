"""Round 22 mechanisms: carbon monoxide, the Korean experiential past, a symptom said as what a kept
medicine is for, "feeding" kept from typo correction, a refill of a whole box, blood said after the stool,
months of pregnancy with 多, conditions named, dimenhydrinate's age, an antithyroid drug with signs of
infection and doses said to be taken hours apart (each with wording other than the round-22 cases' own)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from medrush.safety.cases import suite_ports
from medrush.safety.dosing import pregnancy_said
from medrush.safety.engine import check
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.schemas import SafetyRequest
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import red_flag_codes

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("ran the generator in the garage all evening, now dizzy with a pounding headache", True),
        ("屋里生了个煤炉取暖，全家人都头晕想吐", True),
        ("보일러 가스가 샌 것 같은데 머리가 아프고 메스꺼워요", True),
        ("barbecue on the beach yesterday, today a mild headache", False),
        ("烧烤店吃完回来有点恶心", False),
        ("연탄구이 먹고 속이 울렁거려요", False),
        ("the carbon monoxide alarm went off and we all feel dizzy", True),
        ("家里装了一氧化碳报警器，今天感冒头疼", False),
    ],
)
def test_carbon_monoxide(text: str, fires: bool) -> None:
    assert ("overdose_poisoning" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("예전에 진통제 먹고 숨이 막혀서 병원에 실려 간 적 있어요", False),
        ("옛날에 숨이 막혀서 119 탄 적 있어요", False),
        ("지금 숨이 막혀서 응급실 가는 길이에요", True),
    ],
)
def test_korean_experiential_past(text: str, fires: bool) -> None:
    assert ("breathing_difficulty" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "code", "fires"),
    [
        ("the spray lives in my bag for when my chest gets tight walking uphill", "heart_attack", False),
        ("my chest is tight and I need something for when it gets worse", "heart_attack", True),
        ("胸口疼的时候含的药一直备着，今天买点感冒药", "heart_attack", False),
        ("现在胸口疼的时候含的药备着也没用", "heart_attack", True),
        ("숨이 차고 답답할 경우를 대비해서 약을 챙겨요", "breathing_difficulty", False),
        ("지금 숨이 차고 답답할 경우를 대비해서 약을 챙겨요", "breathing_difficulty", True),
    ],
)
def test_symptom_said_as_what_a_kept_medicine_is_for(text: str, code: str, fires: bool) -> None:
    assert (code in red_flag_codes(text)) is fires


def test_feeding_is_not_corrected_to_feeling() -> None:
    assert KB.typo.correct("feeding") == "feeding"
    assert "breastfeeding_said" in read_context(KB, "I am feeding him myself at night")


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("降压药吃完了一整盒，麻烦再续一盒", False),
        ("刚才一口气吃完了一整盒，续一盒", True),
        ("今晚把一整盒全吞了", True),
    ],
)
def test_refill_of_a_whole_box(text: str, fires: bool) -> None:
    assert ("overdose_poisoning" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("watery poo streaked with blood this morning", True),
        ("水样便带血丝", True),
        ("설사에 피가 섞여 나와요", True),
        ("diarrhoea with blood on the tissue", False),
        ("diarrhoea, no blood", False),
    ],
)
def test_blood_said_after_the_stool(text: str, present: bool) -> None:
    assert ("stool_blood" in read_context(KB, text)) is present


@pytest.mark.parametrize(
    ("text", "weeks"),
    [("怀孕五个多月，牙龈肿", 21), ("孕两个多月了，想吃点感冒药", 8)],
)
def test_months_of_pregnancy_with_more(text: str, weeks: int) -> None:
    said = pregnancy_said(text, TODAY)
    assert said is not None and said[1] == weeks


def test_more_months_of_someone_else_or_a_plan() -> None:
    assert pregnancy_said("备孕两个多月了", TODAY) is None
    assert pregnancy_said("我嫂子怀孕五个多月了，我自己牙疼", TODAY) is None


@pytest.mark.parametrize(
    "term", ["constipated", "便秘", "변비", "herniated disc", "腰椎间盘突出", "목 디스크"]
)
def test_conditions_named(term: str) -> None:
    assert KB.condition_codes(term) & {"constipation", "disc_herniation"}


PORTS = suite_ports(Path(__file__).parents[2] / "cases" / "safety")


def _level(raw: dict[str, object]) -> tuple[str, list[str | None]]:
    ports = PORTS
    result = check(SafetyRequest.model_validate(raw), resolve=ports.resolve, get=ports.get, today=TODAY)
    return result.level, [f.rule for f in result.findings]


def test_dimenhydrinate_age() -> None:
    chew = {"items": [{"medicine_id": "z6-dimenhydrinate-25mg-chew"}], "symptoms": "car sick"}
    level, rules = _level({**chew, "patient": {"age_years": 3}})
    assert level == "allow", rules
    level, rules = _level({**chew, "patient": {"age_years": 1}})
    assert "age.cough_cold_under_2" in rules
    level, rules = _level({"items": [{"medicine_id": "t-diphenhydramine-25"}], "patient": {"age_years": 4}})
    assert "age.cough_cold_under_6" in rules


@pytest.mark.parametrize(
    ("medicine", "text", "fires"),
    [
        ("carbimazole 15 mg", "mouth ulcers and a temperature of 38.4", True),
        ("他巴唑", "喉咙痛，发烧38度", True),
        ("티아마졸", "목이 따갑고 열이 나요", True),
        ("carbimazole 15 mg", "twisted my knee", False),
    ],
)
def test_antithyroid_with_signs_of_infection(medicine: str, text: str, fires: bool) -> None:
    _, rules = _level(
        {
            "patient": {"age_years": 45, "current_medications": [medicine]},
            "items": [{"medicine_id": "t-paracetamol-500"}],
            "symptoms": text,
        }
    )
    assert ("interaction.antithyroid_infection_signs" in rules) is fires


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("calcium at lunch, six hours apart from the thyroxine", False),
        ("钙片晚上吃，和优甲乐间隔八个小时", False),
        ("칼슘은 갑상선약이랑 5시간 차이 두고 먹어요", False),
        ("I take them both with breakfast", True),
        ("how many hours apart should they be?", True),
        ("隔两个小时吃", True),
    ],
)
def test_doses_said_hours_apart(text: str, warns: bool) -> None:
    _, rules = _level(
        {
            "patient": {"age_years": 60, "current_medications": ["levothyroxine 75 micrograms"]},
            "items": [{"medicine_id": "z4-caltrate-600-d"}],
            "symptoms": text,
        }
    )
    assert ("interaction.chelation_antibiotics" in rules) is warns


def test_unless_condition_is_read_and_checked() -> None:
    rule = next(r for r in KB.rules["interactions"] if r.id == "interaction.chelation_antibiotics")
    assert rule.unless_conditions == frozenset({"doses_apart"})
