"""The patient's consult pages and the clinician console render, in three languages, for the right people."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from medrush.accounts import Role
from medrush.kernel import db
from tests.factories.accounts import make_user
from tests.integration.prescriptions.world import doctor, ensure_catalog, patient_with_profile


@pytest.fixture(autouse=True)
async def _catalog(app: object) -> None:
    await ensure_catalog()


async def test_patient_opens_from_the_page_and_sees_the_chat(client: httpx.AsyncClient) -> None:
    async with db.session_scope() as session:
        await session.execute(text("UPDATE consult_clinicians SET online = false"))
    patient, profile = await patient_with_profile()
    home = await client.get("/consult", headers=patient.headers)
    assert home.status_code == 200
    assert "Describe the symptoms" in home.text
    r = await client.post(
        "/consult",
        data={"profile_id": str(profile.id), "mode": "doctor", "symptoms": "cough for a week"},
        headers=patient.headers,
    )
    assert r.status_code == 303
    chat = await client.get(r.headers["location"], headers=patient.headers)
    assert chat.status_code == 200
    assert 'data-status="waiting"' in chat.text
    assert "cough for a week" in chat.text
    doc = await doctor()
    console = await client.get("/clinician", headers=doc.headers)
    assert console.status_code == 200
    cid = r.headers["location"].rsplit("/", 1)[1]
    assert f'data-test="pick-{cid}"' in console.text
    picked = await client.post(f"/clinician/pick/{cid}", headers=doc.headers)
    assert picked.status_code == 303
    console = await client.get("/clinician", headers=doc.headers)
    assert f'data-test="panel-{cid}"' in console.text
    assert "Li Wei" in console.text
    stranger = await make_user(Role.CUSTOMER)
    assert (await client.get(f"/consult/{cid}", headers=stranger.headers)).status_code == 404


async def test_emergency_page(client: httpx.AsyncClient) -> None:
    patient, profile = await patient_with_profile()
    r = await client.post(
        "/consult",
        data={
            "profile_id": str(profile.id),
            "mode": "doctor",
            "symptoms": "crushing chest pain spreading to my arm",
        },
        headers=patient.headers,
    )
    chat = await client.get(r.headers["location"], headers=patient.headers)
    assert 'data-test="emergency"' in chat.text


@pytest.mark.parametrize(("lang", "html_lang"), [("zh", "zh-CN"), ("ko", "ko"), ("en", "en")])
async def test_languages(client: httpx.AsyncClient, lang: str, html_lang: str) -> None:
    patient, _ = await patient_with_profile()
    page = await client.get(f"/consult?lang={lang}", headers=patient.headers)
    assert page.status_code == 200
    assert f'<html lang="{html_lang}">' in page.text
    assert 'data-test="consult-form"' in page.text


async def test_console_refuses_customers(client: httpx.AsyncClient) -> None:
    customer = await make_user(Role.CUSTOMER)
    assert (await client.get("/clinician", headers=customer.headers)).status_code == 403
    assert (await client.get("/clinician")).status_code == 303
