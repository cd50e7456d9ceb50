"""The catalog's public surface: what other domains, the CLI and the web may use."""

from __future__ import annotations

import medrush.catalog as catalog


def test_public_names_are_sorted_and_present() -> None:
    # isort style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions
    def style(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert catalog.__all__ == sorted(catalog.__all__, key=style)
    for name in (
        "Product",
        "SearchHit",
        "get_product",
        "load_shipped_catalog",
        "rebuild_index",
        "search",
        "search_index",
        "search_result_dict",
    ):
        assert name in catalog.__all__
        assert getattr(catalog, name) is not None


def test_search_result_dict_has_exactly_the_contract_fields() -> None:
    product = catalog.Product(
        id="x-1",
        name_en="Ibuprofen 200 mg tablets",
        name_zh="布洛芬片",
        name_ko="이부프로펜정",
        generic_name_en="ibuprofen",
        ingredients=(catalog.Ingredient("ibuprofen", 200.0, "mg"),),
        atc="M01AE01",
        dosage_form="tablet",
        pack="24 tablets",
        category="analgesic",
        rx_class="otc_b",
    )
    hit = catalog.SearchHit(product, 80.0, "ingredient:ibuprofen")
    assert catalog.search_result_dict(hit, "ko") == {
        "medicine_id": "x-1",
        "name": "이부프로펜정",
        "generic_name_en": "ibuprofen",
        "ingredients": ["ibuprofen"],
        "atc": "M01AE01",
        "category": "analgesic",
        "rx_class": "otc_b",
    }
    with_offers = catalog.results_with_offers(
        [hit], {"x-1": [{"pharmacy_id": "p", "price": 1, "in_stock": True}]}
    )
    assert with_offers[0]["offers"] == [{"pharmacy_id": "p", "price": 1, "in_stock": True}]
    assert catalog.query_language("布洛芬") == "zh"
    assert catalog.query_language("타이레놀") == "ko"
    assert catalog.query_language("advil") is None
