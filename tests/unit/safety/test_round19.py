"""Round 19 mechanisms: Korean past sentences and "years ago" as past history, a chest-muscle veto for chest
pain, coffee-ground vomit in more words, pregnancy said by a due date, a last period date or a positive test,
a liquid's concentration from its name, list entries kept whole inside brackets (each with wording other than
the round-19 cases' own)."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety.dosing import named_mg_per_ml, pregnancy_said
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.triage import PatientFacts, detect_red_flags

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)


def flags(text: str) -> list[str]:
    facts = PatientFacts(age_years=45, pregnant=False, conditions=frozenset())
    return [h.code for h in detect_red_flags(KB, text, facts)]


@pytest.mark.parametrize(
    "text",
    [
        "옛날에 새우 먹고 숨이 막혀서 입원했었어요. 오늘은 두통이에요",
        "과거에 가슴이 조여서 검사했었는데 이상 없었어요",
        "my dad had a heart attack years ago, I need something for my back",
        "운동을 많이 했더니 가슴 근육이 아파요",
        "练完胸以后胸肌很酸痛",
        "my pecs are sore and tight after the gym",
    ],
)
def test_past_or_muscle_is_no_emergency(text: str) -> None:
    assert flags(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("예전에 천식이 있었는데 지금 숨이 막혀요", "breathing_difficulty"),
        ("작년에 수술했는데 숨이 막혀요", "breathing_difficulty"),
        ("예전에 먹던 약을 먹었더니 숨이 막혔어요", "breathing_difficulty"),
        ("가슴 근육인 줄 알았는데 통증이 왼팔까지 퍼져요", "heart_attack"),
        ("I thought it was a chest muscle but now it's crushing chest pain", "heart_attack"),
        ("吐了好几次，吐出的东西颜色很深，像咖啡渣", "abdominal_emergency"),
        ("토했는데 나온 게 까맣고 커피 찌꺼기처럼 보여요", "abdominal_emergency"),
    ],
)
def test_current_signs_still_fire(text: str, code: str) -> None:
    assert code in flags(text)


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("预产期是明年2月1号", 30),
        ("our baby is due on 1st March", 26),
        ("분만 예정일이 2027년 1월 4일이에요", 34),
        ("末次月经10月12号，早孕试纸阳性", 6),
        ("last period was 2 November, positive pregnancy test today", 3),
        ("임테기 두 줄 나왔어요", None),
        ("she is 24 weeks pregnant", 24),
        ("我怀孕八个月了", 34),
        ("임신 12주예요", 12),
    ],
)
def test_pregnancy_said(text: str, weeks: int | None) -> None:
    said = pregnancy_said(text, TODAY)
    assert said is not None
    assert said[0] is True
    assert said[1] == weeks


@pytest.mark.parametrize(
    "text",
    [
        "covid test positive, two lines",
        "코로나 항원 테스트기 두 줄",
        "新冠抗原两条杠",
        "pregnancy test was negative",
        "验孕棒一条杠",
        "수술 예정일이 12월 20일이에요",
        "rent is due on January 20",
        "appointment on 20 January",
        "生理期预计12月1号",
        "备孕半年了",
        "想怀孕3个月了",
        "had my baby 6 weeks ago",
        "출산한 지 6주 됐어요",
        "my sister is 20 weeks pregnant",
        "我姐怀孕32周了",
        "친구가 임신 20주예요",
    ],
)
def test_no_pregnancy_said(text: str) -> None:
    assert pregnancy_said(text, TODAY) is None


def test_concentration_from_a_name() -> None:
    assert named_mg_per_ml(["Children's paracetamol 120 mg/5 ml"], 120.0, "mg") == 24.0
    assert named_mg_per_ml(["儿童布洛芬 100毫克/5毫升"], 100.0, "mg") == 20.0
    assert named_mg_per_ml(["Children's paracetamol 120 mg/5 ml"], 250.0, "mg") is None  # another strength
    assert named_mg_per_ml(["Paracetamol 500 mg tablets"], 500.0, "mg") is None
    assert named_mg_per_ml(["Children's paracetamol 120 mg/5 ml"], 120.0, "mg/5ml") is None
