"""Round 15 mechanisms: overdoses already taken, sudden confusion in older people, weight, stated
doses and strengths, duration of use (each with wording other than the round-15 cases' own)."""

from __future__ import annotations

import pytest

from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.triage import PatientFacts, detect_red_flags

KB = load_knowledge_base()
ADULT = PatientFacts(age_years=40, pregnant=False, conditions=frozenset())
OLDER = PatientFacts(age_years=81, pregnant=False, conditions=frozenset())


def flags(text: str, facts: PatientFacts = ADULT) -> list[str]:
    return [h.code for h in detect_red_flags(KB, text, facts)]


@pytest.mark.parametrize(
    "text",
    [
        "my daughter drank half the bottle of infant Tylenol while I was cooking",
        "he finished a whole bottle of cough syrup",
        "아이가 해열제 시럽 한 병을 다 마셔버렸어요",
        "감기약 한 통을 먹었어요 방금",
    ],
)
def test_an_overdose_already_taken_is_an_emergency(text: str) -> None:
    assert "overdose_poisoning" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "drank a bottle of water after the run",
        "I took 2 tablets this morning and the pain is better",
        "물 한 병을 다 마셨어요",
        "맥주 한 병 마셨어요",
        "bought a new bottle of children's Tylenol",
    ],
)
def test_a_bottle_of_a_drink_or_a_normal_dose_is_not_an_overdose(text: str) -> None:
    assert "overdose_poisoning" not in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "Grandma became suddenly confused last night and keeps calling me by the wrong name",
        "new confusion since this morning",
        "外公昨天突然说胡话，认不出人",
        "할아버지가 오늘 갑자기 횡설수설하세요",
    ],
)
def test_sudden_confusion_in_an_older_person_is_an_emergency(text: str) -> None:
    assert "delirium" in flags(text, OLDER)


@pytest.mark.parametrize(
    "text",
    [
        "she has been forgetful for years, can I get something for her cold?",
        "I am confused about the dose on the box",
        "奶奶记性一直不好，想买点感冒药",
        "할머니가 건망증이 좀 있으세요",
    ],
)
def test_long_forgetfulness_or_confusion_about_a_label_is_not_delirium(text: str) -> None:
    assert "delirium" not in flags(text, OLDER)


def test_sudden_confusion_needs_an_older_person_for_delirium() -> None:
    assert "delirium" not in flags("suddenly got confused", ADULT)


def test_sudden_confusion_with_fever_is_sepsis_at_any_age() -> None:
    assert "sepsis" in flags("she suddenly went confused and has a high fever", ADULT)
