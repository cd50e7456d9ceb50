"""Round-8 gaps of catalog search on the shipped catalog: the rest of a sentence about how something feels
("eyes feel dry", never "peel"), Korean predicates as spoken (가려워요, 삐었어요, 체했을, 열나는데), body
parts with their particles (허리가), part of a spaced name typed without its spaces (쿨링시트) and traditional
characters in a phrase no key holds whole (念慈菴川貝枇杷膏)."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.text import (
    join_spaced_characters,
    korean_predicate_forms,
    normalize,
    to_simplified,
)


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


def top(index: SearchIndex, query: str) -> set[str]:
    return set(index.search(query)[0].product.indications)


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("eyes feel dry and gritty", "dry_eyes"),  # "feel" is one edit from "peel" (areca peel)
        ("feel sick in the car", "motion_sickness"),
    ],
)
def test_words_of_a_sentence_are_not_misspelt_names(
    shipped: SearchIndex, query: str, indication: str
) -> None:
    assert indication in top(shipped, query)


def test_a_lone_word_of_a_phrase_key_does_not_reach_it(shipped: SearchIndex) -> None:
    # "after" alone is no "morning after pill", "eating" no misspelt "yuting" (毓婷)
    assert not any(
        "emergency_contraception" in hit.product.indications
        for hit in shipped.search("burning feeling in my chest after eating")[:3]
    )


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("가려워요", "가려움"),  # ㅂ irregular
        ("삐었어요", "삠"),
        ("체했을", "체함"),
        ("열나는데", "열나요"),
        ("아파요", "아픔"),
        ("쓰려요", "쓰림"),
        ("막혔어요", "막힘"),
        ("멀미할", "멀미"),  # a noun + 하다 verb
    ],
)
def test_korean_predicate_forms(word: str, form: str) -> None:
    assert form in korean_predicate_forms(word)


def test_korean_predicate_forms_leave_other_words() -> None:
    assert korean_predicate_forms("머리") == []
    assert korean_predicate_forms("ibuprofen") == []


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("눈이 가려워요", "itchy_eyes"),
        ("발목을 삐었어요", "sprain"),
        ("체했을 때 먹는 약", "indigestion"),
        ("입술에 물집이 났어요", "cold_sores"),
        ("속이 메스꺼워요", "nausea"),
        ("허리가 뻐근해요", "back_pain"),  # 허리 of "허리 통증", "허리 아픔"
    ],
)
def test_korean_said_as_a_sentence(shipped: SearchIndex, query: str, indication: str) -> None:
    assert indication in top(shipped, query)


def test_a_child_with_a_fever_said_in_korean(shipped: SearchIndex) -> None:
    first = shipped.search("아기 열나는데 무슨 약 먹여요")[0].product
    assert "fever" in first.indications
    assert first.min_age_years is not None and first.min_age_years < 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("쿨링시트", "cooling-gel-sheets-fever"),  # "해열 쿨링 시트 6매"
        ("고바야시쿨링", "koolfever-cooling-sheets"),  # "고바야시 쿨링 시트 (Koolfever)"
    ],
)
def test_part_of_a_spaced_name_typed_without_spaces(shipped: SearchIndex, query: str, expected: str) -> None:
    assert expected in ids(shipped, query, 2)


def test_traditional_characters_are_made_simplified() -> None:
    assert to_simplified("撲熱息痛") == "扑热息痛"
    assert to_simplified("川貝枇杷膏") == "川贝枇杷膏"
    assert to_simplified("ibuprofen") == "ibuprofen"
    # a character the catalog itself writes stays as it is (噁 of 磺胺甲噁唑)
    assert to_simplified("甲噁唑", known={"噁"}) == "甲噁唑"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("念慈菴川貝枇杷膏", "nin-jiom-pei-pa-koa"),  # a traditional phrase no key holds whole
        ("複方磺胺甲噁唑片", "co-trimoxazole-480mg-tab"),
    ],
)
def test_traditional_phrases_reach_the_product(shipped: SearchIndex, query: str, expected: str) -> None:
    assert ids(shipped, query, 1) == [expected]


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("維他命C", "vitamin_deficiency"),  # 維他命 = 维生素
        ("鼻敏感", "hay_fever"),
        ("暈浪丸", "motion_sickness"),
        ("肚屙", "diarrhoea"),
        ("探熱針", "fever_monitoring"),
    ],
)
def test_hong_kong_and_taiwan_words(shipped: SearchIndex, query: str, indication: str) -> None:
    assert indication in top(shipped, query)


def test_a_korean_verb_naming_the_form(shipped: SearchIndex) -> None:
    # 붙이는 (one that sticks on): the motion sickness patches before the tablets
    forms = {hit.product.dosage_form for hit in shipped.search("멀미할 때 붙이는 거")[:2]}
    assert forms == {"transdermal patches"}


def test_a_correction_keeps_the_start_of_the_word(shipped: SearchIndex) -> None:
    # "killing" is two slips from "cooling" and sounds one slip from it: neither makes it the cooling sheets
    first = shipped.search("my lower back is killing me")[0].product
    assert "back_pain" in first.indications
    assert first.rx_class != "rx"
    # a misspelling keeping its first letter is still corrected
    assert ids(shipped, "ibuprofin", 1)[0].startswith(("ibuprofen", "nurofen", "advil", "brufen", "fenbid"))


def test_a_full_stop_after_a_letter_ends_the_word() -> None:
    assert normalize("omeprazole.20mg") == "omeprazole 20mg"
    assert normalize("vit.c") == "vit c"
    assert normalize("0.9% saline") == "0.9% saline"  # a decimal point stays
    assert normalize(".5g") == ".5g"


def test_chinese_typed_a_character_at_a_time() -> None:
    assert join_spaced_characters("创 可 贴") == "创可贴"
    assert join_spaced_characters("感 冒 灵 颗粒") == "感冒灵 颗粒"
    assert join_spaced_characters("板蓝根 颗粒 无糖") == "板蓝根 颗粒 无糖"
    assert join_spaced_characters("vitamin c") == "vitamin c"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("omeprazole.20mg", "omeprazole-20mg-eccap-14"),  # not omeprazole 0.20 mg
        ("创 可 贴", "adhesive-bandages-assorted"),
    ],
)
def test_odd_punctuation_and_spacing(shipped: SearchIndex, query: str, expected: str) -> None:
    assert ids(shipped, query, 1) == [expected]
