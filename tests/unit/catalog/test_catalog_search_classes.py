"""Search round 2: class words, ages in the query, child words as qualifiers, homophones and ph/f typos."""

from __future__ import annotations

from medrush.catalog.products import Brand, Ingredient, Product
from medrush.catalog.search import SearchIndex, Vocabulary
from medrush.catalog.search.index import _asked_age


def product(pid: str, name: str, ingredients: tuple[str, ...], **fields: object) -> Product:
    base: dict[str, object] = {
        "id": pid,
        "name_en": name,
        "name_zh": "",
        "name_ko": "",
        "generic_name_en": ingredients[0],
        "ingredients": tuple(Ingredient(i, None, "mg") for i in ingredients),
        "atc": None,
        "dosage_form": "tablets",
        "pack": "10 tablets",
        "category": "analgesic_antipyretic",
        "rx_class": "otc_b",
        "indications": ("pain",),
        "min_age_years": 12,
    }
    base.update(fields)
    return Product(**base)  # type: ignore[arg-type]


PRODUCTS = [
    product("ibuprofen-tab", "Ibuprofen 200 mg tablets", ("ibuprofen",), indications=("fever", "pain")),
    product(
        "ibuprofen-syrup",
        "Ibuprofen 100 mg/5 ml syrup",
        ("ibuprofen",),
        indications=("fever", "pain"),
        min_age_years=0.5,
        dosage_form="syrup",
    ),
    product("paracetamol-tab", "Paracetamol 500 mg tablets", ("paracetamol",), indications=("fever", "pain")),
    product("lidocaine-oint", "Lidocaine 5% ointment", ("lidocaine",), dosage_form="ointment"),
    product(
        "dxm-tab",
        "Dextromethorphan 15 mg tablets",
        ("dextromethorphan",),
        indications=("cough",),
        rx_class="rx",
    ),
    product(
        "cold-combo",
        "Cough and cold oral liquid",
        ("paracetamol", "pentoxyverine"),
        indications=("common_cold", "cough"),
    ),
    product("ambroxol-tab", "Ambroxol 30 mg tablets", ("ambroxol",), indications=("chesty_cough", "cough")),
    product(
        "amoxicillin-cap",
        "Amoxicillin 500 mg capsules",
        ("amoxicillin",),
        indications=("bacterial_infection",),
        rx_class="rx",
        name_zh="阿莫西林胶囊",  # 林 is a character some key uses
    ),
    product(
        "bisacodyl-tab",
        "Bisacodyl 5 mg tablets",
        ("bisacodyl",),
        indications=("constipation",),
        min_age_years=10,
    ),
    product(
        "lactulose-soln",
        "Lactulose oral solution",
        ("lactulose",),
        indications=("constipation",),
        min_age_years=0,
        name_zh="乳果糖口服溶液",
    ),
    product(
        "domperidone-tab",
        "Domperidone 10 mg tablets",
        ("domperidone",),
        indications=("nausea",),
        name_zh="吗丁啉 多潘立酮片",
        brands=(Brand("吗丁啉", "zh"),),
    ),
]

VOCAB = Vocabulary.from_mappings(
    {
        "pain": {"en": ["pain", "painkiller"], "zh": ["止痛药"], "ko": ["진통제"]},
        "fever": {"en": ["fever"], "zh": ["发烧"], "ko": ["열"]},
        "cough": {"en": ["cough"], "zh": ["咳嗽"]},
        "chesty_cough": {"en": ["phlegm"]},
        "common_cold": {"en": ["cold"]},
        "constipation": {"en": ["constipation"], "zh": ["便秘"]},
        "nausea": {"en": ["nausea"]},
    },
    {
        "ibuprofen": {
            "en": ["ibuprofen", "painkiller", "nsaid"],
            "zh": ["布洛芬", "止痛药"],
            "ko": ["이부프로펜", "진통제"],
        },
        "paracetamol": {
            "en": ["paracetamol", "painkiller"],
            "zh": ["对乙酰氨基酚", "止痛药"],
            "ko": ["아세트아미노펜", "진통제"],
        },
        "naproxen": {"en": ["naproxen", "nsaid"]},
        "dextromethorphan": {"en": ["dextromethorphan", "dry cough"], "zh": ["右美沙芬", "干咳"]},
        "pentoxyverine": {"en": ["pentoxyverine", "dry cough"], "zh": ["喷托维林", "干咳"]},
        "lidocaine": {"en": ["lidocaine"]},
        "ambroxol": {"en": ["ambroxol"]},
        "bisacodyl": {"en": ["bisacodyl", "laxative"]},
        "lactulose": {"en": ["lactulose", "laxative"]},
        "domperidone": {"en": ["domperidone"], "zh": ["多潘立酮"]},
    },
)


def ids(query: str) -> list[str]:
    index = SearchIndex.build(PRODUCTS, VOCAB)
    return [hit.product.id for hit in index.search(query)]


def test_a_term_under_two_ingredients_is_a_class_word_reaching_what_contains_either() -> None:
    index = SearchIndex.build(PRODUCTS, VOCAB)
    hits = index.search("painkiller")
    assert {h.product.id for h in hits[:3]} == {"ibuprofen-tab", "paracetamol-tab", "ibuprofen-syrup"}
    assert hits[0].matched.startswith("class:")
    # the symptom term alone would have put the ointment (pain listed first) on top
    found = ids("止痛药")
    assert found.index("lidocaine-oint") > found.index("ibuprofen-tab")
    assert ids("진통제")[0] in ("ibuprofen-tab", "paracetamol-tab")


def test_a_term_under_one_ingredient_stays_a_synonym() -> None:
    index = SearchIndex.build(PRODUCTS, VOCAB)
    assert index.search("nsaid")[0].matched.startswith("class:")  # ibuprofen and naproxen
    assert index.search("ibuprofen")[0].matched.startswith("ingredient:")


def test_a_class_word_ranks_like_a_symptom_otc_before_prescription() -> None:
    found = ids("dry cough")
    assert found == ["cold-combo", "dxm-tab"]  # never the expectorant; the Rx product last
    assert ids("干咳") == ["cold-combo", "dxm-tab"]


def test_an_adult_query_puts_the_adult_form_before_the_paediatric_one() -> None:
    found = ids("fever")
    assert found.index("ibuprofen-tab") < found.index("ibuprofen-syrup")


def test_an_age_in_the_query_asks_for_a_product_for_that_age() -> None:
    assert _asked_age("fever medicine for 2 year old") == 2
    assert _asked_age("3岁 发烧") == 3
    assert _asked_age("5살 아이 열") == 5
    assert _asked_age("18 months fever") == 1.5
    assert _asked_age("toddler constipation") == 2
    assert _asked_age("ibuprofen 200") is None
    assert ids("fever for 2 year old")[0] == "ibuprofen-syrup"
    assert ids("constipation 2 years")[0] == "lactulose-soln"  # bisacodyl is from 10


def test_child_words_qualify_the_query_without_being_searched_as_names() -> None:
    assert ids("儿童发烧")[0] == "ibuprofen-syrup"
    assert ids("어린이 열")[0] == "ibuprofen-syrup"


def test_a_homophone_typo_that_is_also_a_stop_word_still_finds_the_name() -> None:
    assert ids("吗丁林")[0] == "domperidone-tab"  # 吗 is filler on its own


def test_ph_typed_for_f_is_one_edit() -> None:
    assert ids("ibuprophin")[0] in ("ibuprofen-tab", "ibuprofen-syrup")
