"""Round-9 gaps of catalog search on the shipped catalog: a dosage form, coating or release ruled out ("not
effervescent", 不要缓释的, 장용정 아닌, 시럽 말고); a homophone of a word of a spaced Chinese name (开赛露 for
开塞露（含甘油）); long pinyin with a slip that begins a longer key (huoxiangzhenqi)."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.forms import FORM_FAMILIES, named_dosage_forms


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


def forms(index: SearchIndex, query: str, n: int = 5) -> set[str]:
    return {hit.product.dosage_form for hit in index.search(query)[:n]}


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("effervescent", {"effervescent tablets"}),
        ("enteric coated", {"gastro-resistant tablets", "gastro-resistant capsules"}),
        ("肠溶片", {"gastro-resistant tablets", "gastro-resistant capsules"}),  # not every tablet
        ("缓释", {"extended-release tablets", "sustained-release capsules"}),
        ("slow release", {"extended-release tablets", "sustained-release capsules"}),
        ("시럽", set(FORM_FAMILIES["liquid"])),
        ("sugar", set()),
    ],
)
def test_named_dosage_forms(phrase: str, expected: set[str]) -> None:
    assert named_dosage_forms(phrase) == expected


@pytest.mark.parametrize(
    ("query", "ruled_out", "ingredient"),
    [
        ("vitamin c not effervescent", {"effervescent tablets"}, "ascorbic acid"),
        ("布洛芬 不要胶囊", set(FORM_FAMILIES["capsules"]), "ibuprofen"),
        ("不是缓释的布洛芬", {"sustained-release capsules"}, "ibuprofen"),
        ("omeprazole not capsules", set(FORM_FAMILIES["capsules"]), "omeprazole"),
        ("아세트아미노펜 시럽 말고", set(FORM_FAMILIES["liquid"]), "paracetamol"),
        ("서방정 아닌 메트포르민", {"extended-release tablets"}, "metformin"),
    ],
)
def test_a_form_ruled_out(shipped: SearchIndex, query: str, ruled_out: set[str], ingredient: str) -> None:
    hits = shipped.search(query)[:5]
    assert hits and ingredient in hits[0].product.ingredient_names
    assert not {hit.product.dosage_form for hit in hits} & ruled_out


def test_a_form_ruled_out_that_is_all_there_is_stays(shipped: SearchIndex) -> None:
    # the lozenges are the only 金嗓子: better them than nothing
    assert ids(shipped, "金嗓子 不要含片", 1) == ["golden-throat-lozenges"]


def test_an_ingredient_ruled_out_still_is(shipped: SearchIndex) -> None:
    assert not any(
        "pseudoephedrine" in hit.product.ingredient_names
        for hit in shipped.search("슈도에페드린 아닌 코막힘 약")[:5]
    )


def test_a_homophone_of_a_word_of_a_spaced_chinese_name(shipped: SearchIndex) -> None:
    # 开塞露 is only a word of the name 开塞露（含甘油）, and 路 sounds like 露
    assert ids(shipped, "开塞路", 1) == ["kaisailu-glycerol-enema"]
    # typed right, the word is still matched as a name, not as a sound
    assert shipped.search("开塞露")[0].matched.startswith("name:")


def test_the_sound_of_a_name_word_is_the_last_resort(shipped: SearchIndex) -> None:
    assert shipped.search("对乙酰氨基酚片")[0].matched.startswith(("name:", "ingredient:"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("huoxiangzhenqi", "huoxiang-zhengqi"),  # a letter missing inside the pinyin
        ("huoxiangzengqi", "huoxiang-zhengqi"),
    ],
)
def test_long_pinyin_with_a_slip_begins_a_longer_key(shipped: SearchIndex, query: str, expected: str) -> None:
    assert expected in ids(shipped, query, 1)[0]


def test_a_short_word_is_not_read_as_the_start_of_a_longer_one(shipped: SearchIndex) -> None:
    assert not shipped.search("qzxwvut")


@pytest.mark.parametrize("query", ["non steroid nasal spray", "코 스프레이 스테로이드 없는"])
def test_steroid_is_a_class_a_query_can_rule_out(shipped: SearchIndex, query: str) -> None:
    hits = shipped.search(query)[:3]
    assert hits and all(hit.product.dosage_form in ("nasal spray", "nasal drops") for hit in hits)
    assert not any(
        {"mometasone", "budesonide", "fluticasone"} & set(h.product.ingredient_names) for h in hits
    )


def test_steroid_nasal_spray_names_the_nasal_steroids(shipped: SearchIndex) -> None:
    assert {"mometasone", "budesonide", "fluticasone"} & set(
        shipped.search("nasal steroid")[0].product.ingredient_names
    )


@pytest.mark.parametrize("query", ["blood pressure machine", "bp cuff"])
def test_blood_pressure_machine(shipped: SearchIndex, query: str) -> None:
    assert "blood_pressure_monitoring" in shipped.search(query)[0].product.indications
