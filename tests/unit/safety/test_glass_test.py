"""A rash that stays under a pressed glass, and a Korean fever said without its particle.

Found while probing the typo corrector's change: "stiff neck and a rash that doesn't fade", "the spots
don't fade under a glass" and "열나고 눌러도 안 없어지는 발진이 있어요" raised no red flag, and "아기가
열나요" (the baby has a fever, at 2 months) was no infant fever: the Korean fever patterns needed
"열이", and 열나요 / 열나고 / 열 나는, the commonest way of saying it, have no particle. Now a failed
glass test alone, or a stiff neck with a non-blanching rash, is the meningitis flag (NHS Meningitis and
Sepsis: a rash that does not fade when a glass is rolled over it, call 999), and 열나-, 열났-, 열 있어
are a fever; a passed glass test, 열나흘 (fourteen days), 열나게 (slang: like mad) and 열나지 않아요 are
not. Sources: NHS Meningitis, NHS Sepsis, NICE NG240 (from memory; docs/safety.md).
"""

from __future__ import annotations

import pytest

from tests.unit.safety.conftest import ADULT, aged, red_flag_codes

BABY = aged(0.15)

MENINGITIS = [
    "stiff neck and a rash that doesn't fade",
    "rash that doesn't fade when I press a glass on it",
    "the spots don't fade under a glass",
    "用玻璃杯压了一下，红点不褪色",
    "유리컵으로 눌렀는데 발진이 안 없어져요",
    "목이 뻣뻣하고 눌러도 안 없어지는 발진",
    "열나고 목이 뻣뻣해요",
    "열나고 눌러도 안 없어지는 발진이 있어요",
]

NOT_MENINGITIS = [
    "I did the glass test and the spots faded",
    "the glass test was fine",
    "用杯子压了，红点都褪了",
    "孩子3岁，发烧38.5，身上有些红疹，用杯子压会褪色，精神好，还在玩",
    "유리컵으로 눌러보니 다 없어졌어요",
    "열나흘째 기침해요",
    "열나게 뛰어다녔더니 다리가 아파요",
]


@pytest.mark.parametrize("text", MENINGITIS)
def test_a_failed_glass_test_or_a_stiff_neck_with_the_rash_is_meningitis(text: str) -> None:
    assert "meningitis" in red_flag_codes(text)


@pytest.mark.parametrize("text", NOT_MENINGITIS)
def test_a_passed_glass_test_and_other_words_of_yeol_are_not(text: str) -> None:
    assert "meningitis" not in red_flag_codes(text)


@pytest.mark.parametrize("text", ["아기가 열나요", "아기 열나고 처져요", "열 나는 아기", "열났어요"])
def test_a_korean_fever_without_its_particle_is_a_fever(text: str) -> None:
    assert "infant_fever" in red_flag_codes(text, BABY)


@pytest.mark.parametrize("text", ["열은 안 나요", "열나지 않아요", "열나흘째 기침해요"])
def test_no_fever_said_is_no_fever(text: str) -> None:
    assert red_flag_codes(text, BABY) == []
    assert red_flag_codes(text, ADULT) == []
