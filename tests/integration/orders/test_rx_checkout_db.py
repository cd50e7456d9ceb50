"""Prescription-only items on PostgreSQL: bought once with the profile's approved prescription.

Each refusal is a 4xx with a message and leaves nothing reserved; two orders racing for one
prescription are both placed, and exactly one payment spends it (the other is refunded).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.factories.accounts import Someone, make_user
from tests.integration.pharmacies.world import make_pharmacy, staff_of, stock_row
from tests.integration.prescriptions.world import (
    ITEMS,
    PRIOR,
    RX_MEDICINE,
    doctor,
    ensure_catalog,
    jurisdiction,
    patient_with_profile,
)

from medrush import orders, prescriptions
from medrush.accounts import PatientProfile, Role
from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from medrush.orders.models import Order, Payment
from medrush.orders.ports import ProductInfo
from medrush.prescriptions import Prescription
from medrush.safety import patient_from_profile

pytestmark = pytest.mark.usefixtures("tables")


@pytest.fixture(autouse=True, scope="module")
async def _shipped_catalog(tables: str) -> None:
    """The shipped catalog in the database and the process index, whatever ran before."""
    await ensure_catalog()


PRODUCTS = {
    RX_MEDICINE: ProductInfo(RX_MEDICINE, "Amoxicillin 250 mg", "rx", None),
    "ibu": ProductInfo("ibu", "Ibuprofen 200 mg", "otc_b", None),
}
PROVIDER = orders.SandboxProvider("rx-test-secret", "http://testserver")


@pytest.fixture(autouse=True)
def fakes() -> Iterator[list[dict[str, Any]]]:
    """Catalog facts and a safety engine that records its requests and allows."""
    seen: list[dict[str, Any]] = []

    def allow(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request)
        return {"level": "allow", "findings": []}

    orders.set_product_source(lambda: PRODUCTS)
    orders.set_safety_checker(allow)
    orders.register_provider(PROVIDER)
    yield seen
    orders.set_product_source(None)
    orders.set_safety_checker(None)


def spot() -> tuple[float, float]:
    """A point of its own for each test."""
    n = uuid.uuid4().int
    return 30.0 + (n % 10_000) / 1000, 110.0 + (n // 10_000 % 10_000) / 1000


async def issue(profile_id: uuid.UUID, *, approve: bool = True, validity_days: int = 3) -> Prescription:
    """A prescription of two capsules, signed by a doctor and (unless told) approved."""
    doc = await doctor()
    async with db.session_scope() as session:
        rx = await prescriptions.issue_prescription(
            session,
            doc.actor,
            profile_id=profile_id,
            items=ITEMS,
            diagnosis="otitis media",
            validity_days=validity_days,
        )
    if approve:
        pharmacist = await make_user(Role.PHARMACIST)
        async with db.session_scope() as session:
            rx = await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
    return rx


async def world() -> tuple[Someone, uuid.UUID, uuid.UUID, float, float]:
    """A patient with a profile and a pharmacy selling the rx medicine near a fresh point."""
    lat, lng = spot()
    patient, profile = await patient_with_profile()
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(RX_MEDICINE, 10, 2500), ("ibu", 10, 1500)])
    return patient, profile.id, pid, lat, lng


async def place(
    someone: Someone,
    pid: uuid.UUID,
    profile_id: uuid.UUID | None,
    lat: float,
    lng: float,
    quantity: int = 2,
) -> dict[str, Any]:
    async with db.session_scope() as session:
        result = await orders.checkout(
            session,
            someone.actor,
            pharmacy_id=pid,
            items=[(RX_MEDICINE, quantity)],
            lat=lat,
            lng=lng,
            profile_id=profile_id,
        )
        return result.to_dict()


async def pay(placed: dict[str, Any]) -> str:
    async with db.session_scope() as session:
        payment = await session.get(Payment, uuid.UUID(placed["payment_id"]))
        assert payment is not None
        body, signature = PROVIDER.event("payment.succeeded", payment.provider_ref, payment.amount)
        return await orders.handle_payment_webhook(session, "sandbox", body, signature)


async def orders_of(someone: Someone) -> int:
    async with db.session_scope() as session:
        count = await session.scalar(
            select(func.count()).select_from(Order).where(Order.customer_id == someone.user.id)
        )
        return int(count or 0)


async def rx_row(rx_id: uuid.UUID) -> Prescription:
    async with db.session_scope() as session:
        row = await session.get(Prescription, rx_id)
        assert row is not None
        return row


async def test_buy_with_an_approved_prescription_marks_it_used_on_payment(
    fakes: list[dict[str, Any]],
) -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id)
    placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    assert placed["status"] == "placed"
    assert placed["subtotal"] == 5000
    assert placed["safety"]["prescription_ids"] == [str(rx.id)]
    assert rx.valid_until is not None
    assert fakes[-1]["prescriptions"] == [
        {"medicine_id": RX_MEDICINE, "status": "approved", "valid_until": rx.valid_until.isoformat()}
    ]
    assert await stock_row(pid, RX_MEDICINE) == (10, 2)
    assert (await rx_row(rx.id)).status == "approved"  # not spent before the money comes
    assert await pay(placed) == "paid"
    used = await rx_row(rx.id)
    assert used.status == "used"
    assert used.used_ref == placed["order_id"]
    assert await stock_row(pid, RX_MEDICINE) == (8, 0)
    with pytest.raises(PermissionDenied) as again:  # a second order with the same prescription
        await place(patient, pid, profile_id, lat + 0.005, lng)
    assert again.value.code == "prescription_required"
    assert "no approved, unexpired and unused prescription" in again.value.message


async def test_the_real_safety_engine_sees_the_prescription() -> None:
    orders.set_safety_checker(None)
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    codes = [f.get("code") for f in placed["safety"]["findings"]]
    assert "rx_required" not in codes
    assert placed["safety"]["level"] in ("allow", "warn")


async def test_two_racing_orders_one_prescription_exactly_one_wins() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id)

    async def attempt() -> dict[str, Any] | str:
        try:
            return await place(patient, pid, profile_id, lat + 0.005, lng)
        except DomainError as exc:
            return exc.code

    first, second = await asyncio.gather(attempt(), attempt())
    placed = [r for r in (first, second) if isinstance(r, dict)]
    refused = [r for r in (first, second) if isinstance(r, str)]
    assert refused in ([], ["prescription_in_use"])
    if len(placed) == 1:  # one checkout saw the other's unpaid order: the race moves to payment
        again = await asyncio.gather(attempt())
        assert again == ["prescription_in_use"]
        return
    outcomes = await asyncio.gather(*(pay(p) for p in placed))
    assert sorted(outcomes) == ["paid", "refunded_prescription_used"]
    winner = placed[outcomes.index("paid")]
    loser = placed[outcomes.index("refunded_prescription_used")]
    assert (await rx_row(rx.id)).used_ref == winner["order_id"]
    async with db.session_scope() as session:
        lost = await session.get(Order, uuid.UUID(loser["order_id"]))
        assert lost is not None and lost.status == "refunded"
        assert lost.cancel_reason == "the prescription was already used by another order"
    assert await stock_row(pid, RX_MEDICINE) == (8, 0)  # the loser's units are back on the shelf


async def test_a_second_checkout_waits_for_the_unpaid_first() -> None:
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    first = await place(patient, pid, profile_id, lat + 0.005, lng)
    with pytest.raises(Conflict) as err:
        await place(patient, pid, profile_id, lat + 0.005, lng)
    assert err.value.code == "prescription_in_use"
    assert first["order_id"] in err.value.message
    assert await stock_row(pid, RX_MEDICINE) == (10, 2)


async def refused(
    patient: Someone,
    pid: uuid.UUID,
    profile_id: uuid.UUID | None,
    lat: float,
    lng: float,
    quantity: int = 2,
) -> DomainError:
    """The refusal of a checkout; checks that nothing was ordered or reserved."""
    before = await orders_of(patient)
    with pytest.raises(DomainError) as err:
        await place(patient, pid, profile_id, lat + 0.005, lng, quantity)
    assert await orders_of(patient) == before
    assert await stock_row(pid, RX_MEDICINE) == (10, 0)
    return err.value


async def test_without_a_prescription_or_a_profile() -> None:
    patient, profile_id, pid, lat, lng = await world()
    err = await refused(patient, pid, profile_id, lat, lng)
    assert (err.status, err.code) == (403, "prescription_required")
    assert err.message == (
        "Amoxicillin 250 mg needs a prescription: this patient has no approved, unexpired and "
        "unused prescription for it"
    )
    await issue(profile_id)
    err = await refused(patient, pid, None, lat, lng)
    assert (err.status, err.code) == (403, "prescription_required")
    assert "say which patient" in err.message


async def test_someone_elses_prescription() -> None:
    _patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    stranger, stranger_profile = await patient_with_profile()
    err = await refused(stranger, pid, profile_id, lat, lng)  # the stranger names our profile
    assert isinstance(err, NotFound)
    assert err.status == 404 and err.message == "no such profile"
    err = await refused(stranger, pid, stranger_profile.id, lat, lng)  # or their own, without one
    assert err.code == "prescription_required"


async def test_expired_prescription() -> None:
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id, validity_days=1)
    clock.set_clock(clock.FrozenClock(clock.now() + timedelta(days=1, seconds=1)))
    try:
        err = await refused(patient, pid, profile_id, lat, lng)
    finally:
        clock.set_clock(None)
    assert (err.status, err.code) == (403, "prescription_required")
    assert err.message.endswith("this patient's prescription for it has expired")


async def test_rejected_and_unreviewed_prescriptions() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id, approve=False)
    err = await refused(patient, pid, profile_id, lat, lng)
    assert err.code == "prescription_required"
    assert err.message.endswith("still waits for a pharmacist's review")
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        await prescriptions.review_prescription(
            session, pharmacist.actor, rx.id, "reject", reason="dose too high"
        )
    err = await refused(patient, pid, profile_id, lat, lng)
    assert (err.status, err.code) == (403, "prescription_required")
    assert "no approved, unexpired and unused prescription" in err.message


async def test_already_used_prescription() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id)
    async with db.session_scope() as session:
        await prescriptions.mark_used(session, rx.id, ref="elsewhere")
    err = await refused(patient, pid, profile_id, lat, lng)
    assert (err.status, err.code) == (403, "prescription_required")


async def test_more_than_prescribed() -> None:
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    err = await refused(patient, pid, profile_id, lat, lng, quantity=3)
    assert isinstance(err, InvalidInput)
    assert (err.status, err.code) == (422, "above_prescribed_quantity")
    assert err.message == "the prescription allows 2 of Amoxicillin 250 mg, not 3"


async def test_kr_prescription_orders_are_picked_up() -> None:
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    with jurisdiction("kr"):
        placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    assert placed["fulfilment"] == "pickup"
    assert placed["delivery_fee"] == 0


async def test_cn_prescription_before_medicine() -> None:
    with jurisdiction("cn"):
        patient, profile_id, pid, lat, lng = await world()
        doc = await doctor()
        async with db.session_scope() as session:
            rx = await prescriptions.issue_prescription(
                session,
                doc.actor,
                profile_id=profile_id,
                items=ITEMS,
                diagnosis="otitis",
                prior_diagnosis=PRIOR,
            )
        pharmacist = await make_user(Role.PHARMACIST)
        async with db.session_scope() as session:
            await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
        assert rx.signed_at is not None
        clock.set_clock(clock.FrozenClock(rx.signed_at - timedelta(minutes=1)))  # an order dated before it
        try:
            err = await refused(patient, pid, profile_id, lat, lng)
        finally:
            clock.set_clock(None)
        assert err.code == "prescription_required"
        placed = await place(patient, pid, profile_id, lat + 0.005, lng)
        assert placed["safety"]["prescription_ids"] == [str(rx.id)]


async def test_the_safety_check_sees_the_family_member_the_order_is_for(fakes: list[dict[str, Any]]) -> None:
    patient, profile_id, pid, lat, lng = await world()
    await issue(profile_id)
    await place(patient, pid, profile_id, lat + 0.005, lng)
    async with db.session_scope() as session:
        profile = await session.get(PatientProfile, profile_id)
        assert profile is not None
        expected = patient_from_profile(profile, clock.now().date())
    assert fakes[-1]["patient"] == expected
    assert expected["age_years"] >= 0


async def cancel(placed: dict[str, Any], pid: uuid.UUID) -> Order:
    async with db.session_scope() as session:
        order_id = uuid.UUID(placed["order_id"])
        return await orders.cancel_order(session, staff_of(pid), order_id, "out of stock")


async def test_a_paid_order_cancelled_before_pickup_gives_its_prescription_back() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id)
    placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    assert await pay(placed) == "paid"
    assert (await rx_row(rx.id)).status == "used"
    cancelled = await cancel(placed, pid)
    assert cancelled.status == "refunded"
    back = await rx_row(rx.id)
    assert (back.status, back.used_at, back.used_ref) == ("approved", None, None)
    again = await place(patient, pid, profile_id, lat + 0.005, lng)  # usable for a new order
    assert again["safety"]["prescription_ids"] == [str(rx.id)]
    assert await pay(again) == "paid"
    assert (await rx_row(rx.id)).used_ref == again["order_id"]


async def test_a_prescription_whose_validity_passed_meanwhile_comes_back_expired() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id, validity_days=1)
    placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    assert await pay(placed) == "paid"
    clock.set_clock(clock.FrozenClock(clock.now() + timedelta(days=2)))
    try:
        await cancel(placed, pid)
    finally:
        clock.set_clock(None)
    assert (await rx_row(rx.id)).status == "expired"


async def test_release_gives_back_only_what_that_order_spent() -> None:
    patient, profile_id, pid, lat, lng = await world()
    rx = await issue(profile_id)
    placed = await place(patient, pid, profile_id, lat + 0.005, lng)
    assert await pay(placed) == "paid"
    async with db.session_scope() as session:
        assert not await prescriptions.release_use(session, rx.id, ref=str(uuid.uuid4()))
    assert (await rx_row(rx.id)).status == "used"
