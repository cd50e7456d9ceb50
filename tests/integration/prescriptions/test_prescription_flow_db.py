"""Prescriptions on PostgreSQL: issue, review, use once, expiry, tampering, jurisdiction rules, access."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from medrush import accounts, prescriptions
from medrush.accounts import SYSTEM, Role
from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from medrush.prescriptions import Prescription, ReviewDecision
from tests.factories.accounts import make_user
from tests.integration.prescriptions.world import (
    ITEMS,
    OTC_MEDICINE,
    PRIOR,
    RX_MEDICINE,
    doctor,
    ensure_catalog,
    jurisdiction,
    patient_with_profile,
)

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture(autouse=True, scope="module")
async def _shipped_catalog(database: str) -> None:
    """The shipped catalog in the database and the process index, whatever ran before."""
    await ensure_catalog()


async def _issue(doc, profile, **extra):
    async with db.session_scope() as session:
        return await prescriptions.issue_prescription(
            session, doc.actor, profile_id=profile.id, items=ITEMS, diagnosis="otitis media", **extra
        )


async def _count(table_filter: str = "") -> int:
    async with db.session_scope() as session:
        return int(await session.scalar(select(func.count()).select_from(Prescription)) or 0)


async def test_issue_review_use_once() -> None:
    _, profile = await patient_with_profile()
    doc = await doctor()
    pharmacist = await make_user(Role.PHARMACIST)
    rx = await _issue(doc, profile)
    assert rx.status == "signed"
    assert rx.items[0]["medicine_id"] == RX_MEDICINE
    assert rx.items[0]["rx_class"] == "rx"
    assert rx.valid_until == rx.signed_at + timedelta(days=3)

    async with db.session_scope() as session:
        assert await prescriptions.valid_prescription_for(session, profile.id, RX_MEDICINE) is None
        queue = await prescriptions.review_queue(session, pharmacist.actor)
        assert rx.id in [q.id for q in queue]
    async with db.session_scope() as session:
        reviewed = await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
        assert reviewed.status == "approved"
    async with db.session_scope() as session:
        found = await prescriptions.valid_prescription_for(session, profile.id, RX_MEDICINE)
        assert found is not None and found.id == rx.id
        assert await prescriptions.valid_prescription_for(session, profile.id, OTC_MEDICINE) is None
        audit = await accounts.query_audit(
            session,
            accounts.SYSTEM.__class__(user_id=None, roles=frozenset({"operator"})),
            object_type="prescription",
            object_id=str(rx.id),
        )
        decisions = [a.detail.get("decision") for a in audit if a.action == "update"]
        assert "approve" in decisions

    async def use(ref: str) -> str:
        try:
            async with db.session_scope() as session:
                await prescriptions.mark_used(session, rx.id, ref=ref)
            return "used"
        except Conflict as exc:
            return exc.code

    results = await asyncio.gather(*(use(f"order-{i}") for i in range(8)))
    assert sorted(results) == ["prescription_not_usable"] * 7 + ["used"]
    async with db.session_scope() as session:
        assert await prescriptions.valid_prescription_for(session, profile.id, RX_MEDICINE) is None


async def test_reject_needs_reason_and_is_audited() -> None:
    _, profile = await patient_with_profile()
    rx = await _issue(await doctor(), profile)
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        with pytest.raises(InvalidInput) as err:
            await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "reject")
        assert err.value.code == "reason_required"
    async with db.session_scope() as session:
        done = await prescriptions.review_prescription(
            session, pharmacist.actor, rx.id, ReviewDecision.REJECT, reason="dose too high for age"
        )
        assert (done.status, done.review_reason) == ("rejected", "dose too high for age")
    async with db.session_scope() as session:
        with pytest.raises(Conflict) as conflict:
            await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
        assert conflict.value.code == "already_reviewed"
    async with db.session_scope() as session:
        reason = await session.scalar(
            text(
                "SELECT reason FROM audit_log WHERE object_id = :id AND action = 'update' "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"id": str(rx.id)},
        )
        assert reason == "dose too high for age"


async def test_only_doctors_issue_and_only_pharmacists_review() -> None:
    patient, profile = await patient_with_profile()
    pharmacist = await make_user(Role.PHARMACIST)
    before = await _count()
    for someone in (patient, pharmacist):
        async with db.session_scope() as session:
            with pytest.raises(PermissionDenied):
                await prescriptions.issue_prescription(
                    session, someone.actor, profile_id=profile.id, items=ITEMS, diagnosis="x"
                )
    rx = await _issue(await doctor(), profile)
    async with db.session_scope() as session:
        with pytest.raises(PermissionDenied):
            await prescriptions.review_prescription(session, patient.actor, rx.id, "approve")
    assert await _count() == before + 1


async def test_unknown_medicine_and_bad_items_store_nothing() -> None:
    _, profile = await patient_with_profile()
    doc = await doctor()
    before = await _count()
    bad_items = [
        ([{"medicine_id": "no-such-thing", "dosage": "1 tab", "quantity": 1}], "unknown_medicine"),
        ([{"medicine_id": RX_MEDICINE, "dosage": "", "quantity": 1}], "bad_dosage"),
        ([{"medicine_id": RX_MEDICINE, "dosage": "1 tab", "quantity": 0}], "bad_quantity"),
        ([], "no_items"),
    ]
    for items, code in bad_items:
        async with db.session_scope() as session:
            with pytest.raises(InvalidInput) as err:
                await prescriptions.issue_prescription(
                    session, doc.actor, profile_id=profile.id, items=items, diagnosis="x"
                )
            assert err.value.code == code
    assert await _count() == before


async def test_tampered_row_is_refused_on_every_read() -> None:
    patient, profile = await patient_with_profile()
    rx = await _issue(await doctor(), profile)
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        await session.execute(
            text("UPDATE prescriptions SET items = jsonb_set(items, '{0,quantity}', '50') WHERE id = :id"),
            {"id": rx.id},
        )
    async with db.session_scope() as session:
        with pytest.raises(Conflict) as err:
            await prescriptions.access_prescription_by_id(session, patient.actor, rx.id)
        assert err.value.code == "prescription_tampered"
    async with db.session_scope() as session:
        assert rx.id not in [q.id for q in await prescriptions.review_queue(session, pharmacist.actor)]
        with pytest.raises(Conflict):
            await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")


async def test_expiry() -> None:
    _, profile = await patient_with_profile()
    rx = await _issue(await doctor(), profile, validity_days=1)
    pharmacist = await make_user(Role.PHARMACIST)
    frozen = clock.FrozenClock(clock.now() + timedelta(days=1, seconds=1))
    clock.set_clock(frozen)
    try:
        async with db.session_scope() as session:
            with pytest.raises(Conflict) as err:
                await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
            assert err.value.code == "prescription_expired"
        async with db.session_scope() as session:
            assert await prescriptions.expire_prescriptions(session) >= 1
            row = await session.get(Prescription, rx.id)
            assert row is not None and row.status == "expired"
    finally:
        clock.set_clock(None)


async def test_access_by_id() -> None:
    patient, profile = await patient_with_profile()
    doc = await doctor()
    rx = await _issue(doc, profile)
    other_patient = await make_user(Role.CUSTOMER)
    other_doctor = await make_user(Role.DOCTOR)
    courier = await make_user(Role.COURIER)
    operator = await make_user(Role.OPERATOR)
    pharmacist = await make_user(Role.PHARMACIST)
    for allowed in (patient, doc, operator, pharmacist):
        async with db.session_scope() as session:
            got = await prescriptions.access_prescription_by_id(session, allowed.actor, rx.id)
            assert got.id == rx.id
    for refused in (other_patient, other_doctor, courier):
        async with db.session_scope() as session:
            with pytest.raises(NotFound):
                await prescriptions.access_prescription_by_id(session, refused.actor, rx.id)
    async with db.session_scope() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT action, actor_id FROM audit_log "
                    "WHERE object_type='prescription' AND object_id=:id"
                ),
                {"id": str(rx.id)},
            )
        ).all()
    reads = {r.actor_id for r in rows if r.action == "read"}
    denied = {r.actor_id for r in rows if r.action == "denied"}
    assert {patient.user.id, doc.user.id, operator.user.id, pharmacist.user.id} <= reads
    assert denied == {other_patient.user.id, other_doctor.user.id, courier.user.id}


async def test_system_may_draft_but_never_sign() -> None:
    _, profile = await patient_with_profile()
    doc = await doctor()
    async with db.session_scope() as session:
        draft = await prescriptions.draft_prescription(
            session, SYSTEM, profile_id=profile.id, items=ITEMS, diagnosis="suggested by triage"
        )
    async with db.session_scope() as session:
        with pytest.raises(PermissionDenied) as err:
            await prescriptions.sign_prescription(session, SYSTEM, draft.id)
        assert err.value.code == "automatic_prescribing"
    async with db.session_scope() as session:
        signed = await prescriptions.sign_prescription(session, doc.actor, draft.id)
        assert (signed.status, signed.doctor_id, signed.drafted_by) == ("signed", doc.user.id, None)


async def test_cn_rules() -> None:
    with jurisdiction("cn"):
        _, profile = await patient_with_profile()
        doc = await doctor()
        before = await _count()
        async with db.session_scope() as session:
            with pytest.raises(InvalidInput) as err:
                await prescriptions.issue_prescription(
                    session, doc.actor, profile_id=profile.id, items=ITEMS, diagnosis="otitis"
                )
            assert err.value.code == "follow_up_required"
        unverified_doc = await doctor(verified=False)
        async with db.session_scope() as session:
            with pytest.raises(PermissionDenied) as denied:
                await prescriptions.issue_prescription(
                    session,
                    unverified_doc.actor,
                    profile_id=profile.id,
                    items=ITEMS,
                    diagnosis="otitis",
                    prior_diagnosis=PRIOR,
                )
            assert denied.value.code == "real_name_doctor"
        _, unverified_profile = await patient_with_profile(verified=False)
        async with db.session_scope() as session:
            with pytest.raises(PermissionDenied) as denied:
                await prescriptions.issue_prescription(
                    session,
                    doc.actor,
                    profile_id=unverified_profile.id,
                    items=ITEMS,
                    diagnosis="otitis",
                    prior_diagnosis=PRIOR,
                )
            assert denied.value.code == "real_name_patient"
        async with db.session_scope() as session:
            with pytest.raises(InvalidInput) as err:
                await prescriptions.issue_prescription(
                    session,
                    doc.actor,
                    profile_id=profile.id,
                    items=ITEMS,
                    diagnosis="otitis",
                    prior_diagnosis=PRIOR,
                    validity_days=7,
                )
            assert err.value.code == "bad_validity"
        assert await _count() == before
        rx = await _issue(doc, profile, prior_diagnosis=PRIOR)
        assert rx.jurisdiction == "cn"
        assert rx.retain_until == rx.created_at.replace(year=rx.created_at.year + 15)
        pharmacist = await make_user(Role.PHARMACIST)
        async with db.session_scope() as session:
            await prescriptions.review_prescription(session, pharmacist.actor, rx.id, "approve")
        async with db.session_scope() as session:
            assert rx.signed_at is not None
            before_rx = rx.signed_at - timedelta(minutes=5)
            after_rx = rx.signed_at + timedelta(minutes=5)
            assert (
                await prescriptions.valid_prescription_for(
                    session, profile.id, RX_MEDICINE, ordered_at=before_rx
                )
                is None
            )
            assert (
                await prescriptions.valid_prescription_for(
                    session, profile.id, RX_MEDICINE, ordered_at=after_rx
                )
                is not None
            )


async def test_unknown_profile() -> None:
    doc = await doctor()
    async with db.session_scope() as session:
        with pytest.raises(NotFound):
            await prescriptions.issue_prescription(
                session, doc.actor, profile_id=uuid.uuid4(), items=ITEMS, diagnosis="x"
            )
