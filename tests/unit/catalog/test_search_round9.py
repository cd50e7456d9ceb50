"""Round-9 gaps of catalog search on the shipped catalog: a dosage form, coating or release ruled out ("not
effervescent", 不要缓释的, 장용정 아닌, 시럽 말고)."""

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
