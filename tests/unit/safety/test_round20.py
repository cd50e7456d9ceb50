"""Round 20 mechanisms: a Chinese or Korean clause bound "，" that also stops at ",", a pack running out
or refilled vetoing the overdose red flag, melaena in more words, a list part that only says how long, and a
lower daily maximum of paracetamol with liver disease (each with wording other than the round-20 cases'
own)."""

from __future__ import annotations

import pytest

from medrush.safety.engine import _split_terms
from medrush.safety.knowledge import _ascii_stops, load_knowledge_base
from medrush.safety.triage import PatientFacts, detect_red_flags

KB = load_knowledge_base()


def flags(text: str, age: float = 45) -> list[str]:
    facts = PatientFacts(age_years=age, pregnant=False, conditions=frozenset())
    return [h.code for h in detect_red_flags(KB, text, facts)]


def test_full_width_stops_widened_inside_classes_only() -> None:
    assert _ascii_stops("吃了?[^，。]{0,4}(一)盒") == "吃了?[^,，。]{0,4}(一)盒"
    assert _ascii_stops("[^不没，。]") == "[^,不没，。]"
    assert _ascii_stops("胸口疼") == "胸口疼"


@pytest.mark.parametrize(
    "text",
    [
        "这板药快吃完了，再拿一盒",
        "每次吃了两片，一盒够几天？",
        "I'm almost through my box of paracetamol, need a refill",
        "running low, finished the packet of tablets over the last few weeks",
        "진통제를 다 먹어가서 한 통 더 사려고요",
    ],
)
def test_pack_running_out_is_no_overdose(text: str) -> None:
    assert "overdose_poisoning" not in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "she took the whole box of paracetamol last night, need a refill",
        "刚才一口气吃了一整盒安眠药，快吃完的那盒也要续",
        "어젯밤에 수면제 한 통을 다 먹어버렸어요. 약이 떨어져가서요",
        "overdosed on my tablets, running low now",
    ],
)
def test_overdose_with_refill_words_still_fires(text: str) -> None:
    assert "overdose_poisoning" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "my stools went jet black and tarry",
        "拉的屎黑漆漆的",
        "대변 색이 시커멓게 나와요",
        "passing sticky black stools",
    ],
)
def test_melaena_in_more_words(text: str) -> None:
    assert "abdominal_emergency" in flags(text, age=65)


@pytest.mark.parametrize(
    "text",
    [
        "짜장면 먹고 체했어요",
        "my toddler's poo is dark green from the iron drops",
        "the road crew laid tar outside",
    ],
)
def test_dark_food_or_tar_is_no_bleed(text: str) -> None:
    assert "abdominal_emergency" not in flags(text, age=40)


@pytest.mark.parametrize(
    ("entry", "parts"),
    [
        ("naproxen 250 mg twice daily, 2 weeks now", 1),
        ("布洛芬，吃了两个月了", 1),
        ("이부프로펜, 3주째", 1),
        ("amlodipine, since March", 1),
        ("amlodipine, atorvastatin", 2),
        ("二甲双胍，阿司匹林", 2),
    ],
)
def test_duration_note_joins_the_entry_before(entry: str, parts: int) -> None:
    assert len(_split_terms([entry], lambda _t: True)) == parts


def test_condition_daily_maximum_loaded_with_source() -> None:
    conditions, mg, source = KB.condition_max_daily_mg["paracetamol"]
    assert {"liver_disease", "cirrhosis"} <= conditions
    assert mg == 2000
    assert "cirrhosis" in source
