"""Round-10 gap of catalog search on the shipped catalog: a query for something the catalog does not carry
(a knee pad, a bug repellent, shower gel, dog food) got products through one of its words matching part of
a longer key ("knee" of "knee pain", "gel" the gel form, "food" of "food poisoning"); such a query now gets
nothing, while look-alikes that are carried, typos and sentences about how one feels are still answered."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


@pytest.mark.parametrize(
    "query",
    [
        "knee pads",  # "knee" only as part of "knee pain", "pads" unknown
        "bug repellent",  # "bug" of "bug bites", "repellent" unknown
        "shower gel",  # only the gel form
        "heating pad",  # "heating" a typo fixed into part of a longer key
        "nail polish",  # "nail" of "nail fungus"
        "dog food",
        "wrist support",
        "발목 보호대",  # 발목 of "발목 삠", 보호대 unknown
        "모기 퇴치기",  # 모기 of "모기 물림", 퇴치기 unknown
    ],
)
def test_things_not_carried_get_nothing(shipped: SearchIndex, query: str) -> None:
    assert shipped.search(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sterile gauze", "sterile-gauze-swabs"),  # a word of a product name, nothing unknown
        ("nicotine gum", "nicotine-2mg-gum"),
        ("throat lozenges", "lozenges"),
        ("润喉片", "sanjin-xiguashuang-lozenges"),
        ("ibuprofenn", "ibuprofen"),  # a typo of a carried name
    ],
)
def test_carried_look_alikes_are_still_found(shipped: SearchIndex, query: str, expected: str) -> None:
    hits = shipped.search(query)
    assert hits
    first = hits[0].product
    assert expected in (first.id, first.dosage_form, *first.ingredient_names)


@pytest.mark.parametrize(
    "query",
    [
        "배가 아파요",  # a Korean predicate is no unknown thing
        "무릎 아파요",
        "칼슘약 할머니",  # who it is for is a modifier
        "虫咬 止痒",
    ],
)
def test_sentences_and_modifiers_keep_their_answers(shipped: SearchIndex, query: str) -> None:
    assert shipped.search(query)


def test_an_unknown_word_beside_a_whole_key_changes_nothing(shipped: SearchIndex) -> None:
    # "ibuprofen" is named whole: an unknown word beside it ("zzzz") does not empty the answer
    hits = shipped.search("ibuprofen zzzz")
    assert hits and "ibuprofen" in hits[0].product.ingredient_names


def test_an_unknown_word_with_a_part_of_one_name_gets_nothing(shipped: SearchIndex) -> None:
    # "water" is only part of the sea-water spray's name, "hot" and "bag" are unknown: more of the query
    # is unknown than found (the spray was the answer before)
    assert shipped.search("hot water bag") == []
    assert ids(shipped, "sea water nasal spray", 1) == ["sea-salt-nasal-spray"]
