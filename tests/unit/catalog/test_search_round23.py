"""Round-23 gaps of catalog search on the shipped catalog: glaucoma beside a red eye puts the vasoconstrictor
eye drops below the lubricating ones; a cold beside high blood pressure, glaucoma or an enlarged prostate
answers plain paracetamol first and puts the multi-ingredient products taken by mouth after the single ones
(pentoxyverine, with the sedating antihistamines, last for glaucoma); a stage of pregnancy (임신 초기, 孕晚期,
trimester) is pregnancy, and indigestion or heartburn in it lists an antacid or alginate first; quitting
smoking in more words finds nicotine replacement. The queries here are other wordings, not the round-23
set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    all_after,
    combined_by_mouth,
    first,
    ingredients,
    plain_paracetamol,
    top_ids,
)

from medrush.catalog.search import SearchIndex

VASOCONSTRICTORS = {"naphazoline", "tetrahydrozoline", "oxymetazoline"}
LUBRICANTS = {"sodium hyaluronate", "carmellose", "sodium chloride"}
ANTACIDS = {
    "calcium carbonate",
    "sodium alginate",
    "sodium bicarbonate",
    "magnesium carbonate",
    "magnesium hydroxide",
    "aluminium hydroxide",
    "aluminium phosphate",
    "hydrotalcite",
    "simeticone",
}
ANTICHOLINERGIC = {"chlorphenamine", "doxylamine", "diphenhydramine", "pentoxyverine", "promethazine"}


@pytest.mark.parametrize(
    "query",
    [
        "bloodshot eyes but i have glaucoma",
        "glaucoma patient, eyes are red, which drops",
        "有青光眼 眼睛红 用什么眼药水",
        "青光眼患者 眼充血",
        "녹내장 있는데 눈 충혈 안약",
        "녹내장 환자 눈이 빨개요",
    ],
)
def test_glaucoma_beside_a_red_eye_puts_the_vasoconstrictor_drops_last(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=20)
    assert ids, query
    assert ingredients(shipped, ids[0]) <= LUBRICANTS, (query, ids[:3])
    flags = [bool(ingredients(shipped, pid) & VASOCONSTRICTORS) for pid in ids]
    assert all_after(flags), (query, ids)


@pytest.mark.parametrize("query", ["red eyes", "眼睛红 眼药水", "눈 충혈 안약"])
def test_a_red_eye_alone_still_finds_the_redness_drops(shipped: SearchIndex, query: str) -> None:
    assert ingredients(shipped, first(shipped, query).id) & VASOCONSTRICTORS, query


@pytest.mark.parametrize(
    "query",
    [
        "cold tablets, im hypertensive",
        "on blood pressure pills, need something for a cold",
        "高血压 感冒了吃什么药",
        "吃降压药 感冒了",
        "고혈압 있는데 감기약 추천",
        "혈압약 먹는데 감기 기운 있어요",
    ],
)
def test_a_cold_beside_high_blood_pressure_answers_plain_paracetamol_before_combinations(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    assert plain_paracetamol(shipped, ids[0]), (query, ids[:3])
    flags = [combined_by_mouth(shipped, pid) for pid in ids]
    first_combined = flags.index(True) if True in flags else len(ids)
    assert any(plain_paracetamol(shipped, pid) for pid in ids[:first_combined]), (query, ids)
    assert not any(flags[:3]), (query, ids[:3])


@pytest.mark.parametrize(
    "query",
    [
        "i have glaucoma, which cold medicine is ok",
        "glaucoma and a cold, what can i take",
        "有青光眼 感冒吃什么",
        "青光眼病人能吃的感冒药",
        "녹내장 있는데 감기약 먹어도 되나요",
        "녹내장 환자 감기",
    ],
)
def test_a_cold_beside_glaucoma_puts_anticholinergics_and_combinations_after_paracetamol(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    assert plain_paracetamol(shipped, ids[0]), (query, ids[:3])
    assert not any(combined_by_mouth(shipped, pid) for pid in ids[:3]), (query, ids[:3])
    flags = [bool(ingredients(shipped, pid) & ANTICHOLINERGIC) for pid in ids]
    assert all_after(flags), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "heartburn in my third trimester",
        "first trimester indigestion",
        "孕早期 消化不良吃什么",
        "孕晚期烧心",
        "임신 후기 속쓰림",
        "임신초기 소화가 안 돼요",
    ],
)
def test_indigestion_in_pregnancy_lists_an_antacid_or_alginate_first(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=3)
    assert ids, query
    assert all(ingredients(shipped, pid) <= ANTACIDS for pid in ids), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "giving up cigarettes, what helps",
        "quitting smoking",
        "想把烟戒了",
        "不想抽烟了 有什么办法",
        "담배를 끊고 싶은데",
        "담배 끊는 방법",
    ],
)
def test_quitting_smoking_in_other_words_finds_nicotine_replacement(shipped: SearchIndex, query: str) -> None:
    assert "nicotine" in ingredients(shipped, first(shipped, query).id), query


@pytest.mark.parametrize("query", ["glaucoma, which eye drops", "青光眼 眼药水", "녹내장 있는데 안약 추천"])
def test_glaucoma_beside_any_eye_drops_puts_the_vasoconstrictors_last(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    flags = [bool(ingredients(shipped, pid) & VASOCONSTRICTORS) for pid in ids]
    assert all_after(flags), (query, ids)
