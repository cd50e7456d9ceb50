"""Round 5 of the held-out work: ages without a unit, newborns, pregnancy, lay vocabulary."""

from __future__ import annotations

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.index import _asked_age, _asks_pregnancy, pregnancy_fit


def ids(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [hit.product.id for hit in index.search(query, limit=limit)]


def test_an_age_without_a_unit_beside_a_child_word() -> None:
    assert _asked_age("my girl is 3 and has a cough") == 3.0
    assert _asked_age("daughter 9 headache") == 9.0
    assert _asked_age("ibuprofen 2 boxes") is None  # no child word: a number is no age
    assert _asked_age("아들 여섯 살 기침") == 6.0
    assert _asked_age("女儿四岁发烧") == 4.0
    assert _asked_age("十二岁") is None  # not read as 2
    assert _asked_age("newborn gas drops") == 0.0
    assert _asked_age("신생아 변비") == 0.0


def test_pregnancy_notes_and_words() -> None:
    assert pregnancy_fit("Can be used at usual doses; use the lowest effective dose.") == 1
    # round 13: an acceptance with a caveat ("avoid ...") is no plain yes (vitamin C is not the answer to
    # a cold in pregnancy ahead of paracetamol)
    assert pregnancy_fit("Usual supplement doses are acceptable; avoid high-dose vitamin A.") == 0
    assert pregnancy_fit("Avoid from 20 weeks of pregnancy unless a doctor advises.") == -1
    assert pregnancy_fit("Ask a doctor or pharmacist before use.") == 0
    assert pregnancy_fit(None) == 0
    assert _asks_pregnancy("fever while pregnant")
    assert _asks_pregnancy("怀孕了牙疼")
    assert not _asks_pregnancy("fever and cough")


def test_a_child_age_without_a_unit_keeps_adult_only_products_back(shipped: SearchIndex) -> None:
    top = shipped.get(ids(shipped, "my girl is 3 and she has allergies")[0])
    assert top is not None and (top.min_age_years or 0) <= 3


def test_pregnancy_puts_what_the_label_allows_first(shipped: SearchIndex) -> None:
    top = shipped.get(ids(shipped, "pregnant and have a toothache")[0])
    assert top is not None and "paracetamol" in top.ingredient_names


def test_lay_words_added_in_round_5(shipped: SearchIndex) -> None:
    assert ids(shipped, "wasp sting")[0] in {
        p.id for p in shipped.products if "insect_bites" in p.indications
    }
    assert ids(shipped, "止痛贴")[0] in {
        "ketoprofen-patch-30mg",
        "salonpas-pain-relief-patch",
        "yunnan-baiyao-plaster",
    }
