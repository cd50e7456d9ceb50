"""Leftovers of round 23: a heart attack or a stroke told as treated or fatal (stents, a bypass, a death,
after-effects: red_flags.yaml ``past_events``) is past, whoever it happened to, so it raises no red flag;
a symptom is never past by these words, and a relative's complaint of now, a bare "my dad had a heart
attack", a repeat, a guess or suddenness still fire (each twin one fact apart)."""

from __future__ import annotations

import pytest

from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import red_flag_codes

KB = load_knowledge_base()
_CARDIO = {"heart_attack", "stroke"}


@pytest.mark.parametrize(
    "text",
    [
        "아버지가 심근경색으로 스텐트를 넣으셨는데 저는 두통약 사려고요",
        "할아버지가 뇌졸중으로 돌아가셨어요. 저는 두통약이 필요해요",
        "외할머니가 심근경색으로 돌아가셔서 걱정돼요. 저는 그냥 두통이에요",
        "어머니가 중풍 후유증으로 잘 못 걸으세요. 제가 감기 기운이 있어서요",
        "我爸心梗放了支架，我头疼买点药",
        "我爸心肌梗死后放了两个支架，我胃有点反酸",
        "我爸中风后遗症，走路不稳，我自己感冒了",
        "我爸因为心梗去世了，我最近头疼",
        "my dad had a heart attack and got two stents, I need something for my headache",
        "my dad had a heart attack, he had stents fitted, I need aspirin for my headache",
        "my dad died of a heart attack, I need paracetamol for my back",
        "my mum passed away from a stroke, need ibuprofen for my knee",
        "my uncle had a heart attack and had a triple bypass, I've got flu",
        "my dad had stents put in after his heart attack, I need hay fever tablets",
        "I had a heart attack and got stents, need paracetamol for a toothache",
    ],
)
def test_treated_or_fatal_event_is_past(text: str) -> None:
    assert not _CARDIO & set(red_flag_codes(text))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a relative's complaint of now: the patient may be the one the order is for
        ("my son has chest pain and can't breathe", "heart_attack"),
        ("my dad has stents and has crushing chest pain", "heart_attack"),
        ("아버지가 스텐트를 넣으셨는데 지금 가슴이 쥐어짜듯이 아프대요", "heart_attack"),
        ("我爸放了支架，现在胸口压着疼，出冷汗", "heart_attack"),
        # the patient's own complaint beside a relative or a stent
        ("my mum says I look pale, I have crushing chest pain now", "heart_attack"),
        ("my chest hurts and I had stents put in", "heart_attack"),
        ("我胸口疼，放过支架", "heart_attack"),
        ("my dad had a heart attack and got stents, and now I have crushing chest pain", "heart_attack"),
        ("my dad had a heart attack and got stents, I think I'm having a heart attack too", "heart_attack"),
        # no treatment or death told: it may be now
        ("my dad had a heart attack, I need aspirin for him", "heart_attack"),
        ("my dad just had a heart attack, what do I give him", "heart_attack"),
        ("어머니가 뇌졸중으로 쓰러지셨어요", "stroke"),
        ("我妈中风了，嘴歪了说话不清", "stroke"),
        # now, suddenness, a repeat or a guess before the event
        ("my dad is having a heart attack and had stents before", "heart_attack"),
        ("I think I'm having a heart attack, I had stents put in last year", "heart_attack"),
        ("我爸突然心梗，刚放了支架", "heart_attack"),
        ("我爸又心梗了，以前放过支架", "heart_attack"),
        ("아버지가 갑자기 심근경색으로 스텐트를 넣으셨어요", "heart_attack"),
        ("아버지가 심근경색 같아요 스텐트 넣은 적 있어요", "heart_attack"),
    ],
)
def test_now_still_fires(text: str, code: str) -> None:
    assert code in red_flag_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "I had a heart attack and got stents, gout again",
        "심근경색으로 스텐트를 넣었어요. 통풍이에요",
        "我心梗放了支架，痛风又犯了",
    ],
)
def test_own_treated_event_still_a_lasting_condition(text: str) -> None:
    # the patient's own heart attack is past for triage and still coronary disease for the medicine rules
    assert "coronary_said" in read_context(KB, text)
    assert "heart_attack" not in red_flag_codes(text)
