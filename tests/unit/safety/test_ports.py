"""Item resolution: the fixture-list ports and the filter applied to catalog search hits."""

from __future__ import annotations

from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.ports import ProductListPorts, is_device_match, pick_hit
from tests.unit.safety.conftest import make_product

KB = load_knowledge_base()
INSULIN = make_product("insulin", ("insulin glargine", None, None))
IBU = make_product("ibu", ("ibuprofen", 200.0, "mg"))
ASPIRIN = make_product("asa", ("aspirin", 300.0, "mg"))


def test_symptom_hits_never_resolve_an_item() -> None:
    assert pick_hit(KB, "headache", [(ASPIRIN, "symptom:headache")]) is None


def test_fuzzy_hit_must_contain_the_named_ingredient() -> None:
    assert pick_hit(KB, "codeine linctus", [(INSULIN, "fuzzy:lantus→Lantus")]) is None
    assert pick_hit(KB, "ibuprofen 200", [(IBU, "fuzzy:ibuprofen")]) is IBU
    assert pick_hit(KB, "lantsu", [(INSULIN, "fuzzy:lantus→Lantus")]) is None


def test_a_name_hit_for_another_ingredient_is_skipped() -> None:
    assert pick_hit(KB, "aspirin", [(IBU, "name:aspirin"), (ASPIRIN, "ingredient:aspirin")]) is ASPIRIN
    assert pick_hit(KB, "Advil", [(IBU, "brand:advil→Advil")]) is IBU


def test_product_list_ports_prefer_the_named_strength(ports: ProductListPorts) -> None:
    two = ProductListPorts(
        [
            make_product("p500", ("paracetamol", 500.0, "mg")),
            make_product("p120", ("paracetamol", 120.0, "mg")),
        ]
    )
    assert two.resolve("paracetamol 120 mg").id == "p120"  # type: ignore[union-attr]
    assert two.resolve("acetaminophen").id == "p120"  # type: ignore[union-attr]
    assert two.resolve("no such thing") is None
    assert ports.resolve("布洛芬片 200mg").id == "t-ibuprofen-200"  # type: ignore[union-attr]
    assert ports.get("t-aspirin-300") is not None
    assert ports.get("missing") is None


PLASTERS = make_product(
    "plasters", name_zh="创可贴 100片", name_en="Adhesive bandages, 100", category="device"
)
COVID = make_product("covid", name_en="COVID-19 rapid antigen self-test, 1 test", category="device")


def test_devices_resolve_by_the_words_of_their_names() -> None:
    assert is_device_match("创可贴", PLASTERS)
    assert is_device_match("COVID test", COVID)
    assert not is_device_match("flu test", COVID)
    ports = ProductListPorts([PLASTERS, COVID, IBU])
    assert ports.resolve("创可贴") is PLASTERS
    assert ports.resolve("COVID test") is COVID


def test_symptom_hits_count_only_for_devices() -> None:
    assert pick_hit(KB, "创可贴", [(PLASTERS, "symptom:cut")]) is PLASTERS
    # never a medicine, and never for a query that names a medicine
    named_ibu = make_product("ibu2", ("ibuprofen", 200.0, "mg"), name_zh="创可贴")
    assert pick_hit(KB, "创可贴", [(named_ibu, "symptom:cut")]) is None
    assert pick_hit(KB, "ibuprofen", [(make_product("ibuprofen"), "symptom:pain")]) is None


def test_a_brand_and_a_shortened_name_find_the_one_product_holding_both() -> None:
    ports = ProductListPorts(
        [
            make_product(
                "syrup",
                ("loquat leaf", None, None),
                name_zh="某品牌 蜂蜜川贝枇杷膏",
                name_en="Brand loquat syrup",
            ),
            make_product(
                "drops", ("loquat leaf", None, None), name_zh="某品牌 枇杷露", name_en="Brand loquat drops"
            ),
        ]
    )
    assert ports.resolve("某品牌 枇杷膏").id == "syrup"  # type: ignore[union-attr]
    assert ports.resolve("loquat brand") is None  # two products hold both words: not a guess
    assert ports.resolve("枇杷膏") is None  # one word is not enough
