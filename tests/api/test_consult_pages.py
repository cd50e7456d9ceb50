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


async def test_otc_suggestion_to_cart_in_one_tap(client: httpx.AsyncClient) -> None:
    from medrush import accounts, consult, orders
    from medrush.accounts.schemas import AddressIn
    from tests.integration.pharmacies.world import PEOPLES_SQUARE, ensure_tables, make_pharmacy
    from tests.integration.prescriptions.world import OTC_MEDICINE

    await ensure_tables()
    pharmacy_id = await make_pharmacy(stock=[(OTC_MEDICINE, 20, 1290)], name="Square Pharmacy")
    patient, profile = await patient_with_profile()
    async with db.session_scope() as session:
        await accounts.add_address(
            session,
            patient.actor,
            AddressIn(
                line="1 Square",
                city="Shanghai",
                lat=PEOPLES_SQUARE[0],
                lng=PEOPLES_SQUARE[1],
                is_default=True,
            ),
        )
        c = await consult.open_consultation(
            session, patient.actor, profile_id=profile.id, mode="pharmacist", symptoms="headache since noon"
        )
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        await consult.pick_up(session, pharmacist.actor, c.id)
    async with db.session_scope() as session:
        outcome = await consult.record_outcome(
            session, pharmacist.actor, c.id, "otc", {"items": [{"medicine_id": OTC_MEDICINE, "quantity": 2}]}
        )
    page = await client.get(f"/consult/{c.id}", headers=patient.headers)
    assert 'data-test="add-to-cart"' in page.text
    assert "Square Pharmacy · 25.80" in page.text
    r = await client.post(
        f"/consult/{c.id}/cart",
        data={"outcome_id": str(outcome.id), "pharmacy_id": str(pharmacy_id)},
        headers=patient.headers,
    )
    assert r.status_code == 303
    async with db.session_scope() as session:
        cart = await orders.cart_view(session, patient.actor)
    assert cart["pharmacy_id"] == str(pharmacy_id)
    assert [(line["medicine_id"], line["quantity"]) for line in cart["lines"]] == [(OTC_MEDICINE, 2)]
    stranger = await make_user(Role.CUSTOMER)
    refused = await client.post(
        f"/consult/{c.id}/cart",
        data={"outcome_id": str(outcome.id), "pharmacy_id": str(pharmacy_id)},
        headers=stranger.headers,
    )
    assert refused.status_code == 404
