"""A batch of bad requests against every JSON endpoint: always a 4xx with a message, never a 500."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import httpx

from medrush.accounts import Role
from tests.factories.accounts import make_user

BAD_BODIES: list[tuple[str, bytes]] = [
    ("malformed json", b'{"email": "a@b.co", '),
    ("array instead of object", b"[1, 2, 3]"),
    ("wrong types", b'{"email": 5, "password": [], "name": {}, "quantity": "many", "lat": "north"}'),
    ("unknown fields", b'{"definitely_not_a_field": true, "__proto__": {"admin": true}}'),
    ("deep nesting", b"[" * 2000 + b"]" * 2000),
    ("not utf-8", b'{"name": "\xff\xfe"}'),
    ("huge number", b'{"quantity": 1e400, "lat": 1e999}'),
]
PARAM_VALUES = ["not-a-uuid", str(uuid.uuid4()), "0", "-1", "%00", "x" * 300]


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


async def test_no_endpoint_answers_bad_input_with_a_server_error(client: httpx.AsyncClient) -> None:
    customer = await make_user()
    operator = await make_user(Role.OPERATOR)
    spec = (await client.get("/openapi.json")).json()
    failures: list[str] = []
    checked = 0
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method in methods:
            for who in (customer, operator, None):
                headers = {"content-type": "application/json", **(who.headers if who else {})}
                for value in PARAM_VALUES[:2] if who is None else PARAM_VALUES:
                    url = _fill(path, value)
                    bodies = BAD_BODIES if method in ("post", "put", "patch") else [("no body", b"")]
                    for label, body in bodies:
                        response = await client.request(
                            method.upper(),
                            url,
                            content=body or None,
                            headers=headers,
                            params={"limit": "lots", "lat": "north", "q": "\x00" * 3},
                        )
                        checked += 1
                        if response.status_code >= 500:
                            failures.append(f"{method.upper()} {url} [{label}] -> {response.status_code}")
                        elif response.status_code >= 400:
                            try:
                                message = response.json()["error"]["message"]
                            except (ValueError, KeyError, TypeError):
                                message = ""
                            if not message:
                                failures.append(f"{method.upper()} {url} [{label}] -> no error message")
    assert checked > 100
    assert failures == []


# edge values of each JSON type, for bodies shaped like each endpoint's own request schema
EDGE_TEXT = ["", " ", "x" * 5000, "\x00", "😀" * 50, "null", "-1", "1e309", "2026-13-45", str(uuid.uuid4())]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EDGE_NUMBERS = [0, -1, -(10**12), 10**18, 2**63, 1.5, 1e308]


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema or "oneOf" in schema:  # the first non-null choice
        choices = [_resolved(c, components) for c in schema.get("anyOf") or schema["oneOf"]]
        return next((c for c in choices if c.get("type") != "null"), choices[0])
    return schema


def _plausible(schema: dict[str, Any], components: dict[str, Any], rng: random.Random, depth: int = 0) -> Any:
    """A value that passes the schema's own checks (type, bounds, format, enum)."""
    schema = _resolved(schema, components)
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {}) if depth < 4 else {}
        required = set(schema.get("required", ()))
        return {
            k: _plausible(v, components, rng, depth + 1)
            for k, v in props.items()
            if k in required or rng.random() < 0.7
        }
    if kind == "array":
        n = max(schema.get("minItems", 0), rng.choice([0, 1, 2]))
        return [_plausible(schema.get("items", {}), components, rng, depth + 1) for _ in range(n)]
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt == "date":
            return "2015-06-01"
        if fmt == "date-time":
            return "2026-12-07T10:00:00Z"
        if fmt == "email":
            return f"{uuid.uuid4().hex[:8]}@example.org"
        return "a" * max(schema.get("minLength", 0), min(schema.get("maxLength", 8), 8))
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 10))
        value = (low + high) / 2
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return rng.random() < 0.5
    return None


def _one_field_wrong(schema: dict[str, Any], components: dict[str, Any], rng: random.Random) -> Any:
    """A plausible body with one field set to an edge value or null: past the shape check."""
    body = _plausible(schema, components, rng)
    if isinstance(body, dict) and body:
        field = rng.choice(sorted(body))
        body[field] = None if rng.random() < 0.3 else rng.choice([*EDGE_TEXT, *EDGE_NUMBERS, [], {}])
    return body


async def test_bodies_shaped_like_each_request_schema_with_edge_values_never_crash(
    client: httpx.AsyncClient,
) -> None:
    """Past the shape check: valid bodies but for one field (NUL, huge numbers, null, far dates)."""
    people = [None, await make_user(), await make_user(Role.OPERATOR), await make_user(Role.DOCTOR)]
    customer = people[1]
    assert customer is not None
    child = {"name": "Kid", "birth_date": "2019-03-04", "sex": "male", "allergies": ["penicillin"]}
    assert (await client.post("/api/v1/profiles", json=child, headers=customer.headers)).status_code == 201
    spec = (await client.get("/openapi.json")).json()
    components = spec.get("components", {}).get("schemas", {})
    rng = random.Random(7)
    # the ids each person can see, so that requests reach their own objects past the 404
    seen: dict[int, list[str]] = {}
    for i, who in enumerate(people):
        found: set[str] = set()
        for path, methods in spec["paths"].items():
            if who is not None and path.startswith("/api/") and "get" in methods and "{" not in path:
                found.update(UUID.findall((await client.get(path, headers=who.headers)).text))
        seen[i] = sorted(found)[:6] + PARAM_VALUES[:2]
    failures: list[str] = []
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/") or path.endswith("/auth/token"):
            continue
        for method, operation in methods.items():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            queries = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            for i, who in enumerate(people):
                for value in (seen[i] if "{" in path else [""]) * 3:
                    url = _fill(path, value)
                    params = {p["name"]: str(rng.choice([*EDGE_TEXT, *EDGE_NUMBERS])) for p in queries}
                    body = {"json": _one_field_wrong(schema["schema"], components, rng)} if schema else {}
                    response = await client.request(
                        method.upper(), url, params=params, headers=who.headers if who else {}, **body
                    )
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {url} {body} -> {response.status_code}")
    assert failures == []


async def test_text_with_a_nul_character_is_refused_with_a_message_and_nothing_is_stored(
    client: httpx.AsyncClient,
) -> None:
    """PostgreSQL cannot store NUL in text: the refusal is a 422 in the reader's language, not a 500."""
    customer = await make_user()
    address = {"label": "home", "line": "1 Main St", "city": "Shanghai", "lat": 31.23, "lng": 121.47}
    for field in ("label", "line", "city"):
        response = await client.post(
            "/api/v1/addresses",
            json={**address, field: "a\u0000b"},
            params={"lang": "zh"},
            headers=customer.headers,
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"] == {"code": "invalid_text", "message": "文本不能包含 NUL 字符"}
    listed = await client.get("/api/v1/addresses", headers=customer.headers)
    assert listed.status_code == 200 and listed.json() == []
    stored = await client.post("/api/v1/addresses", json=address, headers=customer.headers)
    assert stored.status_code == 201, stored.text


async def test_error_messages_follow_the_reader_s_language_and_codes_do_not(
    client: httpx.AsyncClient,
) -> None:
    """Anonymous callers get the Accept-Language; signed-in ones their account's language unless
    the request names one (``?lang=``, as the pages' lang cookie does)."""
    url = f"/api/v1/orders/{uuid.uuid4()}"
    anonymous = {
        lang: (await client.get(url, headers={"Accept-Language": lang})).json()["error"]
        for lang in ("en", "zh-CN,zh;q=0.9", "ko-KR")
    }
    assert [a["message"] for a in anonymous.values()] == ["sign in first", "请先登录", "먼저 로그인하세요"]
    customer = await make_user(Role.CUSTOMER)
    named = {
        lang: (await client.get(url, params={"lang": lang}, headers=customer.headers)).json()["error"]
        for lang in ("en", "zh", "ko")
    }
    assert [a["message"] for a in named.values()] == [
        "no such order",
        "订单不存在",
        "주문을 찾을 수 없습니다",
    ]
    assert {a["code"] for a in named.values()} == {"order_not_found"}


async def test_error_messages_with_values_are_translated_around_the_values(client: httpx.AsyncClient) -> None:
    url = "/api/v1/catalog/products/no-such-product"
    errors = [
        (await client.get(url, headers={"Accept-Language": lang})).json()["error"]
        for lang in ("en", "zh-CN", "ko-KR")
    ]
    assert [e["message"] for e in errors] == [
        "no product no-such-product",
        "没有商品 no-such-product",
        "상품 no-such-product이(가) 없습니다",
    ]
    assert {e["code"] for e in errors} == {"unknown_medicine"}


async def test_validation_messages_follow_the_reader_s_language_and_keep_their_shape(
    client: httpx.AsyncClient,
) -> None:
    body = {"password": "longenough", "display_name": "x" * 121}
    errors = {
        lang: (await client.post("/api/v1/accounts", json=body, headers={"Accept-Language": lang})).json()
        for lang in ("en", "zh-CN,zh;q=0.9", "ko-KR")
    }
    english, chinese, korean = (e["error"] for e in errors.values())
    assert english == {
        "code": "invalid_input",
        "message": "email: Field required; display_name: String should have at most 120 characters",
        "details": [
            {"loc": ["body", "email"], "msg": "Field required", "type": "missing"},
            {
                "loc": ["body", "display_name"],
                "msg": "String should have at most 120 characters",
                "type": "string_too_long",
            },
        ],
    }
    assert chinese["message"] == "email: 此项必填; display_name: 最多只能有 120 个字符"
    assert [d["msg"] for d in chinese["details"]] == ["此项必填", "最多只能有 120 个字符"]
    assert [d["msg"] for d in korean["details"]] == ["필수 항목입니다", "120자 이하여야 합니다"]
    for translated in (chinese, korean):
        assert translated["code"] == "invalid_input"
        assert [(d["loc"], d["type"]) for d in translated["details"]] == [
            (d["loc"], d["type"]) for d in english["details"]
        ]
