"""Round 29 mechanisms: heatstroke after heat or sun, testicular pain said as "one of his balls", the back of
the head hurting with a simile between, a body weight in number words, the conditions that name nothing and
the three-medicine potassium rule (each with wording other than the round-29 cases' own)."""

from __future__ import annotations

import pytest

from medrush.safety.dosing import body_weight_kg
from medrush.safety.knowledge import load_knowledge_base
from tests.unit.safety.conftest import aged, check_order, red_flag_codes

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("after mowing in the blazing sun he collapsed", "heatstroke"),
        ("太阳底下站了一天，人叫不醒了", "heatstroke"),
        ("폭염에 일하다가 쓰러졌어요", "heatstroke"),
        ("a hot day at the beach, had plenty of water, feel fine", None),
        ("高温天出门，有点热，出汗正常", None),
        ("더위에 좀 지쳐서 쉬었더니 괜찮아요", None),
        ("sudden agony in one of his testicles and he vomited", "testicular_torsion"),
        ("one of his balls hurts a bit since he fell off his bike last week", None),
        ("뒤통수가 벽돌로 맞은 것처럼 갑자기 아프고 평생 처음이에요", "thunderclap_headache"),
        ("后脑勺突然炸裂样疼，从来没这么疼过", "thunderclap_headache"),
        ("뒤통수가 조금 아파요, 어제 잠을 잘못 잤어요", None),
    ],
)
def test_round29_red_flags(text: str, code: str | None) -> None:
    codes = red_flag_codes(text, aged(40))
    assert (code in codes) if code else codes == []


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("孩子十二公斤", 12.0),
        ("she weighs twelve kilos", 12.0),
        ("우리 애 열두 킬로예요", 12.0),
        ("体重减了十公斤", None),
        ("lost ten kilos this year", None),
    ],
)
def test_round29_weight_in_words(text: str, kg: float | None) -> None:
    assert body_weight_kg(text) == kg


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("head cold", "common_cold"),
        ("上呼吸道感染", "common_cold"),
        ("고열", "fever"),
        ("fever", "fever"),
        ("glandular fever", None),
        ("cold sores", None),
        ("편도선염", "acute_tonsillitis"),
        ("lower back pain", "back_pain"),
        ("painful periods", "dysmenorrhoea"),
        ("stage fright", "performance_anxiety"),
        ("盆腔炎", "pelvic_inflammatory_disease"),
    ],
)
def test_round29_conditions(entry: str, code: str | None) -> None:
    match = KB.condition_term(entry)
    assert (match.kind, match.value) == ("condition", code) if code else match.kind == "unknown"


def test_potassium_needs_a_third_medicine_to_block() -> None:
    rx = "zr-potassium-chloride-500mg-er"
    both = ["eplerenone 25 mg", "losartan 50 mg"]
    triple = check_order(rx, "cramps", prescribed=True, current_medications=both)
    pair = check_order(rx, "cramps", prescribed=True, current_medications=["eplerenone 25 mg"])
    ace_only = check_order(rx, "cramps", prescribed=True, current_medications=["ramipril 5 mg"])
    assert (triple.level, pair.level, ace_only.level) == ("block", "warn", "warn")
