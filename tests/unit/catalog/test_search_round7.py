"""Round-7 gaps of catalog search on the shipped catalog: a product name asked for without its box count, a
cream asked for where the medicines found are gels, the asked form before the prescription tier of a symptom
query, and lay words (钙片, 빨간약, toenail fungus, 잠 안 올 때, 토해요)."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("一次性采血针", "lancets-100"),  # "一次性采血针 100支"
        ("退热贴", "cooling-gel-sheets-fever"),  # "退热贴 6贴": a name, not fever + patch
    ],
)
def test_name_without_box_count(shipped: SearchIndex, query: str, expected: str) -> None:
    assert ids(shipped, query, 1) == [expected]


@pytest.mark.parametrize("query", ["여드름 크림", "痘痘 乳膏"])
def test_cream_for_a_gel_medicine(shipped: SearchIndex, query: str) -> None:
    # the acne medicines are gels: they answer a cream, not the antibiotic creams an oral antibiotic routes to
    assert ids(shipped, query, 3) == [
        pid for pid in ids(shipped, query, 3) if pid.endswith("gel") or pid == "differin-gel"
    ]


@pytest.mark.parametrize("query", ["过敏性鼻炎 喷雾剂", "hay fever nasal spray", "비염 스프레이"])
def test_asked_form_before_the_otc_tier(shipped: SearchIndex, query: str) -> None:
    top = shipped.search(query)[0].product
    assert top.dosage_form == "nasal spray"
    assert "hay_fever" in top.indications


@pytest.mark.parametrize(
    ("query", "accepted"),
    [
        ("钙片", {"calcium carbonate"}),
        ("빨간약", {"povidone-iodine"}),
        ("toenail fungus", {"terbinafine"}),
        ("잠이 안 올 때", {"doxylamine", "diphenhydramine", "melatonin"}),
        ("토했어요", {"domperidone", "oral rehydration salts", "metoclopramide"}),
    ],
)
def test_lay_words(shipped: SearchIndex, query: str, accepted: set[str]) -> None:
    top = shipped.search(query)[0].product
    assert {i.name for i in top.ingredients} & accepted


def test_no_form_word_changes_nothing(shipped: SearchIndex) -> None:
    # without a form word the OTC-first order of a symptom query is unchanged (oral antihistamines first)
    assert shipped.search("鼻炎")[0].product.rx_class != "rx"


def test_ae_is_a_child_only_as_a_word(shipped: SearchIndex) -> None:
    # 애가 (spoken "my kid"): paediatric or all-age products first; 애드빌 is still Advil
    top = shipped.search("애가 열나요")[0].product
    assert (top.min_age_years or 0) < 12
    assert ids(shipped, "애드빌", 1) == ["advil-200mg"]
