"""Round-17 gap of catalog search on the shipped catalog: a query typed as Korean initial consonants only
(초성, the way a Korean keyboard abbreviates a name) is read as the Korean keys they spell, as pinyin
initials are (``blf`` for 布洛芬); three or more also find the keys they begin, and a double consonant
typed plain (ㅅ for ㅆ) still finds its key. The queries here are other products' names, not the round-17
set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import SHIPPED

from medrush.catalog.products import load_product_files
from medrush.catalog.search import SearchIndex, Vocabulary
from medrush.catalog.search.text import hangul_initials, initials_query, normalize, plain_initials


def _ids(index: SearchIndex, query: str, top: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:top]]


def test_initials_of_hangul_syllables() -> None:
    assert hangul_initials("애드빌 리퀴겔 200mg") == "ㅇㄷㅂㄹㅋㄱ"
    assert hangul_initials("쎄레브렉스") == "ㅆㄹㅂㄹㅅ"  # a double consonant is its own initial
    assert hangul_initials("ibuprofen 布洛芬") == ""
    assert plain_initials("ㄲㄸㅃㅆㅉㅎ") == "ㄱㄷㅂㅅㅈㅎ"


@pytest.mark.parametrize(
    ("typed", "read"),
    [("ㅇㄷㅂ", "ㅇㄷㅂ"), ("ㅇ ㄷ ㅂ", "ㅇㄷㅂ"), ("\u1107\u1105\u1111", "ㅂㄹㅍ"), ("ㄲㅆ", "ㄲㅆ")],
)
def test_a_query_of_initial_consonants_only(typed: str, read: str) -> None:
    # NFKC turns the compatibility jamo a keyboard types into conjoining initials; both are read
    assert initials_query(normalize(typed)) == read


@pytest.mark.parametrize("typed", ["ㅇㄷㅂ약", "advil ㅇㄷㅂ", "ㅏㅏ", "ㄳ", "ㅇㄷㅂ 200"])
def test_anything_else_is_no_initials_query(typed: str) -> None:
    assert initials_query(normalize(typed)) == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ㅇㄷㅂ", "advil-200mg"),  # 애드빌, a brand
        ("ㅂㄹㅍ", "brufen-200mg"),  # 부루펜
        ("ㅆㅈ", "xyzal-5mg"),  # 씨잘: a double consonant, two initials
        ("ㅆㄹㅂㄹㅅ", "celebrex-200mg"),  # 쎄레브렉스
        ("ㄴㅋㅌㄲ", "nicotine-2mg-gum"),  # 니코틴 껌
    ],
)
def test_initials_find_the_name_they_spell(shipped: SearchIndex, query: str, expected: str) -> None:
    assert _ids(shipped, query, 1) == [expected]


def test_initials_of_a_brand_reach_its_line(shipped: SearchIndex) -> None:
    # 애드빌 also reaches 애드빌 리퀴겔, right after the brand's own product
    assert _ids(shipped, "ㅇㄷㅂ", 2) == ["advil-200mg", "advil-liqui-gels"]


def test_initials_of_an_ingredient_reach_its_products(shipped: SearchIndex) -> None:
    # 이부프로펜: every product holding ibuprofen, as its Korean name does
    held = [set(hit.product.ingredient_names) for hit in shipped.search("ㅇㅂㅍㄹㅍ")[:5]]
    assert held and all("ibuprofen" in h for h in held)


def test_initials_of_a_symptom(shipped: SearchIndex) -> None:
    # 두통: what the symptom finds, at the symptom's score
    assert _ids(shipped, "ㄷㅌ", 5) == _ids(shipped, "두통", 5)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ㅍㅋㅇ", {"pancol-a", "pancol-s"}), ("ㅅㄷㅍ", {"sudafed-congestion-60mg"})],
)
def test_three_initials_find_the_names_they_begin(
    shipped: SearchIndex, query: str, expected: set[str]
) -> None:
    # 판콜에이 / 판콜에스, 슈다페드: the start of a name, as "lhq" begins lhqw
    assert _ids(shipped, query, 1)[0] in expected


def test_a_whole_spelling_comes_before_a_longer_one(shipped: SearchIndex) -> None:
    whole = shipped.search("ㅇㄷㅂ")[0].score
    begun = shipped.search("ㅍㅋㅇ")[0].score
    assert whole > begun


@pytest.mark.parametrize(
    ("plain", "exact", "expected"),
    [("ㅅㄹㅂㄹㅅ", "ㅆㄹㅂㄹㅅ", "celebrex-200mg"), ("ㄴㅋㅌㄱ", "ㄴㅋㅌㄲ", "nicotine-2mg-gum")],
)
def test_a_double_consonant_typed_plain(shipped: SearchIndex, plain: str, exact: str, expected: str) -> None:
    hits = shipped.search(plain)
    assert hits and hits[0].product.id == expected
    # a little below the exact spelling
    assert hits[0].score < shipped.search(exact)[0].score


@pytest.mark.parametrize("query", ["ㅌ", "ㅋㅋ", "ㅎㅎ"])
def test_too_few_initials_find_nothing(shipped: SearchIndex, query: str) -> None:
    # one initial names nothing; two name only a key they spell whole (ㅋㅋ begins names, spells none)
    assert shipped.search(query) == []


def test_removed_product_is_no_longer_found_by_its_initials() -> None:
    products = [p for p in load_product_files(SHIPPED / "products") if p.id in {"xyzal-5mg", "advil-200mg"}]
    index = SearchIndex.build(products, Vocabulary.load(SHIPPED))
    assert _ids(index, "ㅆㅈ") == ["xyzal-5mg"]
    index.remove("xyzal-5mg")
    assert index.search("ㅆㅈ") == []
    assert _ids(index, "ㅇㄷㅂ") == ["advil-200mg"]


@pytest.mark.parametrize(
    "query", ["headache while pregnant", "孕妇 头疼", "임신 중 치통", "fever in pregnancy", "怀孕了 发烧"]
)
def test_a_pain_or_fever_in_pregnancy_puts_plain_paracetamol_first(shipped: SearchIndex, query: str) -> None:
    # before a balm the pregnancy notes equally allow; the NSAIDs stay out of the top by their notes
    held = [set(hit.product.ingredient_names) for hit in shipped.search(query)[:5]]
    assert held and held[0] == {"paracetamol"}, query
    assert not any(h & {"ibuprofen", "aspirin", "naproxen", "diclofenac"} for h in held), query


def test_pregnancy_without_a_pain_or_fever_is_left_to_its_complaint(shipped: SearchIndex) -> None:
    # a blocked nose in pregnancy: the saline spray, not paracetamol
    assert "paracetamol" not in shipped.search("pregnant stuffy nose")[0].product.ingredient_names
