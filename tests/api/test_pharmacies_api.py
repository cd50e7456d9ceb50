"""Pharmacies over HTTP: storefront, stock CSV import report, permissions."""

from __future__ import annotations

import uuid
from datetime import time

import httpx
import pytest

from medrush import catalog, pharmacies
from medrush.accounts import Role
from medrush.kernel import db
from tests.factories.accounts import make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy, staff_of


@pytest.fixture(scope="module")
async def tables(database: str) -> str:
    """This area's tables in the test database."""
    await ensure_tables()
    return database


async def test_storefront_is_public(client: httpx.AsyncClient, tables: str) -> None:
    pid = await make_pharmacy(name="Front Door Pharmacy")
    front = await client.get(f"/api/v1/pharmacies/{pid}")
    assert front.status_code == 200
    assert front.json()["name"] == "Front Door Pharmacy"
    assert front.json()["open_now"] is True
    assert front.json()["pharmacist_on_duty"] == "Li Wei"
    assert (await client.get("/api/v1/pharmacies/not-a-uuid")).status_code == 422


async def test_csv_import_reports_rows_and_checks_who_imports(client: httpx.AsyncClient, tables: str) -> None:
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
        await catalog.rebuild_index(session)
    pid = await make_pharmacy()
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    other = await make_user(Role.PHARMACY_STAFF, pharmacy_id=await make_pharmacy())
    csv_text = "medicine_id,quantity,price\nparacetamol-500mg-tab-20,4,9.90\nnot-in-catalog,3,1\n"
    files = {"file": ("stock.csv", csv_text.encode(), "text/csv")}
    refused = await client.post(f"/api/v1/pharmacies/{pid}/stock/import", files=files, headers=other.headers)
    assert refused.status_code == 403
    report = await client.post(f"/api/v1/pharmacies/{pid}/stock/import", files=files, headers=staff.headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["applied"], body["rejected"]) == (1, 1)
    assert body["errors"] == [
        {"line": 3, "medicine_id": "not-in-catalog", "message": "unknown product 'not-in-catalog'"}
    ]
    malformed = await client.post(
        f"/api/v1/pharmacies/{pid}/stock/import",
        content=b"just,some\nwords,here\n",
        headers={**staff.headers, "Content-Type": "text/csv"},
    )
    assert malformed.status_code == 422
    assert malformed.json()["fatal"] == "missing column(s): medicine_id, quantity, price"
    stock = await client.get(f"/api/v1/pharmacies/{pid}/stock", headers=staff.headers)
    assert [(s["medicine_id"], s["quantity"], s["price"]) for s in stock.json()] == [
        ("paracetamol-500mg-tab-20", 4, 990)
    ]


async def test_consultation_holds_are_for_clinicians_and_staff(
    client: httpx.AsyncClient, tables: str
) -> None:
    pid = await make_pharmacy(stock=[("held-thing", 3, 100)])
    doctor = await make_user(Role.DOCTOR)
    customer = await make_user(Role.CUSTOMER)
    body = {"medicine_id": "held-thing", "quantity": 2, "ref": "consult-7", "minutes": 30}
    refused = await client.post(f"/api/v1/pharmacies/{pid}/holds", json=body, headers=customer.headers)
    assert refused.status_code == 403
    held = await client.post(f"/api/v1/pharmacies/{pid}/holds", json=body, headers=doctor.headers)
    assert held.status_code == 201
    assert held.json()["ref"] == "consult:consult-7"
    too_many = await client.post(
        f"/api/v1/pharmacies/{pid}/holds", json={**body, "ref": "consult-8"}, headers=doctor.headers
    )
    assert too_many.status_code == 409
    assert (
        await client.delete(f"/api/v1/pharmacies/{pid}/holds/consult-7", headers=customer.headers)
    ).status_code == 403
    released = await client.delete(f"/api/v1/pharmacies/{pid}/holds/consult-7", headers=doctor.headers)
    assert released.json() == {"released": 2}


async def test_applying_twice_with_one_key_is_one_application(client: httpx.AsyncClient, tables: str) -> None:
    applicant = await make_user(Role.CUSTOMER)
    body = {
        "name": "New Corner Pharmacy",
        "licence_number": f"LIC-{uuid.uuid4().hex[:8]}",
        "lat": 31.2,
        "lng": 121.4,
        "address": "9 Corner Road",
        "city": "Shanghai",
    }
    headers = {**applicant.headers, "Idempotency-Key": "apply-1"}
    first = await client.post("/api/v1/pharmacies", json=body, headers=headers)
    again = await client.post("/api/v1/pharmacies", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "applied"
    without_key = await client.post("/api/v1/pharmacies", json=body, headers=applicant.headers)
    assert without_key.status_code == 409
    assert without_key.json()["error"]["code"] == "licence_taken"


async def test_storefront_page_names_weekdays_in_the_reader_s_language(
    client: httpx.AsyncClient, tables: str
) -> None:
    pid = await make_pharmacy(name="Weekday Pharmacy", always_open=False)
    async with db.session_scope() as session:
        await pharmacies.set_opening_hours(
            session, staff_of(pid), pid, [pharmacies.Interval(0, time(8), time(20))]
        )
    pages = {
        lang: (await client.get(f"/shop/pharmacies/{pid}?lang={lang}")).text for lang in ("en", "zh", "ko")
    }
    assert "<td>Mon</td>" in pages["en"]
    assert "<td>周一</td>" in pages["zh"]
    assert "<td>월</td>" in pages["ko"]
