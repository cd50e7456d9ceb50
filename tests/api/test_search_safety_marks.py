"""Search results marked for the chosen family member (safety issue: unsafe products are flagged)."""

from __future__ import annotations

import httpx

from medrush import catalog
from medrush.kernel import db
from tests.factories.accounts import make_user

CHILD = {"name": "Doudou", "relationship": "child", "birth_date": "2021-03-01", "sex": "male"}
ADULT = {"name": "Li", "birth_date": "1990-01-01", "sex": "female"}


async def _loaded() -> None:
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
        await catalog.rebuild_index(session)


async def test_results_carry_the_family_members_verdict(client: httpx.AsyncClient) -> None:
    await _loaded()
    parent = await make_user()
    child = (await client.post("/api/v1/profiles", json=CHILD, headers=parent.headers)).json()
    adult = (await client.post("/api/v1/profiles", json=ADULT, headers=parent.headers)).json()

    for_child = await client.get(
        "/api/v1/search",
        params={"q": "aspirin", "limit": 5, "profile_id": child["id"]},
        headers=parent.headers,
    )
    assert for_child.status_code == 200
    aspirin = [r for r in for_child.json() if r["ingredients"] == ["aspirin"]]
    assert aspirin, for_child.json()
    assert {r["safety"]["level"] for r in aspirin} == {"block"}
    assert any("16" in f["message"] for f in aspirin[0]["safety"]["findings"])

    for_adult = await client.get(
        "/api/v1/search",
        params={"q": "paracetamol", "limit": 3, "profile_id": adult["id"]},
        headers=parent.headers,
    )
    assert for_adult.status_code == 200
    assert for_adult.json()[0]["safety"]["level"] == "allow"
    plain = await client.get("/api/v1/search", params={"q": "paracetamol", "limit": 3})
    assert "safety" not in plain.json()[0]


async def test_someone_elses_family_member_is_not_found(client: httpx.AsyncClient) -> None:
    await _loaded()
    parent, stranger = await make_user(), await make_user()
    child = (await client.post("/api/v1/profiles", json=CHILD, headers=parent.headers)).json()
    params = {"q": "aspirin", "profile_id": child["id"]}
    assert (await client.get("/api/v1/search", params=params, headers=stranger.headers)).status_code == 404
    anonymous = await client.get("/api/v1/search", params=params)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["message"]
