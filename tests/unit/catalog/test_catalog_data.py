"""The shipped curated catalog data (data/catalog): loadable, consistent and covering what issue 3 asks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from medrush.catalog.products import RX_CLASSES, Product, load_product_files

CATALOG = Path(__file__).resolve().parents[3] / "data" / "catalog"
LANGS = {"en", "zh", "ko"}
CATEGORIES = {
    "analgesic_antipyretic", "allergy", "cold_cough", "nasal", "digestive", "skin", "eye_ear", "oral_throat",
    "womens_health", "motion_sickness", "vitamins_minerals", "first_aid_antiseptic", "tcm", "device",
    "epidemic_supplies", "cardiovascular", "diabetes", "lipids", "respiratory", "antibiotic", "anticoagulant",
    "urology_sexual", "mental_health", "other",
}  # fmt: skip
REQUIRED_INGREDIENTS = tuple(
    name.strip()
    for name in """
paracetamol, ibuprofen, aspirin, naproxen, loratadine, cetirizine, fexofenadine, chlorphenamine,
diphenhydramine, pseudoephedrine, phenylephrine, oxymetazoline, xylometazoline, dextromethorphan,
guaifenesin, ambroxol, bromhexine, acetylcysteine, carbocisteine, omeprazole, esomeprazole,
famotidine, calcium carbonate, loperamide, diosmectite, oral rehydration salts, lactulose, bisacodyl,
macrogol, senna, dimenhydrinate, meclozine, scopolamine, clotrimazole, miconazole, terbinafine,
hydrocortisone, aciclovir, calamine, povidone-iodine, chlorhexidine, ethanol, levonorgestrel,
ulipristal, amlodipine, nifedipine, losartan, valsartan, enalapril, metoprolol, bisoprolol,
hydrochlorothiazide, metformin, gliclazide, sitagliptin, insulin glargine, atorvastatin,
rosuvastatin, simvastatin, salbutamol, budesonide, formoterol, montelukast, amoxicillin,
clavulanic acid, cefuroxime, azithromycin, levofloxacin, warfarin, rivaroxaban, clopidogrel,
sildenafil, tadalafil, levothyroxine, sertraline
""".replace("\n", " ").split(",")
)
ZH_COLLOQUIAL = {
    "发烧",
    "发热",
    "退烧",
    "拉肚子",
    "腹泻",
    "脚气",
    "嗓子疼",
    "流鼻涕",
    "鼻塞",
    "打喷嚏",
    "咳嗽",
    "痰多",
    "晕车",
    "痛经",
    "上火",
}
KO_COLLOQUIAL = {
    "열",
    "해열",
    "설사",
    "무좀",
    "콧물",
    "재채기",
    "코막힘",
    "기침",
    "가래",
    "멀미",
    "생리통",
    "두통",
    "속쓰림",
}
KNOWN_BRANDS = (
    "Tylenol",
    "타이레놀",
    "芬必得",
    "美林",
    "白加黑",
    "新康泰克",
    "999感冒灵",
    "连花清瘟",
    "思密达",
    "게보린",
    "지르텍",
)
RX_ONLY_CATEGORIES = {"cardiovascular", "diabetes", "lipids", "antibiotic", "anticoagulant", "mental_health"}


@pytest.fixture(scope="module")
def products() -> list[Product]:
    return load_product_files(CATALOG / "products")


def _yaml(name: str) -> Any:
    return yaml.safe_load((CATALOG / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def symptoms() -> dict[str, Any]:
    return _yaml("symptoms.yaml")


@pytest.fixture(scope="module")
def ingredients() -> dict[str, Any]:
    return _yaml("ingredients.yaml")


@pytest.fixture(scope="module")
def relevance() -> list[dict[str, Any]]:
    return _yaml("relevance.yaml")


def test_every_product_file_is_a_list_of_records_in_the_product_shape(products: list[Product]) -> None:
    for path in sorted((CATALOG / "products").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(raw, list), path.name
        for record in raw:
            assert set(record) == set(Product.to_dict(products[0])), (path.name, record["id"])


def test_at_least_420_products_with_unique_ids(products: list[Product]) -> None:
    ids = [p.id for p in products]
    assert len(ids) >= 420
    assert [pid for pid, n in Counter(ids).items() if n > 1] == []


def test_every_product_has_names_in_three_languages_and_a_known_class(products: list[Product]) -> None:
    for p in products:
        assert p.name_en and p.name_zh and p.name_ko and p.generic_name_en, p.id
        assert p.rx_class in RX_CLASSES, p.id
        assert p.category in CATEGORIES, p.id
        assert p.dosage_form and p.pack, p.id
        assert p.sources, p.id


def test_devices_have_no_atc_and_medicines_use_atc_shape(products: list[Product]) -> None:
    for p in products:
        if p.category in {"device", "epidemic_supplies"} or p.rx_class == "device":
            assert p.atc is None, p.id
        elif p.atc is not None:
            assert p.atc[0] in "ABCDGHJLMNPRSV" and len(p.atc) in (3, 4, 5, 7), p.id


def test_every_indication_key_is_in_the_vocabulary(products: list[Product], symptoms: dict[str, Any]) -> None:
    unknown = sorted({(p.id, key) for p in products for key in p.indications if key not in symptoms})
    assert unknown == []


def test_vocabulary_has_80_keys_with_terms_in_each_language(symptoms: dict[str, Any]) -> None:
    assert len(symptoms) >= 80
    for key, terms in symptoms.items():
        assert set(terms) == LANGS, key
        assert all(terms[lang] for lang in LANGS), key


def test_colloquial_terms_are_in_the_vocabulary(symptoms: dict[str, Any]) -> None:
    zh = {t for terms in symptoms.values() for t in terms["zh"]}
    ko = {t for terms in symptoms.values() for t in terms["ko"]}
    en = {t for terms in symptoms.values() for t in terms["en"]}
    assert sorted(ZH_COLLOQUIAL - zh) == []
    assert sorted(KO_COLLOQUIAL - ko) == []
    assert {"runny nose", "stuffy nose", "heartburn", "upset stomach"} <= en
    assert "脚气" in symptoms["athletes_foot"]["zh"]
    assert "무좀" in symptoms["athletes_foot"]["ko"]


def test_every_ingredient_is_in_the_ingredient_vocabulary(
    products: list[Product], ingredients: dict[str, Any]
) -> None:
    used = {name for p in products for name in p.ingredient_names}
    assert sorted(used - set(ingredients)) == []
    for key, terms in ingredients.items():
        assert key == key.lower(), key
        assert set(terms) == LANGS, key
        assert terms["zh"] and terms["ko"], key


def test_synonyms_link_common_names(ingredients: dict[str, Any]) -> None:
    assert "acetaminophen" in ingredients["paracetamol"]["en"]
    assert ingredients["paracetamol"]["zh"][:2] == ["对乙酰氨基酚", "扑热息痛"]
    assert "아세트아미노펜" in ingredients["paracetamol"]["ko"]
    assert "chlorpheniramine" in ingredients["chlorphenamine"]["en"]
    assert "albuterol" in ingredients["salbutamol"]["en"]


def test_required_ingredients_are_covered(products: list[Product]) -> None:
    used = {name for p in products for name in p.ingredient_names}
    assert [name for name in REQUIRED_INGREDIENTS if name not in used] == []


def test_area_coverage(products: list[Product]) -> None:
    by_category = Counter(p.category for p in products)
    assert by_category["tcm"] >= 25
    assert by_category["device"] + by_category["epidemic_supplies"] >= 15
    assert by_category["motion_sickness"] >= 3
    assert by_category["eye_ear"] >= 8
    names = " ".join(p.name_en.lower() for p in products if p.rx_class == "device")
    for word in ("mask", "thermometer", "antigen", "oximeter"):
        assert word in names, word


def test_chronic_care_and_antibiotics_are_prescription_only(products: list[Product]) -> None:
    for p in products:
        if p.category in RX_ONLY_CATEGORIES:
            assert p.rx_class == "rx", p.id


def test_emergency_contraception_and_pseudoephedrine_have_a_quantity_limit(products: list[Product]) -> None:
    for p in products:
        names = set(p.ingredient_names)
        if names & {"levonorgestrel", "ulipristal"} and "emergency_contraception" in p.indications:
            assert p.max_per_order == 1, p.id
        if "pseudoephedrine" in names:
            assert p.max_per_order is not None and p.max_per_order <= 2, p.id


def test_every_brand_has_a_language_and_a_source(products: list[Product]) -> None:
    for p in products:
        for brand in p.brands:
            assert brand.lang in LANGS, (p.id, brand.name)
            assert brand.source and brand.source.startswith("https://"), (p.id, brand.name)


def test_well_known_brands_are_present(products: list[Product]) -> None:
    brands = {b.name for p in products for b in p.brands}
    for name in KNOWN_BRANDS:
        assert name in brands, name


def test_relevance_set_size_and_mix(relevance: list[dict[str, Any]]) -> None:
    assert len(relevance) >= 150
    langs = Counter(q["lang"] for q in relevance)
    kinds = Counter(q["kind"] for q in relevance)
    assert set(langs) == LANGS
    assert min(langs.values()) >= 30
    assert set(kinds) == {"brand", "ingredient", "synonym", "symptom", "pinyin", "typo"}
    assert len({q["query"] for q in relevance}) == len(relevance)


@pytest.mark.parametrize("name", ["relevance.yaml", "heldout.yaml"])
def test_relevance_expectations_point_at_existing_data(
    name: str, products: list[Product], ingredients: dict[str, Any]
) -> None:
    cases = _yaml(name)
    assert len({q["query"] for q in cases}) == len(cases)
    ids = {p.id for p in products}
    for q in cases:
        expect_ids = q.get("expect_ids") or []
        expect_ingredients = q.get("expect_ingredients") or []
        assert expect_ids or expect_ingredients, q["query"]
        assert sorted(set(expect_ids) - ids) == [], q["query"]
        assert sorted(set(expect_ingredients) - set(ingredients)) == [], q["query"]


@pytest.mark.parametrize("name", ["relevance.yaml", "heldout.yaml"])
def test_relevance_ingredient_expectations_are_answerable(name: str, products: list[Product]) -> None:
    used = {ingredient for p in products for ingredient in p.ingredient_names}
    for q in _yaml(name):
        assert set(q.get("expect_ingredients") or []) <= used, q["query"]


def test_safety_relevant_facts_of_key_products(products: list[Product]) -> None:
    by_id = {p.id: p for p in products}
    ganmaoling = {i.name: (i.strength, i.unit) for i in by_id["999-ganmaoling-granules"].ingredients}
    assert ganmaoling["paracetamol"] == (200.0, "mg")
    assert ganmaoling["chlorphenamine"] == (4.0, "mg")
    contac = by_id["new-contac"]
    assert (contac.rx_class, contac.max_per_order) == ("rx", 2)
    assert [(i.name, i.strength) for i in contac.ingredients] == [
        ("pseudoephedrine", 90.0),
        ("chlorphenamine", 4.0),
    ]
    assert "ethanol" in by_id["huoxiang-zhengqi-shui"].ingredient_names
    assert "ephedra herb" in by_id["lianhua-qingwen-capsules"].ingredient_names
    assert "realgar" in by_id["niuhuang-jiedu-tablets"].ingredient_names
    assert by_id["baijiahei"].ingredient_names == (
        "paracetamol",
        "pseudoephedrine",
        "dextromethorphan",
        "diphenhydramine",
    )
    assert (by_id["ellaone-30mg"].rx_class, by_id["ellaone-30mg"].max_per_order) == ("rx", 1)
    assert (
        by_id["yuting-levonorgestrel-1-5mg"].rx_class,
        by_id["yuting-levonorgestrel-1-5mg"].max_per_order,
    ) == ("otc_a", 1)
    assert by_id["paracetamol-500mg-tab-20"].atc == "N02BE01"
    assert by_id["metronidazole-400mg-tab"].atc == "P01AB01"
    assert by_id["tylenol-extra-strength-500mg"].name_ko == "타이레놀정 500mg"
    assert by_id["panpyrin-q"].ingredient_names == (
        "paracetamol", "caffeine", "chlorphenamine", "methylephedrine", "guaifenesin", "tipepidine"
    )  # fmt: skip


def test_relevance_answer_ingredients_follow_from_the_expectations(
    relevance: list[dict[str, Any]], products: list[Product]
) -> None:
    by_id = {p.id: p for p in products}
    for q in relevance:
        expected = set(q.get("expect_ingredients") or [])
        for pid in q.get("expect_ids") or []:
            expected |= set(by_id[pid].ingredient_names)
        assert set(q["answer_ingredients"]) == expected, q["query"]
    tylenol = next(q for q in relevance if q["query"] == "타이레놀")
    assert tylenol["answer_ingredients"] == ["paracetamol"]
