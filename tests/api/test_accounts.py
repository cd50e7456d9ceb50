"""Accounts over HTTP: sign-up, tokens, rate limits, profiles, object-level access and its audit."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from medrush.accounts import AuditEntry, PatientProfile, Role
from medrush.kernel import db
from tests.factories.accounts import PASSWORD, make_user

CHILD = {
    "name": "Mia",
    "relationship": "child",
    "birth_date": "2020-05-01",
    "sex": "female",
    "allergies": ["penicillin"],
}


async def test_health_and_openapi(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert "x-request-id" in health.headers
    spec = (await client.get("/openapi.json")).json()
    assert "/api/v1/profiles" in spec["paths"]


async def test_sign_up_then_token_then_me_then_revoke(client: httpx.AsyncClient) -> None:
    email = f"{uuid.uuid4().hex[:8]}@Example.org"
    created = await client.post(
        "/api/v1/accounts", json={"email": email, "password": "s3cret-pass", "display_name": "Ann"}
    )
    assert created.status_code == 201
    assert created.json()["email"] == email.lower()
    assert created.json()["roles"] == ["customer"]
    again = await client.post(
        "/api/v1/accounts", json={"email": email, "password": "other-pass", "display_name": "Ann"}
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"

    token = await client.post("/api/v1/auth/token", json={"email": email, "password": "s3cret-pass"})
    assert token.status_code == 200
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).json()["email"] == email.lower()
    assert (await client.delete("/api/v1/auth/token", headers=headers)).status_code == 204
    after = await client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "unauthenticated"


async def test_bad_sign_up_input_is_a_clear_422(client: httpx.AsyncClient) -> None:
    cases = [
        {"email": "not-an-email", "password": "longenough", "display_name": "x"},
        {"email": "a@b.co", "password": "short", "display_name": "x"},
        {"email": "a@b.co", "password": "longenough", "display_name": "x", "is_admin": True},
    ]
    for body in cases:
        response = await client.post("/api/v1/accounts", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_input"
        assert response.json()["error"]["message"]
    garbage = await client.post(
        "/api/v1/accounts", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 422


async def test_sign_in_is_rate_limited_per_email(client: httpx.AsyncClient) -> None:
    someone = await make_user()
    body = {"email": someone.user.email, "password": "wrong-password"}
    statuses = [(await client.post("/api/v1/auth/token", json=body)).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 401, 429]
    right = await client.post("/api/v1/auth/token", json={"email": someone.user.email, "password": PASSWORD})
    assert right.status_code == 429  # the right password does not lift the lock early


async def test_profiles_are_private_and_every_access_is_audited(client: httpx.AsyncClient) -> None:
    alice, bob, operator = await make_user(), await make_user(), await make_user(Role.OPERATOR)
    created = await client.post("/api/v1/profiles", json=CHILD, headers=alice.headers)
    assert created.status_code == 201
    profile_id = created.json()["id"]
    assert created.json()["allergies"] == ["penicillin"]

    # Bob can neither read nor change nor delete it, and learns only "not found".
    assert (await client.get(f"/api/v1/profiles/{profile_id}", headers=bob.headers)).status_code == 404
    patched = await client.patch(
        f"/api/v1/profiles/{profile_id}", json={"allergies": []}, headers=bob.headers
    )
    assert patched.status_code == 404
    assert (await client.delete(f"/api/v1/profiles/{profile_id}", headers=bob.headers)).status_code == 404
    assert (await client.get("/api/v1/profiles", headers=bob.headers)).json() == []
    # Anonymous callers are told to sign in.
    assert (await client.get(f"/api/v1/profiles/{profile_id}")).status_code == 401

    # An operator may read (audited) but not change it.
    assert (await client.get(f"/api/v1/profiles/{profile_id}", headers=operator.headers)).status_code == 200
    refused = await client.patch(
        f"/api/v1/profiles/{profile_id}", json={"name": "X"}, headers=operator.headers
    )
    assert refused.status_code == 404

    async with db.session_scope() as session:
        profile = await session.get(PatientProfile, uuid.UUID(profile_id))
        assert profile is not None
        assert profile.allergies == ["penicillin"]
        assert profile.name == "Mia"
        rows = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.object_id == profile_id).order_by(AuditEntry.id)
            )
        ).all()
    trail = [(r.actor_id, r.action) for r in rows]
    assert trail == [
        (alice.user.id, "create"),
        (bob.user.id, "denied"),
        (bob.user.id, "denied"),
        (bob.user.id, "denied"),
        (operator.user.id, "read"),
        (operator.user.id, "denied"),
    ]

    audit = await client.get("/api/v1/audit", params={"object_id": profile_id}, headers=operator.headers)
    assert audit.status_code == 200
    assert [e["action"] for e in audit.json()] == ["denied", "read", "denied", "denied", "denied", "create"]
    assert (await client.get("/api/v1/audit", headers=alice.headers)).status_code == 403


async def test_profile_validation_and_update(client: httpx.AsyncClient) -> None:
    alice = await make_user()
    bad = [
        {**CHILD, "birth_date": "2999-01-01"},
        {**CHILD, "sex": "male", "pregnant": True},
        {**CHILD, "pregnancy_weeks": 12},
        {**CHILD, "unknown_field": 1},
        {**CHILD, "allergies": "penicillin"},
    ]
    for body in bad:
        response = await client.post("/api/v1/profiles", json=body, headers=alice.headers)
        assert response.status_code == 422, body
    assert (await client.get("/api/v1/profiles", headers=alice.headers)).json() == []
    adult = {"name": "Alice", "birth_date": "1990-01-01", "sex": "female"}
    created = (await client.post("/api/v1/profiles", json=adult, headers=alice.headers)).json()
    patched = await client.patch(
        f"/api/v1/profiles/{created['id']}",
        json={"pregnant": True, "pregnancy_weeks": 20},
        headers=alice.headers,
    )
    assert patched.status_code == 200
    assert (patched.json()["pregnant"], patched.json()["pregnancy_weeks"]) == (True, 20)
    url = f"/api/v1/profiles/{created['id']}"
    for field in ("current_medications", "allergies", "name", "sex", "pregnant"):
        refused = await client.patch(url, json={field: None}, headers=alice.headers)
        assert refused.status_code == 422, (field, refused.text)
        assert f"{field} cannot be null" in refused.json()["error"]["message"]
    cleared = await client.patch(
        url, json={"pregnant": False, "pregnancy_weeks": None}, headers=alice.headers
    )
    assert cleared.status_code == 200
    assert (cleared.json()["pregnant"], cleared.json()["pregnancy_weeks"]) == (False, None)


async def test_profile_422_words_our_validators_in_the_reader_s_language(client: httpx.AsyncClient) -> None:
    alice = await make_user()
    future = {**CHILD, "birth_date": "2999-01-01"}
    male = {**CHILD, "sex": "male", "pregnant": True}
    shown = {}
    for lang in ("en", "zh", "ko"):
        for name, body in (("future", future), ("male", male)):
            response = await client.post(
                "/api/v1/profiles", params={"lang": lang}, json=body, headers=alice.headers
            )
            assert response.status_code == 422, body
            error = response.json()["error"]
            shown[lang, name] = (error["message"], [d["msg"] for d in error["details"]])
    assert shown["en", "future"] == (
        "birth_date: Value error, birth date is in the future",
        ["Value error, birth date is in the future"],
    )
    assert shown["zh", "future"] == ("birth_date: 出生日期不能晚于今天", ["出生日期不能晚于今天"])
    assert shown["ko", "future"] == ("birth_date: 생년월일이 미래 날짜입니다", ["생년월일이 미래 날짜입니다"])
    assert shown["en", "male"][1] == ["Value error, a profile of sex male cannot be pregnant"]
    assert shown["zh", "male"][1] == ["性别为男的家庭成员不能选择怀孕"]
    assert shown["ko", "male"][1][0] != shown["en", "male"][1][0]
    assert not shown["ko", "male"][1][0].startswith("Value error")


async def test_addresses_belong_to_their_owner(client: httpx.AsyncClient) -> None:
    alice, bob = await make_user(), await make_user()
    body = {
        "line": "1 People's Square",
        "city": "Shanghai",
        "lat": 31.2304,
        "lng": 121.4737,
        "is_default": True,
    }
    created = await client.post("/api/v1/addresses", json=body, headers=alice.headers)
    assert created.status_code == 201
    address_id = created.json()["id"]
    assert (await client.delete(f"/api/v1/addresses/{address_id}", headers=bob.headers)).status_code == 404
    assert len((await client.get("/api/v1/addresses", headers=alice.headers)).json()) == 1
    bad = await client.post("/api/v1/addresses", json={**body, "lat": 123}, headers=alice.headers)
    assert bad.status_code == 422


async def test_oversized_bodies_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/accounts", content=b"x" * 2_000_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_metrics_count_requests(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    text = (await client.get("/metrics")).text
    assert 'medrush_http_requests_total{method="GET",route="/healthz",status="200"}' in text


async def test_photo_uploads_may_be_larger_than_other_bodies(client: httpx.AsyncClient) -> None:
    path = f"/api/v1/consultations/{uuid.uuid4()}/attachments"
    two_mb = await client.post(path, content=b"x" * 2_000_000, headers={"content-type": "image/jpeg"})
    assert two_mb.status_code != 413  # reaches the route (which then wants a signed-in caller)
    six_mb = await client.post(path, content=b"x" * 6_000_000, headers={"content-type": "image/jpeg"})
    assert six_mb.status_code == 413
