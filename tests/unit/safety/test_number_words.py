"""Numbers said in words read like the same numbers in digits (numbers.py, one reader for the regimens of
dosing.py and the counts of the overdose red flag), and an acute overdose of any medicine fires the red flag
(red_flags.yaml overdose: a count of ten or more units taken, whichever medicine is named, or a whole pack),
while a stated regimen a day over the maximum of a non-staggered ingredient still blocks
(test_regimen_counts.py). Benign twins: ages, times, days, pack sizes, weights, blood pressures, doses
within limits."""

from __future__ import annotations

import pytest

from medrush.safety.dosing import stated_regimen, used_days
from medrush.safety.numbers import count_at_least, en_number, ko_number, zh_number
from tests.unit.safety.conftest import check_order


def _check(items: list[str], symptoms: str, lang: str, age: float | None = 39) -> tuple[str, set[str]]:
    result = check_order(items, symptoms, lang=lang, age_years=age, sex="male")
    return result.level, {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("eleven", 11),
        ("thirteen", 13),
        ("nineteen", 19),
        ("twenty-four", 24),
        ("twenty four", 24),
        ("a dozen", 12),
        ("ninety-nine", 99),
        ("12", 12),
    ],
)
def test_english_numbers(word: str, value: int) -> None:
    assert en_number(word) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("两", 2),
        ("二十四", 24),
        ("十几", 10),
        ("几十", 20),
        ("一百", 100),
    ],
)
def test_chinese_numbers(word: str, value: int) -> None:
    assert zh_number(word) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("열하나", 11),
        ("열한", 11),
        ("열두", 12),
        ("열세", 13),
        ("열네", 14),
        ("열다섯", 15),
        ("열여섯", 16),
        ("열일곱", 17),
        ("열여덟", 18),
        ("열아홉", 19),
        ("스무", 20),
        ("스물네", 24),
        ("서른", 30),
        ("십이", 12),
        ("이십", 20),
        ("이십사", 24),
    ],
)
def test_korean_numbers(word: str, value: int) -> None:
    assert ko_number(word) == value


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("타이레놀 500을 하루에 열두 알씩 먹어요", "타이레놀 500을 하루에 12알씩 먹어요"),
        ("하루에 열다섯 알 먹어요", "하루에 15알 먹어요"),
        ("하루에 스물네 알", "하루에 24알"),
        ("한 번에 두 알씩 열두 시간마다", "한 번에 2알씩 12시간마다"),
        ("I take fourteen tablets a day", "I take 14 tablets a day"),
        ("I take a dozen tablets a day", "I take 12 tablets a day"),
        ("I take 1 tablet eight times a day", "I take 1 tablet 8 times a day"),
        ("2 tablets every twelve hours", "2 tablets every 12 hours"),
        ("每天吃十二片", "每天吃12片"),
        ("每天吃十几片", "每天吃10片"),
    ],
)
def test_regimens_in_words_read_as_in_digits(words: str, digits: str) -> None:
    said, in_digits = stated_regimen(words), stated_regimen(digits)
    assert said is not None and in_digits is not None
    assert said.units_a_day == in_digits.units_a_day


def test_durations_in_words() -> None:
    assert used_days("I have taken it every day for fourteen days", of_use=True) == (14, "for fourteen days")


@pytest.mark.parametrize(
    ("lang", "matches", "misses"),
    [
        ("en", ["10", "twelve", "twenty-four", "a dozen"], ["9", "nine", "often", "1"]),
        ("zh", ["10", "十二", "十几", "二十四"], ["9", "九", "两"]),
        ("ko", ["10", "열두", "스물네", "십이"], ["9", "아홉", "두"]),
    ],
)
def test_count_at_least(lang: str, matches: list[str], misses: list[str]) -> None:
    import re

    pattern = re.compile(rf"^{count_at_least(10, lang)}$")
    assert all(pattern.match(m) for m in matches)
    assert not any(pattern.match(m) for m in misses)


@pytest.mark.parametrize(
    ("lang", "item", "text"),
    [
        # the brief's twin of "하루에 12알씩": paracetamol 6 g a day is an emergency (a staggered overdose)
        ("ko", "t-paracetamol-500", "타이레놀 500을 하루에 열두 알씩 먹어요"),
        ("ko", "t-paracetamol-500", "아까 진통제 스물네 알을 삼켰어요"),
        ("ko", "t-loperamide-2", "로페라미드 열두 알을 한꺼번에 먹었어요"),
        ("ko", "t-loperamide-2", "로페라미드 한 통을 다 먹었어요"),
        ("ko", "t-cetirizine-10", "세티리진 열한 알을 삼켰어요"),
        ("ko", "t-paracetamol-500", "아세트아미노펜 십이 정을 먹었어요"),
        ("ko", "t-ibuprofen-200", "이부프로펜 한 상자를 다 먹었어요"),
        ("zh", "t-paracetamol-500", "一口气吃了十二片扑热息痛"),
        ("zh", "t-loperamide-2", "一次吃了十五粒洛哌丁胺"),
        ("zh", "t-loperamide-2", "吞了二十四粒洛哌丁胺"),
        ("zh", "t-paracetamol-500", "昨晚吃了几十片安眠药"),
        ("en", "t-loperamide-2", "I swallowed 20 loperamide tablets an hour ago"),
        ("en", "t-loperamide-2", "I took twenty imodium an hour ago"),
        ("en", "t-loperamide-2", "my friend took 30 loperamide capsules to get high"),
        ("en", "t-paracetamol-500", "I swallowed thirteen tablets at once"),
        ("en", "t-paracetamol-500", "I took a dozen paracetamol last night"),
        ("en", "t-paracetamol-500", "she took twenty-four tablets"),
        ("en", "t-cetirizine-10", "I swallowed 16 cetirizine tablets"),
        ("en", "t-paracetamol-500", "I took seventeen of them"),
        ("en", "t-paracetamol-500", "I took 14 extra strength tylenol tablets"),
        ("en", "t-loperamide-2", "I drank the whole bottle of loperamide"),
        ("zh", "t-paracetamol-500", "一口气吃了十二片糖衣片"),
        ("ko", "t-paracetamol-500", "사탕인 줄 알고 타이레놀 열두 알을 먹었어요"),
    ],
)
def test_acute_overdose_of_any_medicine_is_an_emergency(lang: str, item: str, text: str) -> None:
    level, codes = _check([item], text, lang)
    assert level == "emergency" and "red_flag.overdose_poisoning" in codes


@pytest.mark.parametrize(
    ("lang", "item", "text"),
    [
        # a regimen a day over the maximum of a non-staggered ingredient blocks (round 22's distinction)
        ("ko", "t-loperamide-2", "설사 때문에 로페라미드를 하루에 열두 알씩 먹고 있어요"),
        ("ko", "t-ibuprofen-200", "허리가 아파서 이부프로펜을 하루에 스물네 알씩 먹고 있어요"),
        ("en", "t-paracetamol-500", "I take fourteen tablets a day"),
    ],
)
def test_regimen_over_the_maximum_blocks(lang: str, item: str, text: str) -> None:
    level, codes = _check([item], text, lang)
    assert level == "block" and "stated_dose_above_max" in codes
    assert "red_flag.overdose_poisoning" not in codes


@pytest.mark.parametrize(
    ("lang", "item", "text", "age"),
    [
        ("ko", "t-paracetamol-500", "열두 살 아이가 열이 나요", 12),
        ("ko", "t-paracetamol-500", "11시에 먹었어요 두통이 있어요", 39),
        ("ko", "t-paracetamol-500", "20정짜리 한 통 샀어요", 39),
        ("ko", "t-paracetamol-500", "타이레놀 20알짜리 한 통 샀어요", 39),
        ("ko", "t-paracetamol-500", "약 열 알 정도 남았어요", 39),
        ("ko", "t-paracetamol-500", "약 10알 정도 남았어요", 39),
        ("ko", "t-ibuprofen-200", "열두 시간마다 한 알씩 먹어요", 39),
        ("ko", "t-paracetamol-500", "아이가 열두 개월인데 열이 나요", 1),
        ("ko", "t-paracetamol-500", "스물네 살이고 생리통이 심해요", 24),
        ("ko", "t-loperamide-2", "설사를 열두 번 했어요", 39),
        ("ko", "t-omeprazole-20", "십이지장 궤양이 있었어요", 39),
        ("ko", "t-paracetamol-500", "한 알 입에 넣었어요", 39),
        ("zh", "t-paracetamol-500", "孩子十二岁，发烧了", 12),
        ("zh", "t-paracetamol-500", "吃了十二天了，还是头疼", 39),
        ("zh", "t-paracetamol-500", "买了一盒24片装的", 39),
        ("zh", "t-paracetamol-500", "一盒二十片装，吃了两片", 39),
        ("zh", "t-paracetamol-500", "吃的那盒24片装的快吃完了", 39),
        ("zh", "t-paracetamol-500", "这盒吃了十几片了，还剩一些", 39),
        ("zh", "t-loperamide-2", "拉了十几次肚子", 39),
        ("zh", "t-paracetamol-500", "血压一百二十，八十", 39),
        ("en", "t-paracetamol-500", "my son is twelve years old and has a fever", 12),
        ("en", "t-paracetamol-500", "I took one of the twenty tablets this morning", 39),
        ("en", "t-paracetamol-500", "I bought a pack of 20 tablets last week", 39),
        ("en", "t-paracetamol-500", "I had 12 tablets left in the box", 39),
        ("en", "t-paracetamol-500", "it took 20 minutes to kick in", 39),
        ("en", "t-paracetamol-500", "I am twenty-four and have period pain", 24),
        ("en", "t-paracetamol-500", "the box has a dozen tablets", 39),
        ("en", "t-paracetamol-500", "often tablets make me sick", 39),
        ("en", "t-ibuprofen-200", "I take one tablet every twelve hours", 39),
        # foods counted like tablets (the noun before the count in Korean, after it in Chinese)
        ("ko", "t-paracetamol-500", "귤 열두 개 먹었어요", 39),
        ("ko", "t-paracetamol-500", "귤 12개 먹었어요", 39),
        ("ko", "t-paracetamol-500", "포도 스무 알 먹었어요", 39),
        ("zh", "t-paracetamol-500", "吃了二十颗葡萄", 39),
        ("zh", "t-paracetamol-500", "一口气吃了十二颗糖", 39),
    ],
)
def test_numbers_that_are_no_overdose_stay_allowed(lang: str, item: str, text: str, age: float) -> None:
    level, codes = _check([item], text, lang, age)
    assert level == "allow", codes
