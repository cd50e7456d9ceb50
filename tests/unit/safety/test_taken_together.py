"""Asking whether medicines may be taken together is no overdose (Korean).

"감기약이랑 진통제를 한꺼번에 먹어도 돼요?" (may I take the cold medicine and the painkiller
together?) is the commonest question at a pharmacy counter, and "이 약들 한꺼번에 다 먹고 자도
되나요?" asks the same at bedtime; both raised overdose_poisoning, an emergency, because the Korean
patterns read any form of 먹다 after 한꺼번에 or 많이 as a swallowing. The same questions in English
and Chinese ("can I take these all together before bed?", "这些药可以一起吃了再睡吗") raised nothing.
Only a swallowing told as done (먹었, 먹은, 드셨, 삼켰, 먹어버렸...) or a plain verb that is not a
permission, condition, intention or habit (먹어도, 먹으면, 먹으려, 먹어야, 먹어요) is an overdose now; a
plan to take them all with despair or a farewell stays suicidal intent (red_flags.yaml, version
2026.12.07-28). "애들한테 짐이 되고 싶지 않아요 ... 잠 오는 약 한꺼번에 먹고 그냥 안 깼으면
좋겠어요" (r19-ko-19) had been caught only by the overdose pattern; it is suicidal intent, as its
English twin "take them all and never wake up" is. Source: NPIS TOXBASE (an overdose is an amount
taken at once or over a short time); WHO mhGAP 2.0 and NICE NG225 (indirect words of suicide)
(from memory; docs/safety.md).
"""

from __future__ import annotations

import pytest

from medrush.safety.triage import PatientFacts
from tests.unit.safety.conftest import ADULT, aged, red_flag_codes

CHILD = aged(5)

QUESTIONS = [
    "감기약이랑 진통제를 한꺼번에 먹어도 돼요?",
    "약을 한꺼번에 먹어도 되나요?",
    "이 약들 한꺼번에 다 먹고 자도 되나요?",
    "이 약들 한꺼번에 복용해도 괜찮나요?",
    "약을 많이 먹으면 안 되죠?",
    "진통제를 많이 먹고 있어요",
    "약을 한꺼번에 먹을까 봐 걱정돼요",
    "약을 다 먹어야 하나요?",
    "푹 자고 아침까지 안 깼으면 좋겠어요",
    "수면제 먹고 중간에 안 깼으면 좋겠어요",
    "남편한테 부담 안 주려고 혼자 약 사러 왔어요",
    "can I take these all together before bed?",
    "这些药可以一起吃了再睡吗",
]

SWALLOWED = [
    "아이가 약을 많이 먹었어요",
    "약을 한꺼번에 먹어버렸어요",
    "수면제를 한꺼번에 먹은 것 같아요",
    "엄마가 수면제를 통째로 드셨어요",
    "약을 전부 삼켰어요",
    "아이가 약을 많이 먹어서 걱정이에요",
    "할머니가 혈압약을 한꺼번에 드시고 쓰러지셨어요",
]

SUICIDAL = [
    "애들한테 더 이상 짐이 되고 싶지 않아요. 이번엔 잠 오는 약 한꺼번에 먹고 그냥 안 깼으면 좋겠어요",
    "그냥 안 깼으면 좋겠어요",
    "죽고 싶어요. 잠 못 자는 약 한꺼번에 먹으려고요",
]


@pytest.mark.parametrize("facts", [ADULT, CHILD], ids=["adult", "child"])
@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_taking_medicines_together_raises_nothing(text: str, facts: PatientFacts) -> None:
    assert red_flag_codes(text, facts) == []


@pytest.mark.parametrize("text", SWALLOWED)
def test_a_swallowing_told_as_done_is_an_overdose(text: str) -> None:
    assert "overdose_poisoning" in red_flag_codes(text)


@pytest.mark.parametrize("text", SUICIDAL)
def test_a_plan_with_despair_or_farewell_is_suicidal_intent_not_an_overdose(text: str) -> None:
    assert red_flag_codes(text) == ["suicidal_intent"]
