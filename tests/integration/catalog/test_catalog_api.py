"""``GET /api/v1/search`` and the product routes on an app holding only the catalog router."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jsonschema
import pytest
from fastapi import FastAPI

from medrush import catalog
from medrush.catalog.products import load_product_files
from medrush.web.api.v1.catalog import router
from medrush.web.errors import install_error_handlers

FIXTURES = Path(__file__).parents[2] / "unit" / "catalog" / "fixtures"
SCHEMA = json.loads((Path(__file__).parent / "search_result.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    index = catalog.SearchIndex.build(
        load_product_files(FIXTURES / "products"), catalog.Vocabulary.load(FIXTURES)
    )
    catalog.set_search_index(index)
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http
    catalog.set_search_index(None)


async def test_search_returns_contract_results(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/search", params={"q": "拉肚子"})
    assert response.status_code == 200
    body = response.json()
    jsonschema.validate(body, SCHEMA)
    # no lang and no Accept-Language: names in the query's language
    assert [(r["medicine_id"], r["name"]) for r in body] == [
        ("loperamide-2-cap", "盐酸洛哌丁胺胶囊"),
        ("smectite-3g", "蒙脱石散"),
    ]
    english = await client.get("/api/v1/search", params={"q": "拉肚子"}, headers={"accept-language": "en-GB"})
    assert [r["name"] for r in english.json()] == [
        "Loperamide 2 mg capsules",
        "Diosmectite 3 g powder for oral suspension",
    ]


async def test_names_follow_lang_or_accept_language(client: httpx.AsyncClient) -> None:
    by_header = await client.get(
        "/api/v1/search", params={"q": "advil"}, headers={"accept-language": "zh-CN,zh"}
    )
    assert [r["name"] for r in by_header.json()] == ["布洛芬片"]
    by_param = await client.get("/api/v1/search", params={"q": "advil", "lang": "ko"})
    assert [r["name"] for r in by_param.json()] == ["이부프로펜정 200mg"]


@pytest.mark.parametrize("q", ["", "   ", "🙂", "'; DROP TABLE medicines; --"])
async def test_junk_queries_give_an_empty_list(client: httpx.AsyncClient, q: str) -> None:
    response = await client.get("/api/v1/search", params={"q": q})
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "x" * 10_000}, "query_too_long"),
        ({"q": "advil", "lat": "31.2"}, "invalid_location"),
        ({"q": "advil", "limit": "0"}, "invalid_input"),
        ({"q": "advil", "lang": "fr"}, "invalid_input"),
        ({}, "invalid_input"),
    ],
)
async def test_bad_input_is_a_clear_422(client: httpx.AsyncClient, params: dict[str, str], code: str) -> None:
    response = await client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


async def test_product_details_and_unknown_product(client: httpx.AsyncClient) -> None:
    found = await client.get("/api/v1/catalog/products/ibuprofen-200-tab")
    assert found.status_code == 200
    assert found.json()["brands"][0] == {"name": "Advil", "lang": "en", "source": None}
    missing = await client.get("/api/v1/catalog/products/nope")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_medicine")


async def test_did_you_mean(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/catalog/suggest", params={"q": "paracetamal"})
    assert response.json() == {"did_you_mean": "paracetamol", "not_sold": []}
    # the fixture catalog's list of kinds not sold (tests/unit/catalog/fixtures/not_sold.yaml)
    cases: tuple[tuple[str, list[str]], ...] = (
        ("adult diapers", ["adult diapers"]),
        ("기저귀 추천", ["기저귀"]),
        ("ibuprofen", []),
    )
    for query, named in cases:
        answer = (await client.get("/api/v1/catalog/suggest", params={"q": query})).json()
        assert answer["not_sold"] == named, query
        assert answer["did_you_mean"] is None, query
