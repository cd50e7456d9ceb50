"""After round 25: a finished course is not an overdose.

"儿子把药全吃完了，感冒好了" (the course finished, the cold better) and "I took 12 paracetamol
tablets over the last two weeks" (a count spread over weeks) raised overdose_poisoning. A course
finished with recovery and no word of an amount at once (red_flags.yaml overdose ``unless_text``),
and a count of units over the last weeks (the lookahead of the count pattern), are no overdose; the
twins that say an amount at once, a bottle or a night still are. Source: NPIS TOXBASE, NHS Overdose
(from memory; docs/safety.md).
"""

from __future__ import annotations

import pytest

from medrush.safety.triage import PatientFacts
from tests.unit.safety.conftest import ADULT, aged, red_flag_codes

CHILD = aged(5)

BENIGN = [
    "儿子把药全吃完了，感冒好了",
    "女儿把药都吃完了，发烧退了",
    "I took 12 paracetamol tablets over the last two weeks",
    "took 12 tablets over the last 2 weeks for my back",
    "I finished the pack of paracetamol, my cold is better",
    "약을 다 먹었어요, 감기 나았어요",
]

DANGEROUS = [
    "孩子把一瓶药全吃了",
    "儿子一口气把药全吃完了",
    "儿子一次把药全吃完了，感冒好了",
    "儿子把一瓶药全吃完了，感冒好了",
    "I took 12 paracetamol tablets at once",
    "took 30 tablets last night",
    "took 20 tablets over 2 days",
    "I finished the pack of paracetamol at once, my cold is better",
    "약을 한꺼번에 다 먹었어요",
    "약을 한꺼번에 다 먹었어요, 감기 나았어요",
]


@pytest.mark.parametrize("facts", [ADULT, CHILD], ids=["adult", "child"])
@pytest.mark.parametrize("text", BENIGN)
def test_finished_course_is_no_overdose(text: str, facts: PatientFacts) -> None:
    assert "overdose_poisoning" not in red_flag_codes(text, facts)


@pytest.mark.parametrize("facts", [ADULT, CHILD], ids=["adult", "child"])
@pytest.mark.parametrize("text", DANGEROUS)
def test_amount_at_once_is_still_an_overdose(text: str, facts: PatientFacts) -> None:
    assert "overdose_poisoning" in red_flag_codes(text, facts)
