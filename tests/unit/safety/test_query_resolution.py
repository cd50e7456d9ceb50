"""Items named by a query resolve through the shipped catalog to a product with that ingredient.

The safety check takes items by ``query`` as well as by ``medicine_id``; the query goes through the
catalog search, which is forgiving, while the check must be strict (``pick_hit``). These names, in
three languages and as brands, must land on a product holding the ingredient they name, so a change
to search cannot quietly check the wrong medicine.
"""

from __future__ import annotations

import pytest

from medrush.safety import SafetyRequest, check
from medrush.safety.ports import catalog_ports

NAMES = {
    "paracetamol": [
        "泰诺",
        "扑热息痛",
        "对乙酰氨基酚",
        "타이레놀",
        "아세트아미노펜",
        "tylenol",
        "panadol",
        "必理痛",
    ],
    "ibuprofen": ["布洛芬", "芬必得", "美林", "이부프로펜", "부루펜", "advil", "nurofen", "ibuprofen 400 mg"],
    "aspirin": ["阿司匹林", "아스피린", "aspirin", "bayer aspirin"],
    "loperamide": ["loperamide", "imodium", "易蒙停", "로페라미드"],
    "cetirizine": ["zyrtec", "西替利嗪", "세티리진", "지르텍"],
    "pseudoephedrine": ["sudafed", "伪麻黄碱", "슈도에페드린"],
    "naproxen": ["aleve", "萘普生", "나프록센"],
    "loratadine": ["claritin", "氯雷他定", "开瑞坦", "로라타딘"],
    "diclofenac": ["voltaren", "扶他林", "디클로페낙"],
    "domperidone": ["吗丁啉", "돔페리돈"],
    "hydrocortisone": ["hydrocortisone cream", "氢化可的松", "히드로코르티손", "하이드로코르티손"],
    "levonorgestrel": ["morning after pill", "毓婷", "紧急避孕药", "사후피임약"],
}
CASES = [(ingredient, name) for ingredient, names in NAMES.items() for name in names]


@pytest.fixture(scope="module")
def ports() -> tuple[object, object]:
    return catalog_ports()


@pytest.mark.parametrize(("ingredient", "name"), CASES, ids=[f"{i}:{n}" for i, n in CASES])
def test_a_named_medicine_resolves_to_a_product_holding_it(
    ports: tuple[object, object], ingredient: str, name: str
) -> None:
    resolve, get = ports
    product = resolve(name)  # type: ignore[operator]
    assert product is not None, f"{name!r} resolved to nothing"
    assert ingredient in product.ingredient_names, (name, product.id, product.ingredient_names)
    request = SafetyRequest.model_validate({"patient": {"age_years": 30}, "items": [{"query": name}]})
    result = check(request, resolve=resolve, get=get)  # type: ignore[arg-type]
    assert "unknown_item" not in result.codes


@pytest.mark.parametrize("name", ["codeine", "可待因", "코데인"])
def test_a_medicine_the_catalog_does_not_carry_is_reported_not_guessed(
    ports: tuple[object, object], name: str
) -> None:
    resolve, get = ports
    request = SafetyRequest.model_validate({"patient": {"age_years": 30}, "items": [{"query": name}]})
    result = check(request, resolve=resolve, get=get)  # type: ignore[arg-type]
    assert result.level == "warn"
    assert "unknown_item" in result.codes


@pytest.mark.parametrize(
    ("name", "prescription"),
    [
        ("aspirin", False),
        ("阿司匹林", False),
        ("아스피린", False),
        ("aspirin 100mg", True),
        ("阿司匹林肠溶片", True),
    ],
)
def test_a_bare_medicine_name_is_the_one_sold_without_prescription_a_strength_or_product_name_is_that_product(
    ports: tuple[object, object], name: str, prescription: bool
) -> None:
    """The catalog sells aspirin both ways; "aspirin" alone must not be checked as the prescription-only
    100 mg tablets (a healthy adult buying aspirin would be refused for want of a prescription)."""
    resolve, get = ports
    product = resolve(name)  # type: ignore[operator]
    assert product is not None and "aspirin" in product.ingredient_names
    assert (product.rx_class == "rx") is prescription, product.id
    request = SafetyRequest.model_validate({"patient": {"age_years": 30}, "items": [{"query": name}]})
    result = check(request, resolve=resolve, get=get)  # type: ignore[arg-type]
    assert ("rx_required" in result.codes) is prescription


@pytest.mark.parametrize(
    ("query", "dose", "level"),
    [
        ("美林", "每次喂8毫升", "allow"),  # the suspension (20 mg/ml): 160 mg for 20 kg is 8 mg/kg
        ("Motrin", "8 ml each time", "allow"),
        ("美林 混悬液", "每次喂8毫升", "allow"),
        ("美林滴剂", "每次喂8毫升", "block"),  # the drops named (40 mg/ml): 320 mg, 16 mg/kg
        ("Meilin drops", "8 ml each time", "block"),
    ],
)
def test_a_name_alone_is_the_ordinary_liquid_not_the_concentrated_drops(
    query: str, dose: str, level: str
) -> None:
    """A brand selling a suspension and infant drops: its name alone is checked as the suspension, so a
    label dose of it is not refused as a drops overdose; the drops named are checked as the drops."""
    resolve, get = catalog_ports()
    request = SafetyRequest.model_validate(
        {
            "patient": {"age_years": 6, "sex": "female"},
            "items": [{"query": query, "quantity": 1}],
            "symptoms": f"fever 38.8, 20 kg, {dose}",
        }
    )
    assert check(request, resolve=resolve, get=get, lang="en").level == level
