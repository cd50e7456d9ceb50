"""Kinds of product the catalog does not sell (data/catalog/not_sold.yaml): a query naming one whole gets
nothing, before any typo fix (선크림 was read as the antacid 신트림, 백신 as 백선, "adult diapers" reached the
nappy-rash creams, "baby wipes" the alcohol wipes), while the carried look-alikes and the conditions those
products treat ("diaper rash", 晒伤, "sunburn cream", 酒精湿巾) are still answered."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import SHIPPED, first

from medrush.catalog.products import Product, load_product_files
from medrush.catalog.search import SearchIndex, Vocabulary
from medrush.catalog.search.text import normalize

NAPPY_RASH = ("zinc oxide", "dexpanthenol")


@pytest.mark.parametrize(
    "query",
    [
        "adult diapers",  # "adult" of Centrum Adults, "diapers" of "diaper rash"
        "nappies size 4",
        "기저귀",  # part of 기저귀 발진
        "성인용 기저귀",
        "纸尿裤",
        "선크림",  # two jamo from 신트림: read as sunscreen before any typo fix
        "sunscreen spf 50",
        "防晒霜",
        "백신",  # one jamo from 백선 (ringworm)
        "flu shot appointment",  # "flu" is a symptom key, but a flu shot is a service
        "독감 예방접종 예약",
        "baby wipes",  # not the alcohol wipes
        "婴儿湿巾",
        "hand cream",  # not the hand sanitiser gel
        "baby shampoo",  # not the medicated shampoo
        "마스크팩",  # 마스크 is a key: the medical masks
        "卫生巾 日用",  # 日用 of a day-time cold medicine's name
        "생리대",
        "러브젤",  # 젤 is the gel form
        "ear plugs",  # "ear" of the ear drops
        "cat food",
        "cigarettes",
    ],
)
def test_a_kind_not_sold_gets_nothing(shipped: SearchIndex, query: str) -> None:
    assert shipped.search(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("diaper rash", NAPPY_RASH),  # a longer key around "diaper" wins
        ("nappy rash cream", NAPPY_RASH),
        ("diaper cream", NAPPY_RASH),
        ("기저귀 발진 연고", NAPPY_RASH),
        ("尿布疹", NAPPY_RASH),
        ("宝宝护臀膏", NAPPY_RASH),  # the lay Chinese name of a nappy-rash cream
        ("sunburn cream", "calamine"),
        ("晒伤", "calamine"),
        ("酒精湿巾", "alcohol-75pct-wipes"),  # wipes that are carried
        ("alcohol wipes", "alcohol-75pct-wipes"),
        ("dandruff shampoo", "ketoconazole"),  # a shampoo that is carried
        ("KF94 마스크", "respiratory_protection"),  # the masks
        ("quit smoking", "nicotine"),
        ("pet allergy", "allergy"),  # a pet's hair is no pet product
        ("고양이 알레르기", "allergy"),
        ("fever after vaccine", "fever"),  # a complaint that followed a thing not sold
        ("接种疫苗后发烧", "fever"),
        ("백신 맞고 열", "fever"),
        ("sunscreen and ibuprofen", "ibuprofen"),  # the rest of the query names a carried ingredient
    ],
)
def test_look_alikes_and_what_they_treat_are_still_found(
    shipped: SearchIndex, query: str, expected: str | tuple[str, ...]
) -> None:
    product = first(shipped, query)
    accepted = (expected,) if isinstance(expected, str) else expected
    assert set(accepted) & {product.id, *product.ingredient_names, *product.indications}


def test_no_typo_fix_into_a_product_for_a_kind_not_sold(shipped: SearchIndex) -> None:
    assert shipped.did_you_mean("sunscreen") is None
    assert shipped.did_you_mean("paracetamal") == "paracetamol"


def test_the_words_naming_a_kind_not_sold_are_given_back(shipped: SearchIndex) -> None:
    assert shipped.not_sold_terms("Adult Diapers size L") == ["adult diapers"]
    assert shipped.not_sold_terms("孩子用的 婴儿湿巾") == ["婴儿湿巾"]
    assert shipped.not_sold_terms("선크림") == ["선크림"]
    for carried in ("diaper rash", "ibuprofen", "尿布疹", ""):
        assert shipped.not_sold_terms(carried) == [], carried
    assert shipped.not_sold_terms("x" * 10_000) == []


def test_a_product_of_that_kind_makes_the_kind_carried() -> None:
    vocab = Vocabulary.from_mappings(
        {}, {}, {"incontinence_and_nappies": {"en": ["adult diapers", "diapers"], "ko": ["기저귀"]}}
    )
    index = SearchIndex.build([], vocab)
    assert index.search("adult diapers") == []
    diapers = Product(
        id="adult-diapers-m-10",
        name_en="Adult diapers, size M, 10",
        name_zh="成人纸尿裤 M码 10片",
        name_ko="성인용 기저귀 M 10매",
        generic_name_en="adult diapers",
        ingredients=(),
        atc=None,
        dosage_form="device",
        pack="10",
        category="device",
        rx_class="device",
    )
    index.upsert(diapers)
    assert [h.product.id for h in index.search("adult diapers")] == ["adult-diapers-m-10"]
    assert [h.product.id for h in index.search("기저귀")] == ["adult-diapers-m-10"]
    index.remove(diapers.id)
    assert index.search("adult diapers") == []


def test_no_term_of_a_kind_not_sold_is_a_key_or_in_a_product_name() -> None:
    """A term that were a search key or part of a product name would name something the catalog sells:
    check the catalog before declaring a kind not sold (a longer key around a term is fine: "diaper
    rash")."""
    vocab = Vocabulary.load(SHIPPED)
    index = SearchIndex.build(load_product_files(SHIPPED / "products"), vocab)
    names = [
        normalize(text)
        for p in index.products
        for text in (p.name_en, p.name_zh, p.name_ko, *(b.name for b in p.brands))
    ]
    assert vocab.not_sold
    for kind, terms in vocab.not_sold.items():
        for term in (normalize(t) for lang_terms in terms.values() for t in lang_terms):
            assert not index._exact.get(term), (kind, term)
            if term.isascii():
                assert not any(f" {term} " in f" {name} " for name in names), (kind, term)
            else:
                assert not any(term in name or term in name.replace(" ", "") for name in names), (kind, term)
