"""Prescription-only items over HTTP: the API checkout with ``profile_id`` and the consult -> cart ->
checkout -> sandbox pay pages, with the refusals a patient can meet."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from medrush import accounts, consult, prescriptions
from medrush.accounts import Role
from medrush.accounts.schemas import AddressIn
from medrush.kernel import db
from medrush.prescriptions import Prescription
from tests.factories.accounts import Someone, make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy, stock_row
from tests.integration.prescriptions.world import (
    ITEMS,
    RX_MEDICINE,
    doctor,
    ensure_catalog,
    patient_with_profile,
)


@pytest.fixture(autouse=True)
async def _catalog(app: object) -> None:
    await ensure_catalog()
    await ensure_tables()


def spot() -> tuple[float, float]:
    """A point of its own (near Shanghai) for each test, so other tests' pharmacies never interfere."""
    n = uuid.uuid4().int
    return 31.0 + (n % 1000) / 2000, 121.0 + (n // 1000 % 1000) / 2000


async def approved_rx(profile_id: uuid.UUID, consultation_id: uuid.UUID | None = None) -> Prescription:
    """Two capsules, signed by a doctor and approved by a pharmacist."""
    doc = await doctor()
    async with db.session_scope() as session:
        rx = await prescriptions.issue_prescription(
            session,
            doc.actor,
            profile_id=profile_id,
            items=ITEMS,
            diagnosis="otitis media",
            consultation_id=consultation_id,
        )
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        return await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")


def body(pid: uuid.UUID, lat: float, lng: float, profile_id: Any, quantity: int = 2) -> dict[str, Any]:
    return {
        "pharmacy_id": str(pid),
        "items": [{"medicine_id": RX_MEDICINE, "quantity": quantity}],
        "lat": lat,
        "lng": lng,
        "address": "1 Test Road",
        "confirm_warnings": True,
        **({"profile_id": str(profile_id)} if profile_id else {}),
    }


async def test_api_checkout_with_and_without_a_prescription(client: httpx.AsyncClient) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(RX_MEDICINE, 10, 2500)])
    patient, profile = await patient_with_profile()
    stranger: Someone = await make_user(Role.CUSTOMER)

    none = await client.post("/api/v1/orders", json=body(pid, lat, lng, profile.id), headers=patient.headers)
    assert none.status_code == 403
    assert none.json()["error"]["code"] == "prescription_required"
    assert "no approved, unexpired and unused prescription" in none.json()["error"]["message"]

    rx = await approved_rx(profile.id)
    no_profile = await client.post("/api/v1/orders", json=body(pid, lat, lng, None), headers=patient.headers)
    assert no_profile.status_code == 403
    assert no_profile.json()["error"]["code"] == "prescription_required"
    theirs = await client.post(
        "/api/v1/orders", json=body(pid, lat, lng, profile.id), headers=stranger.headers
    )
    assert theirs.status_code == 404
    assert theirs.json()["error"]["message"] == "no such profile"
    too_many = await client.post(
        "/api/v1/orders", json=body(pid, lat, lng, profile.id, quantity=3), headers=patient.headers
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["code"] == "above_prescribed_quantity"
    assert await stock_row(pid, RX_MEDICINE) == (10, 0)  # nothing reserved by any refusal

    ok = await client.post("/api/v1/orders", json=body(pid, lat, lng, profile.id), headers=patient.headers)
    assert ok.status_code == 201, ok.text
    assert ok.json()["safety"]["prescription_ids"] == [str(rx.id)]
    assert "rx_required" not in [f.get("code") for f in ok.json()["safety"]["findings"]]
    assert await stock_row(pid, RX_MEDICINE) == (10, 2)


async def test_consult_page_buy_button_to_paid_order(client: httpx.AsyncClient) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(RX_MEDICINE, 10, 2500)], name="Rx Corner")
    patient, profile = await patient_with_profile()
    async with db.session_scope() as session:
        await accounts.add_address(
            session,
            patient.actor,
            AddressIn(line="8 Rx Lane", city="Shanghai", lat=lat, lng=lng, is_default=True),
        )
        c = await consult.open_consultation(
            session, patient.actor, profile_id=profile.id, mode="doctor", symptoms="ear pain since yesterday"
        )
    rx = await approved_rx(profile.id, c.id)

    page = await client.get(f"/consult/{c.id}", headers=patient.headers)
    assert page.status_code == 200
    assert 'data-test="buy-rx"' in page.text
    assert "Buy prescribed medicine: Rx Corner · 50.00" in page.text
    stranger = await make_user(Role.CUSTOMER)
    buy_url = f"/consult/{c.id}/prescriptions/{rx.id}/buy"
    assert (
        await client.post(buy_url, data={"pharmacy_id": str(pid)}, headers=stranger.headers)
    ).status_code == 404

    for _ in range(2):  # a second tap does not double the quantity
        r = await client.post(buy_url, data={"pharmacy_id": str(pid)}, headers=patient.headers)
        assert r.status_code == 303
    cart_url = r.headers["location"]
    assert cart_url.startswith(f"/shop/cart?profile_id={profile.id}&lat=")
    cart = await client.get(cart_url, headers=patient.headers)
    assert cart.status_code == 200
    assert 'data-test="problem"' not in cart.text
    assert "× 2" in cart.text and 'value="8 Rx Lane, Shanghai"' in cart.text
    done = await client.post(
        "/shop/checkout",
        data={
            "checkout_key": uuid.uuid4().hex,
            "profile_id": str(profile.id),
            "lat": str(lat),
            "lng": str(lng),
            "address": "8 Rx Lane, Shanghai",
            "confirm_warnings": "1",
        },
        headers=patient.headers,
    )
    assert done.status_code == 303, done.text
    pay_url = done.headers["location"]
    assert pay_url.startswith("/shop/pay/")
    paid = await client.post(pay_url, data={"outcome": "succeed"}, headers=patient.headers)
    assert paid.status_code == 303
    order_id = paid.headers["location"].rsplit("/", 1)[1]
    order = await client.get(f"/api/v1/orders/{order_id}", headers=patient.headers)
    assert order.json()["status"] == "paid"
    async with db.session_scope() as session:
        used = await session.get(Prescription, rx.id)
        assert used is not None and used.status == "used" and used.used_ref == order_id
    after = await client.get(f"/consult/{c.id}", headers=patient.headers)
    assert 'data-test="buy-rx"' not in after.text
    again = await client.post(buy_url, data={"pharmacy_id": str(pid)}, headers=patient.headers)
    assert again.status_code == 403


async def test_cart_page_without_the_profile_explains(client: httpx.AsyncClient) -> None:
    lat, lng = spot()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(RX_MEDICINE, 10, 2500)])
    patient, _ = await patient_with_profile()
    r = await client.post(
        "/shop/cart", data={"pharmacy_id": str(pid), "medicine_id": RX_MEDICINE}, headers=patient.headers
    )
    assert r.status_code == 303
    cart = await client.get(f"/shop/cart?lat={lat}&lng={lng}", headers=patient.headers)
    assert 'data-test="problem"' in cart.text
    assert "needs a prescription" in cart.text
