"""After round 25: a stated regimen read through a brand name before a count of times ("2 imodium 6 times
a day"), through a misspelt name of the ordered product ("2 immodium every 2 hours"), and from a list of
times of day with a count a dose ("아침 점심 저녁 하나씩", "早中晚各一片", "one each morning and night").
Each dangerous text has a benign twin; a list of times without a count a dose reads nothing."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety.dosing import stated_regimen
from tests.unit.safety.conftest import check_order

TODAY = date(2026, 12, 7)


def _check(item: str, symptoms: str, lang: str = "en", age: float = 29) -> tuple[str, set[str]]:
    result = check_order(item, symptoms, lang=lang, today=TODAY, age_years=age, sex="male")
    return result.level, {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("text", "names", "units"),
    [
        ("taking 2 imodium 6 times a day", ["imodium"], 12),
        ("2 nurofen three times a day", ["nurofen"], 6),
        ("one each morning, noon and night", [], 3),
        ("2 tablets morning and night", [], 4),
        ("morning and night, 2 tablets each", [], 4),
        ("地氯雷他定早中晚各一片", [], 3),
        ("早晚各一", [], 2),
        ("早上中午晚上各吃两粒", [], 6),
        ("아침 점심 저녁 하나씩 먹어요", [], 3),
        ("아침 저녁으로 두 알씩", [], 4),
    ],
)
def test_regimens_read(text: str, names: list[str], units: float) -> None:
    regimen = stated_regimen(text, names)
    assert regimen is not None and regimen.units_a_day == units


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("2 imodium 200 mg", ["imodium"]),  # a strength after the name, no count of times
        ("cough is worse morning and night", []),
        ("itchy morning, noon and night", []),
        ("早晚各一次", []),  # once each: doses, not units a dose
        ("早中晚都咳嗽", []),
        ("아침 저녁으로 기침이 심해요", []),
        ("아침 저녁 한 번씩 먹어요", []),  # 번: doses, not units
    ],
)
def test_no_regimen_without_a_count_a_dose(text: str, names: list[str]) -> None:
    assert stated_regimen(text, names) is None


@pytest.mark.parametrize(
    ("item", "text", "lang"),
    [
        # loperamide 2 mg, 16 mg a day at most
        ("z4-imodium-2mg", "taking 2 imodium 6 times a day", "en"),  # 24 mg
        ("z4-imodium-2mg", "been taking 2 immodium every 2 hours", "en"),  # misspelt brand, 24 mg
        ("z4-imodium-2mg", "taking 2 immodium 6 times a day", "en"),
        # cetirizine 10 mg, 10 mg a day at most
        ("z4-zyrtec-10mg", "지르텍 아침 점심 저녁 하나씩 먹어요", "ko"),  # 30 mg
        ("z4-zyrtec-10mg", "지르텍 아침 저녁 하나씩 먹어요", "ko"),  # 20 mg
        ("z4-zyrtec-10mg", "仙特明早中晚各一片", "zh"),
        ("z4-zyrtec-10mg", "仙特明早晚各一", "zh"),
        ("z4-zyrtec-10mg", "zyrtec, one each morning, noon and night", "en"),
        ("z4-zyrtec-10mg", "1 tablet morning and night", "en"),
        # loratadine 10 mg, 10 mg a day at most
        ("t-loratadine-10", "아침 저녁 하나씩 먹어요", "ko"),
    ],
)
def test_regimen_over_the_maximum_blocks(item: str, text: str, lang: str) -> None:
    level, codes = _check(item, text, lang)
    assert level == "block" and "stated_dose_above_max" in codes


@pytest.mark.parametrize(
    ("item", "text", "lang"),
    [
        ("z4-imodium-2mg", "taking 2 imodium 4 times a day", "en"),  # 16 mg: the maximum, not over it
        ("z4-imodium-2mg", "been taking 1 immodium every 4 hours", "en"),  # 12 mg
        ("z4-imodium-2mg", "2 imodium morning and night", "en"),  # 8 mg
        ("t-loperamide-2", "로페라미드 아침 저녁 하나씩 먹어요", "ko"),  # 4 mg
        ("z4-zyrtec-10mg", "지르텍 아침 하나씩 먹어요", "ko"),  # one time of day: 10 mg
        ("z4-zyrtec-10mg", "아침 저녁으로 재채기가 심해요", "ko"),  # no count a dose
        ("z4-zyrtec-10mg", "sneezing morning and night", "en"),
        ("z4-zyrtec-10mg", "早晚打喷嚏，一次一片", "zh"),
        ("z4-zyrtec-10mg", "早晚各一次喷鼻，想买仙特明", "zh"),
    ],
)
def test_benign_twins_are_not_blocked(item: str, text: str, lang: str) -> None:
    level, codes = _check(item, text, lang)
    assert "stated_dose_above_max" not in codes and level != "block"


def test_a_misspelt_name_of_another_medicine_is_no_unit() -> None:
    # "nurofen" misspelt is read by the speller as ibuprofen, which is not ordered: no regimen of loperamide
    level, codes = _check("z4-imodium-2mg", "taking 2 nurofenn 6 times a day")
    assert "stated_dose_above_max" not in codes and level != "block"
