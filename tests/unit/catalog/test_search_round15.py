"""Round-15 gaps of catalog search on the shipped catalog: an allergy to a medicine rules it (and for
aspirin or an NSAID the class) out, blood-pressure medicines said as context are high blood pressure,
diabetes and sugar-free, how long or how fast a medicine should work, situations said in everyday words,
names typed as they sound, and medicines not carried. The queries here are variants, not the round-15
set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import first

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.text import romanized_hangul

NSAIDS = {"aspirin", "ibuprofen", "dexibuprofen", "naproxen", "loxoprofen", "diclofenac", "ketoprofen"}
DECONGESTANTS = {"pseudoephedrine", "phenylephrine", "oxymetazoline", "xylometazoline", "methylephedrine"}


def _ids(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [hit.product.id for hit in index.search(query, limit=limit)]


@pytest.mark.parametrize(
    "query",
    [
        "aspirin allergy, need something for toothache",
        "im allergic to ibuprofen and have a fever",
        "allergic to nsaids, period pain",
        "我对布洛芬过敏 发烧了",
        "이부프로펜 알레르기 있어요 두통약",
    ],
)
def test_an_nsaid_allergy_rules_the_class_out(shipped: SearchIndex, query: str) -> None:
    hits = shipped.search(query)
    assert hits, query
    assert hits[0].product.ingredient_names == ("paracetamol",), (query, hits[0].product.id)
    assert not any(NSAIDS & set(hit.product.ingredient_names) for hit in hits), query


def test_a_penicillin_allergy_rules_the_penicillins_out(shipped: SearchIndex) -> None:
    hits = shipped.search("penicillin allergy, chest infection")
    assert not any("amoxicillin" in hit.product.ingredient_names for hit in hits)


def test_a_brands_allergy_line_is_no_allergy(shipped: SearchIndex) -> None:
    # "Benadryl Allergy" is a product line: its brand before "allergy" rules nothing out
    assert first(shipped, "benadryl allergy for hives").id == "benadryl-allergy-25mg"


def test_an_allergy_alone_is_no_ruling(shipped: SearchIndex) -> None:
    # no complaint beside it: the words are searched as usual (pollen is a complaint, not a medicine)
    assert first(shipped, "pollen allergy").rx_class != "device"
    assert "aspirin" in first(shipped, "aspirin").ingredient_names


@pytest.mark.parametrize(
    "query",
    [
        "on blood pressure pills, got a cold and a stuffy nose",
        "在吃降压药 鼻塞 感冒",
        "고혈압약 복용 중 코막힘",
        "im on ramipril, blocked nose",
    ],
)
def test_blood_pressure_medicines_put_the_decongestants_last(shipped: SearchIndex, query: str) -> None:
    assert _ids(shipped, query, 3), query
    for hit in shipped.search(query, limit=3):
        assert not DECONGESTANTS & set(hit.product.ingredient_names), (query, hit.product.id)


def test_a_pain_beside_blood_pressure_gets_plain_paracetamol(shipped: SearchIndex) -> None:
    assert first(shipped, "高血压 发烧 头痛").ingredient_names == ("paracetamol",)


@pytest.mark.parametrize("query", ["두 돌 아기 기침", "세 돌 아이 열"])
def test_dol_is_an_age_in_years(shipped: SearchIndex, query: str) -> None:
    top = first(shipped, query)
    assert top.min_age_years is not None and top.min_age_years <= 3, (query, top.id)


@pytest.mark.parametrize(
    "query", ["외음부 가려움 냉", "外阴瘙痒 豆腐渣样白带", "cottage cheese discharge, itchy"]
)
def test_thrush_words_find_the_antifungals_not_a_steroid(shipped: SearchIndex, query: str) -> None:
    top = first(shipped, query)
    assert top.dosage_form.startswith("vaginal") or "fluconazole" in top.ingredient_names, (query, top.id)


@pytest.mark.parametrize("query", ["diabetic, dry cough", "糖尿病 咳嗽", "sugar free cough medicine"])
def test_diabetes_beside_a_complaint_is_context(shipped: SearchIndex, query: str) -> None:
    # no diabetes medicine (ATC A10), and no sugary form first
    top = first(shipped, query)
    assert top.atc is None or not top.atc.startswith("A10"), (query, top.id)
    assert top.dosage_form not in ("syrup", "granules", "lozenges"), (query, top.id)


def test_diabetes_alone_is_still_searched(shipped: SearchIndex) -> None:
    assert any((hit.product.atc or "").startswith("A10") for hit in shipped.search("당뇨"))


def test_sugar_free_puts_the_named_sugar_free_first(shipped: SearchIndex) -> None:
    assert first(shipped, "无糖 感冒 冲剂").id == "banlangen-granules-sugar-free"


@pytest.mark.parametrize("query", ["long acting painkiller", "缓解疼痛 长效", "기침 가래 12시간"])
def test_long_acting_asks_for_modified_release(shipped: SearchIndex, query: str) -> None:
    assert first(shipped, query).dosage_form in ("extended-release tablets", "sustained-release capsules")


@pytest.mark.parametrize("query", ["quick acting painkiller", "速效 止痛"])
def test_fast_acting_asks_for_liquid_capsules_or_express(shipped: SearchIndex, query: str) -> None:
    top = first(shipped, query)
    assert top.dosage_form == "soft capsules" or "express" in top.name_en.casefold(), (query, top.id)


def test_after_drinking_with_the_liver_a_worry_no_paracetamol(shipped: SearchIndex) -> None:
    top = first(shipped, "hungover, painkiller easy on the liver")
    assert "paracetamol" not in top.ingredient_names and "aspirin" not in top.ingredient_names


def test_a_hangover_alone_keeps_paracetamol(shipped: SearchIndex) -> None:
    # a usual dose of paracetamol is fine for a hangover headache: no ruling without the liver named
    assert any("paracetamol" in h.product.ingredient_names for h in shipped.search("hangover headache"))


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("blister on my toe from new shoes", "wound_care"),
        ("脚后跟水泡", "wound_care"),
        ("cracked hands in winter", "dry_skin"),
        ("손이 텄어요", "dry_skin"),
        ("眼睛干涩", "dry_eyes"),
        ("golfers elbow", "joint_pain"),
        ("腰扭伤了", "back_pain"),
        ("prickly heat", "itching"),
    ],
)
def test_situations_in_everyday_words(shipped: SearchIndex, query: str, indication: str) -> None:
    top = first(shipped, query)
    assert indication in top.indications, (query, top.id, top.indications)


def test_cold_weather_is_no_cold(shipped: SearchIndex) -> None:
    top = first(shipped, "chapped skin from the cold weather")
    assert "dry_skin" in top.indications, top.id


def test_a_korean_brand_typed_as_it_sounds(shipped: SearchIndex) -> None:
    assert romanized_hangul("타이레놀") == "tairenol"
    assert romanized_hangul("게보린") == "geborin"
    assert first(shipped, "geborin").id == "geworin"


def test_a_brands_country_is_no_part_of_its_name(shipped: SearchIndex) -> None:
    assert first(shipped, "德国拜耳阿司匹林").id == "bayer-aspirin-500mg"


@pytest.mark.parametrize("query", ["tramadol for back pain", "isotretinoin", "프로토픽 연고", "盐酸曲马多"])
def test_medicines_not_carried_answer_nothing(shipped: SearchIndex, query: str) -> None:
    assert shipped.search(query) == [], query


def test_chewable_is_a_form(shipped: SearchIndex) -> None:
    assert first(shipped, "chewable travel sickness tablets").dosage_form == "chewable tablets"
