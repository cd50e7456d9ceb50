"""Consultation and prescription API: the whole flow, access on every endpoint, bad input, FHIR."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import text

from medrush.accounts import Role
from medrush.kernel import db
from tests.factories.accounts import Someone, make_user
from tests.integration.prescriptions.world import (
    ITEMS,
    OTC_MEDICINE,
    RX_MEDICINE,
    doctor,
    ensure_catalog,
    patient_with_profile,
)


@pytest.fixture(autouse=True)
async def _catalog(app: object) -> None:
    await ensure_catalog()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def _setup(
    client: httpx.AsyncClient, language: str = "en", symptoms: str = "ear ache and fever since yesterday"
) -> tuple[Someone, Someone, str]:
    async with db.session_scope() as session:
        await session.execute(text("UPDATE consult_clinicians SET online = false"))
    patient, profile = await patient_with_profile()
    doc = await doctor()
    r = await client.post(
        "/api/v1/consultations",
        json={
            "profile_id": str(profile.id),
            "mode": "doctor",
            "symptoms": symptoms,
            "language": language,
        },
        headers=patient.headers,
    )
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["status"] == "waiting"
    queue = await client.get("/api/v1/clinicians/me/queue", headers=doc.headers)
    assert cid in [q["id"] for q in queue.json()]
    r = await client.post(f"/api/v1/consultations/{cid}/pick-up", headers=doc.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    return patient, doc, cid


async def test_flow_to_approved_prescription_and_fhir(client: httpx.AsyncClient) -> None:
    patient, doc, cid = await _setup(client)
    r = await client.post(
        f"/api/v1/consultations/{cid}/messages",
        json={"text": "Hello", "client_id": "c1"},
        headers=patient.headers,
    )
    assert (r.status_code, r.json()["seq"]) == (201, 3)
    again = await client.post(
        f"/api/v1/consultations/{cid}/messages",
        json={"text": "Hello", "client_id": "c1"},
        headers=patient.headers,
    )
    assert (again.status_code, again.json()["seq"]) == (200, 3)
    r = await client.post(
        f"/api/v1/consultations/{cid}/messages",
        json={"text": "how_long", "quick_reply": True},
        headers=doc.headers,
    )
    assert r.json()["text"] == "How long have you had these symptoms?"
    r = await client.post(f"/api/v1/consultations/{cid}/attachments", content=PNG, headers=patient.headers)
    assert r.status_code == 201, r.text
    photo = await client.get(
        f"/api/v1/consultations/attachments/{r.json()['attachment_id']}", headers=doc.headers
    )
    assert (photo.status_code, photo.headers["content-type"], photo.content) == (200, "image/png", PNG)
    r = await client.post(
        f"/api/v1/consultations/{cid}/outcomes",
        json={"kind": "prescription", "data": {"items": ITEMS, "diagnosis": "acute otitis media"}},
        headers=doc.headers,
    )
    assert r.status_code == 201, r.text
    rx_id = r.json()["data"]["prescription_id"]
    pharmacist = await make_user(Role.PHARMACIST)
    queue = await client.get("/api/v1/prescriptions/review-queue", headers=pharmacist.headers)
    assert rx_id in [q["id"] for q in queue.json()]
    r = await client.post(
        f"/api/v1/prescriptions/{rx_id}/review", json={"decision": "approve"}, headers=pharmacist.headers
    )
    assert r.json()["status"] == "approved"
    mine = await client.get(f"/api/v1/prescriptions/{rx_id}", headers=patient.headers)
    assert (mine.status_code, mine.json()["items"][0]["medicine_id"]) == (200, RX_MEDICINE)

    bundle = await client.get(f"/api/v1/consultations/{cid}/fhir", headers=patient.headers)
    assert bundle.status_code == 200, bundle.text
    body: dict[str, Any] = bundle.json()
    Bundle.model_validate(body)
    kinds = [e["resource"]["resourceType"] for e in body["entry"]]
    assert kinds[0] == "Encounter"
    assert kinds.count("Communication") == 6
    assert kinds.count("MedicationRequest") == 1
    request = body["entry"][-1]["resource"]
    assert (request["status"], request["intent"]) == ("active", "order")
    assert request["medicationCodeableConcept"]["coding"][0]["code"] == RX_MEDICINE

    r = await client.post(f"/api/v1/consultations/{cid}/close", headers=patient.headers)
    assert r.json()["status"] == "closed"
    r = await client.post(f"/api/v1/consultations/{cid}/rating", json={"stars": 5}, headers=patient.headers)
    assert r.json()["rating"] == 5


async def test_platform_lines_of_the_chat_are_in_the_consultation_language(client: httpx.AsyncClient) -> None:
    """Quick replies, outcome lines and notices are stored in the patient's language, whatever
    the language of the clinician's console."""
    patient, doc, cid = await _setup(client, "zh", "耳朵疼，从昨天开始发烧")
    r = await client.post(
        f"/api/v1/consultations/{cid}/messages",
        json={"text": "how_long", "quick_reply": True},
        headers=doc.headers,
    )
    assert r.json()["text"] == "这些症状持续多久了？"
    r = await client.post(
        f"/api/v1/consultations/{cid}/outcomes",
        json={"kind": "advice", "data": {"text": "多喝水，注意休息"}},
        headers=doc.headers,
    )
    assert r.status_code == 201, r.text
    await client.post(f"/api/v1/consultations/{cid}/close", headers=patient.headers)
    lines = [
        m["text"]
        for m in (await client.get(f"/api/v1/consultations/{cid}/messages", headers=patient.headers)).json()
    ]
    assert lines[1:] == [
        "医生/药师已加入对话。",
        "这些症状持续多久了？",
        "建议：多喝水，注意休息",
        "本次问诊已结束。",
    ]


async def test_emergency_answered_at_once(client: httpx.AsyncClient) -> None:
    patient, profile = await patient_with_profile()
    r = await client.post(
        "/api/v1/consultations",
        json={"profile_id": str(profile.id), "symptoms": "crushing chest pain spreading to my left arm"},
        headers=patient.headers,
    )
    assert r.status_code == 201
    body = r.json()
    assert (body["status"], body["triage"]["level"]) == ("referred", "emergency")
    assert body["outcomes"][0]["kind"] == "referral"


async def test_a_profile_with_a_consultation_on_record_is_kept_with_a_409(client: httpx.AsyncClient) -> None:
    patient, profile = await patient_with_profile()
    r = await client.post(
        "/api/v1/consultations",
        json={"profile_id": str(profile.id), "symptoms": "sore throat for two days"},
        headers=patient.headers,
    )
    assert r.status_code == 201, r.text
    refused = await client.delete(f"/api/v1/profiles/{profile.id}", headers=patient.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "profile_has_records"
    assert (await client.get(f"/api/v1/profiles/{profile.id}", headers=patient.headers)).status_code == 200
    spare = await client.post(
        "/api/v1/profiles",
        json={"name": "Spare", "sex": "female", "birth_date": "2015-03-01"},
        headers=patient.headers,
    )
    assert spare.status_code == 201, spare.text
    gone = await client.delete(f"/api/v1/profiles/{spare.json()['id']}", headers=patient.headers)
    assert gone.status_code == 204


async def test_every_endpoint_refuses_outsiders_and_audits(client: httpx.AsyncClient) -> None:
    patient, _doc, cid = await _setup(client)
    r = await client.post(f"/api/v1/consultations/{cid}/attachments", content=PNG, headers=patient.headers)
    attachment_id = r.json()["attachment_id"]
    outsiders = [await doctor(), await make_user(Role.CUSTOMER), await make_user(Role.COURIER)]
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/v1/consultations/{cid}", None),
        ("GET", f"/api/v1/consultations/{cid}/messages", None),
        ("POST", f"/api/v1/consultations/{cid}/messages", {"text": "hi"}),
        ("POST", f"/api/v1/consultations/{cid}/read", {"seq": 1}),
        ("POST", f"/api/v1/consultations/{cid}/close", None),
        ("POST", f"/api/v1/consultations/{cid}/rating", {"stars": 1}),
        ("GET", f"/api/v1/consultations/{cid}/fhir", None),
        ("GET", f"/api/v1/consultations/attachments/{attachment_id}", None),
        ("POST", f"/api/v1/consultations/{cid}/attachments", None),
        ("POST", f"/api/v1/consultations/{cid}/outcomes", {"kind": "advice", "data": {"text": "x"}}),
        ("POST", f"/api/v1/consultations/{cid}/pick-up", None),
    ]
    for who in outsiders:
        for method, url, body in calls:
            content = PNG if url.endswith("/attachments") else None
            r = await client.request(method, url, json=body, content=content, headers=who.headers)
            assert r.status_code in (403, 404, 409), (who.user.roles, url, r.status_code, r.text)
            assert r.status_code != 200
    async with db.session_scope() as session:
        denied = await session.scalar(
            text("SELECT count(*) FROM audit_log WHERE object_id = :id AND action = 'denied'"), {"id": cid}
        )
        messages = await session.scalar(
            text("SELECT count(*) FROM consult_messages WHERE consultation_id = :id"), {"id": uuid.UUID(cid)}
        )
    assert int(denied or 0) >= 3 * 7
    assert messages == 3
    anonymous = await client.get(f"/api/v1/consultations/{cid}")
    assert anonymous.status_code == 401


async def test_bad_input_is_refused_and_nothing_stored(client: httpx.AsyncClient) -> None:
    patient, doc, cid = await _setup(client)

    async def count(table: str) -> int:
        async with db.session_scope() as session:
            return int(
                await session.scalar(
                    text(f"SELECT count(*) FROM {table} WHERE consultation_id = :id"), {"id": uuid.UUID(cid)}
                )
                or 0
            )

    before = (
        await count("consult_messages"),
        await count("consult_attachments"),
        await count("prescriptions"),
    )
    gif = await client.post(
        f"/api/v1/consultations/{cid}/attachments", content=b"GIF89a" + b"0" * 50, headers=patient.headers
    )
    assert (gif.status_code, gif.json()["error"]["code"]) == (422, "attachment_type")
    big = await client.post(
        f"/api/v1/consultations/{cid}/attachments",
        content=b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024),
        headers=patient.headers,
    )
    assert big.status_code in (413, 422)
    unknown = await client.post(
        f"/api/v1/consultations/{cid}/outcomes",
        json={
            "kind": "prescription",
            "data": {"items": [{"medicine_id": "nope", "dosage": "1", "quantity": 1}], "diagnosis": "x"},
        },
        headers=doc.headers,
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_medicine")
    direct = await client.post(
        "/api/v1/prescriptions",
        json={
            "profile_id": str(uuid.uuid4()),
            "items": [{"medicine_id": "nope", "dosage": "1", "quantity": 1}],
            "diagnosis": "x",
        },
        headers=doc.headers,
    )
    assert direct.status_code == 422
    empty = await client.post(
        f"/api/v1/consultations/{cid}/messages", json={"text": ""}, headers=patient.headers
    )
    assert empty.status_code == 422
    assert (
        await count("consult_messages"),
        await count("consult_attachments"),
        await count("prescriptions"),
    ) == before
    await client.post(f"/api/v1/consultations/{cid}/close", headers=patient.headers)
    closed = await client.post(
        f"/api/v1/consultations/{cid}/messages", json={"text": "still there?"}, headers=patient.headers
    )
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "consultation_closed")
    otc = await client.post(
        f"/api/v1/consultations/{cid}/outcomes",
        json={"kind": "otc", "data": {"items": [{"medicine_id": OTC_MEDICINE, "quantity": 1}]}},
        headers=doc.headers,
    )
    assert otc.status_code == 409


async def test_operator_figures(client: httpx.AsyncClient) -> None:
    await _setup(client)
    operator = await make_user(Role.OPERATOR)
    r = await client.get("/api/v1/consultations/operator", headers=operator.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"waiting_now", "clinicians_online", "wait_by_hour", "staffing"}
    assert body["staffing"]["target"] == "90% answered within 120 s"
    assert body["staffing"]["clinicians_needed"] >= 1
    customer = await make_user(Role.CUSTOMER)
    assert (await client.get("/api/v1/consultations/operator", headers=customer.headers)).status_code == 403
