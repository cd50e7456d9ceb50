"""Round-31 gaps of catalog search on the shipped catalog: chickenpox read as its itch (calamine first),
gout beside a pain elsewhere (plain paracetamol first, aspirin last), a peptic ulcer read as the acid
complaint and not a mouth ulcer (beside a gout flare: colchicine first), the word antibiotic beside a
complaint, medicines not carried (sodium cromoglicate, Insadol), the words of closed comedones and spots, a
flu test asked in Chinese or Korean, shingles (the antiviral tablets first), an enlarged prostate beside a
blocked nose (the decongestant sprays after the steroid sprays and saline), and trying for a baby (read as a
pregnancy; the 5 mg folic acid last). The queries here are other wordings, not the round-31 set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    NSAIDS,
    all_after,
    held_by_mouth,
    ingredients,
    paracetamol_first_and_last,
    product_of,
    top_ids,
)

from medrush.catalog.search import SearchIndex

PENICILLINS = {"amoxicillin", "phenoxymethylpenicillin", "clavulanic acid"}
NASAL_SYMPATHOMIMETICS = {"oxymetazoline", "xylometazoline", "naphazoline", "tetrahydrozoline"}
MOUTH_ULCER_IDS = {
    "triamcinolone-acetonide-0-1pct-paste",
    "chlorhexidine-0-12pct-rinse",
    "difflam-throat-spray",
    "huasu-cydiodine-buccal",
    "guilin-xiguashuang-spray",
}


@pytest.mark.parametrize(
    "query",
    [
        "my 3 year old has chicken pox and is itchy",
        "孩子出水痘 很痒",
        "4살 아이 수두 가려워요",
    ],
)
def test_chickenpox_itch_puts_calamine_first_and_no_nsaid_by_mouth_before_the_rest(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids and "calamine" in ingredients(shipped, ids[0]), (query, ids[:3])
    assert all_after(held_by_mouth(shipped, ids, NSAIDS)), (query, ids)


@pytest.mark.parametrize(
    "query",
    [
        "gout sufferer with a bad headache",
        "痛风 头疼 吃什么",
        "통풍 있는데 두통약",
    ],
)
def test_gout_beside_a_headache_puts_plain_paracetamol_first_and_aspirin_last(
    shipped: SearchIndex, query: str
) -> None:
    paracetamol_first_and_last(shipped, query, {"aspirin"})


@pytest.mark.parametrize("query", ["十二指肠溃疡 痛风又犯了", "위궤양 환자 통풍 발작"])
def test_a_peptic_ulcer_beside_a_gout_flare_puts_colchicine_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids and ids[0] == "colchicine-0-5mg-tab", (query, ids[:3])
    assert not MOUTH_ULCER_IDS & set(ids), (query, ids)
    assert all_after(held_by_mouth(shipped, ids, NSAIDS - {"celecoxib"})), (query, ids)


@pytest.mark.parametrize("query", ["胃溃疡用什么药", "消化性溃疡 吃什么", "십이지장궤양 약"])
def test_a_peptic_ulcer_is_no_mouth_ulcer(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 10)
    assert ids and not MOUTH_ULCER_IDS & set(ids), (query, ids)
    assert "heartburn" in product_of(shipped, ids[0]).indications, (query, ids[:3])


@pytest.mark.parametrize(
    "query",
    [
        "penicillin allergic, need antibiotics for tonsillitis",
        "青霉素过敏 扁桃体炎 抗生素",
        "페니실린 알레르기 편도염 항생제",
    ],
)
def test_an_antibiotic_asked_beside_a_sore_throat_lists_the_non_penicillin_antibiotics_first(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 10)
    assert ids and (product_of(shipped, ids[0]).atc or "").startswith("J01"), (query, ids[:3])
    assert not any(ingredients(shipped, pid) & PENICILLINS for pid in ids), (query, ids)


@pytest.mark.parametrize(
    "query", ["cromolyn eye drops", "opticrom", "色甘酸钠滴眼液", "이가탄", "인사돌플러스"]
)
def test_medicines_not_carried_answer_nothing(shipped: SearchIndex, query: str) -> None:
    assert top_ids(shipped, query) == [], query


@pytest.mark.parametrize("query", ["额头冒痘痘", "闭口粉刺 用什么", "이마에 뾰루지 났어요"])
def test_spots_and_comedones_are_acne(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and all("acne" in product_of(shipped, pid).indications for pid in ids), (query, ids)


@pytest.mark.parametrize("query", ["怀疑得了流感 能自测吗", "독감인지 집에서 검사할 수 있나요"])
def test_a_flu_test_asked_lists_the_flu_tests_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] in {"influenza-ab-antigen-test", "flu-ab-covid-combo-antigen-test"}, (query, ids)


@pytest.mark.parametrize("query", ["带状疱疹 吃什么药", "shingles medicine", "대상포진 치료제"])
def test_shingles_puts_the_antiviral_tablets_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] in {"aciclovir-400mg-tab", "valaciclovir-500mg-tab"}, (query, ids)


def test_shingles_cream_keeps_the_cream_first(shipped: SearchIndex) -> None:
    assert top_ids(shipped, "带状疱疹药膏", 1) == ["aciclovir-5pct-cream-10g"]


@pytest.mark.parametrize("query", ["前列腺增生 鼻塞", "전립선 비대증 코막힘", "bph blocked nose"])
def test_an_enlarged_prostate_puts_the_decongestant_sprays_after_the_steroid_sprays(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    sprays = [bool(ingredients(shipped, pid) & NASAL_SYMPATHOMIMETICS) for pid in ids]
    steroid = [pid for pid in ids if ingredients(shipped, pid) & {"fluticasone", "mometasone", "budesonide"}]
    assert steroid and True in sprays, (query, ids)
    assert ids.index(steroid[0]) < sprays.index(True), (query, ids)


@pytest.mark.parametrize("query", ["trying to conceive, which folic acid", "임신 준비 엽산", "计划怀孕 叶酸"])
def test_folic_acid_before_a_pregnancy_puts_the_5mg_last(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 10)
    assert ids and ids[0] != "folic-acid-5mg-tab", (query, ids)
    assert "folic-acid-5mg-tab" not in ids or ids[-1] == "folic-acid-5mg-tab", (query, ids)


@pytest.mark.parametrize("query", ["trying to conceive and have a headache", "备孕期间 头疼"])
def test_trying_for_a_baby_is_read_as_a_pregnancy(shipped: SearchIndex, query: str) -> None:
    paracetamol_first_and_last(shipped, query, NSAIDS)
