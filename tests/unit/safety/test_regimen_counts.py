"""Leftovers of round 22: a count of units said as a regimen a day ("로페라미드를 하루에 열 알씩 먹고
있어요") that fires the overdose red flag is read by the amount a day of each ingredient against its
maximum: over the maximum of an ingredient for which too much a day is no poisoning it blocks
(stated_dose_above_max), while paracetamol and aspirin (rules.yaml ``staggered_overdose``), a count
taken at once, a child, an unknown age or a medicine not ordered stay an emergency. And Korean number
words (열, 스무) read in regimens."""

from __future__ import annotations

import pytest

from medrush.safety.dosing import stated_regimen
from medrush.safety.knowledge import load_knowledge_base
from tests.unit.safety.conftest import check_order

KB = load_knowledge_base()


def _check(items: list[str], symptoms: str, age: float | None = 39) -> tuple[str, set[str], list[str]]:
    result = check_order(items, symptoms, lang="ko", age_years=age, sex="male")
    return result.level, {f.code for f in result.findings}, [f.message for f in result.findings]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("하루에 열 알씩 먹고 있어요", 10),
        ("하루에 스무 알 먹어요", 20),
        ("하루에 여덟 알씩", 8),
        ("한 번에 두 알씩 하루 세 번", 6),
    ],
)
def test_korean_number_words_in_regimens(text: str, units: int) -> None:
    regimen = stated_regimen(text)
    assert regimen is not None and regimen.units_a_day == units


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ("t-loperamide-2", "설사가 사흘째라 로페라미드를 하루에 열 알씩 먹고 있어요"),
        ("t-ibuprofen-200", "허리가 아파서 이부프로펜을 하루에 열 알씩 먹고 있어요"),
        ("t-cetirizine-10", "가려워서 세티리진을 하루에 열 알씩 먹고 있어요"),
        ("t-chlorphenamine-4", "콧물 때문에 클로르페니라민을 하루에 열 알씩 먹어요"),
    ],
)
def test_regimen_over_the_maximum_blocks_not_emergency(item: str, text: str) -> None:
    level, codes, messages = _check([item], text)
    assert level == "block"
    assert "stated_dose_above_max" in codes and "red_flag.overdose_poisoning" not in codes
    assert any("1일 최대" in m for m in messages)


@pytest.mark.parametrize(
    ("items", "text", "age"),
    [
        # paracetamol and aspirin: too much a day over days is itself a poisoning (a staggered overdose)
        (["t-paracetamol-500"], "두통이 심해서 타이레놀을 하루에 열 알씩 먹고 있어요", 39),
        (["t-paracetamol-500"], "허리가 아파서 아세트아미노펜을 하루에 열 알씩 먹고 있어요", 39),
        (["t-aspirin-300"], "아스피린을 하루에 스무 알씩 먹고 있어요", 39),
        # units at once, a child, an unknown age, another medicine named, a paracetamol line beside it
        (["t-loperamide-2"], "어제 로페라미드를 하루에 열 알을 한꺼번에 먹었어요", 39),
        (["t-loperamide-2"], "로페라미드 열 알을 한꺼번에 먹었어요", 39),
        (["t-loperamide-2"], "아이가 로페라미드를 하루에 열 알씩 먹고 있어요", 8),
        (["t-loperamide-2"], "로페라미드를 하루에 열 알씩 먹고 있어요", None),
        (["t-loperamide-2"], "타이레놀을 하루에 열 알씩 먹고 있어요 설사약도 사려고요", 39),
        (["t-loperamide-2"], "하루에 열 알씩 먹고 있어요", 39),
        (["t-loperamide-2", "t-paracetamol-500"], "로페라미드를 하루에 열 알씩 먹고 있어요", 39),
        (["t-loperamide-2"], "로페라미드를 하루에 열 알씩 먹고 있고 수면제도 한꺼번에 많이 먹었어요", 39),
    ],
)
def test_count_stays_an_emergency(items: list[str], text: str, age: float | None) -> None:
    level, codes, _ = _check(items, text, age)
    assert level == "emergency" and "red_flag.overdose_poisoning" in codes


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ("t-loperamide-2", "로페라미드를 하루에 네 알씩 먹고 있어요"),
        ("t-paracetamol-500", "타이레놀을 하루에 여섯 알씩 먹고 있어요"),
        ("t-loperamide-2", "설사가 나서 로페라미드 처음에 두 알 먹고 그 뒤로 한 알씩 먹었어요"),
    ],
)
def test_regimen_within_the_maximum_allowed(item: str, text: str) -> None:
    assert _check([item], text)[0] == "allow"


def test_staggered_overdose_knowledge() -> None:
    assert set(KB.staggered_overdose) == {"paracetamol", "aspirin"}
    assert all(i in KB.max_daily_mg and source for i, source in KB.staggered_overdose.items())
