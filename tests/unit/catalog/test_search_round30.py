"""Round-30 gaps of catalog search on the shipped catalog: a migraine beside an SSRI or SNRI (aspirin and its
combinations by mouth last, plain paracetamol a candidate and near the top) and diabetes beside a cold or a
blocked nose (the sympathomimetic decongestants by mouth last, plain paracetamol or saline first). The
queries here are other wordings, not the round-30 set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    NSAIDS,
    all_after,
    held_by_mouth,
    plain_paracetamol,
    product_of,
    top_ids,
)

from medrush.catalog.search import SearchIndex

DECONGESTANTS = {"pseudoephedrine", "phenylephrine", "methylephedrine", "ephedra herb"}
SALINE = {"sodium chloride", "sea salt"}


@pytest.mark.parametrize(
    "query",
    [
        "on fluoxetine, migraine attack",
        "escitalopram and a migraine",
        "服用帕罗西汀 偏头痛",
        "서트랄린 먹는데 편두통",
    ],
)
def test_a_migraine_on_an_ssri_puts_aspirin_last_and_plain_paracetamol_near_the_top(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    assert any(plain_paracetamol(shipped, pid) for pid in ids[:3]), (query, ids[:3])
    # the NSAIDs and aspirin (Excedrin) by mouth, and dextromethorphan (serotonin syndrome: round 25), last
    assert all_after(held_by_mouth(shipped, ids, NSAIDS | {"dextromethorphan"})), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "type 1 diabetes cold and flu remedy",
        "diabetic, blocked nose and a cold",
        "糖尿病 鼻塞 感冒药",
        "당뇨 환자 감기약",
    ],
)
def test_diabetes_with_a_cold_puts_the_oral_decongestants_last_and_paracetamol_or_saline_first(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    safe = [
        plain_paracetamol(shipped, pid) or bool(SALINE & set(product_of(shipped, pid).ingredient_names))
        for pid in ids[:3]
    ]
    assert any(safe), (query, ids[:3])
    assert all_after(held_by_mouth(shipped, ids, DECONGESTANTS)), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "nursing mum with a blocked nose and a cold",
        "哺乳期 鼻塞 感冒",
    ],
)
def test_a_blocked_nose_with_a_cold_while_breastfeeding_answers_saline_first(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    first = product_of(shipped, ids[0])
    assert "nasal" in first.dosage_form and set(first.ingredient_names) <= SALINE, (query, ids[:3])
    assert all_after(held_by_mouth(shipped, ids, DECONGESTANTS)), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "estazolam 1mg tablets",
        "舒乐安定片",
        "rogaine foam for hair loss",
        "米诺地尔酊",
        "vitamin e capsules",
        "비타민e 캡슐",
    ],
)
def test_medicines_and_supplements_not_carried_answer_nothing(shipped: SearchIndex, query: str) -> None:
    assert top_ids(shipped, query) == [], query


@pytest.mark.parametrize(
    "query", ["2 year old baby runny nose", "my toddler is 3, runny nose", "两岁 婴儿 流鼻涕"]
)
def test_a_baby_or_toddlers_runny_nose_answers_saline_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    first = product_of(shipped, ids[0])
    assert "nasal" in first.dosage_form and set(first.ingredient_names) <= SALINE, (query, ids[:3])
    assert all_after(held_by_mouth(shipped, ids, DECONGESTANTS)), (query, ids)
