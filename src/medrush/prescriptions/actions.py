"""Writes of the prescriptions domain: draft, sign, review, mark used, expire.

Every state change is a single guarded statement or runs on a row locked ``FOR UPDATE``, so two
pharmacists cannot both decide and two checkouts cannot both use one prescription.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import catalog
from medrush.accounts import Actor, AuditAction, PatientProfile, Role, User, record_access
from medrush.kernel import clock, emit
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from medrush.kernel.ids import new_id
from medrush.prescriptions import signing
from medrush.prescriptions.enums import PrescriptionStatus, ReviewDecision
from medrush.prescriptions.jurisdiction import JurisdictionProfile, active_profile
from medrush.prescriptions.models import Prescription

__all__ = [
    "MAX_ITEMS",
    "draft_prescription",
    "expire_prescriptions",
    "issue_prescription",
    "mark_used",
    "release_use",
    "review_prescription",
    "sign_prescription",
]

MAX_ITEMS = 10
MAX_QUANTITY = 100
SIGNED = "prescriptions.signed"
REVIEWED = "prescriptions.reviewed"
USED = "prescriptions.used"
RELEASED = "prescriptions.released"


def _clean_items(raw_items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if not raw_items:
        raise InvalidInput("a prescription needs at least one item", code="no_items")
    if len(raw_items) > MAX_ITEMS:
        raise InvalidInput("at most {max_items} items", code="too_many_items", max_items=MAX_ITEMS)
    items: list[dict[str, Any]] = []
    index = catalog.current_index() or catalog.search_index()
    for raw in raw_items:
        medicine_id = str(raw.get("medicine_id") or "").strip()
        product = index.get(medicine_id) if medicine_id else None
        if product is None:
            raise InvalidInput(
                "unknown medicine {medicine_id!r}", code="unknown_medicine", medicine_id=medicine_id
            )
        dosage = str(raw.get("dosage") or "").strip()
        if not 1 <= len(dosage) <= 300:
            raise InvalidInput("each item needs a dosage of 1 to 300 characters", code="bad_dosage")
        quantity = raw.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidInput(
                "quantity must be a whole number 1 to {max_quantity}",
                code="bad_quantity",
                max_quantity=MAX_QUANTITY,
            )
        items.append(
            {
                "medicine_id": product.id,
                "name": product.name_en,
                "ingredients": sorted(i.name for i in product.ingredients),
                "rx_class": product.rx_class,
                "dosage": dosage,
                "quantity": quantity,
            }
        )
    return items


async def draft_prescription(
    session: AsyncSession,
    actor: Actor,
    *,
    profile_id: uuid.UUID,
    items: Sequence[dict[str, Any]],
    diagnosis: str,
    prior_diagnosis: dict[str, Any] | None = None,
    consultation_id: uuid.UUID | None = None,
    pharmacy_id: uuid.UUID | None = None,
    validity_days: int = 3,
) -> Prescription:
    """A suggested prescription (a doctor or software drafts it); it is nothing until a doctor signs."""
    if not (actor.is_system or actor.has(Role.DOCTOR)):
        raise PermissionDenied("only a doctor drafts prescriptions", code="not_a_doctor")
    diagnosis = diagnosis.strip()
    if not 1 <= len(diagnosis) <= 500:
        raise InvalidInput("diagnosis must be 1 to 500 characters", code="bad_diagnosis")
    clean = _clean_items(items)
    profile = await session.get(PatientProfile, profile_id)
    if profile is None:
        raise NotFound("no such profile")
    rules = active_profile()
    rules.check_validity(validity_days)
    now = clock.now()
    rx = Prescription(
        id=new_id(),
        profile_id=profile.id,
        account_id=profile.account_id,
        drafted_by=actor.user_id,
        consultation_id=consultation_id,
        pharmacy_id=pharmacy_id,
        jurisdiction=rules.code,
        diagnosis=diagnosis,
        prior_diagnosis=prior_diagnosis or None,
        items=clean,
        status=str(PrescriptionStatus.DRAFT),
        validity_days=validity_days,
        created_at=now,
        retain_until=rules.retain_until(now),
    )
    session.add(rx)
    record_access(
        session, actor, AuditAction.CREATE, "prescription", rx.id, subject_account_id=profile.account_id
    )
    await session.flush()
    return rx


async def sign_prescription(session: AsyncSession, actor: Actor, prescription_id: uuid.UUID) -> Prescription:
    """A doctor signs a draft: the jurisdiction's rules are checked and the content is sealed."""
    rules = active_profile()
    rules.check_can_sign(actor)
    rx = await session.get(Prescription, prescription_id, with_for_update=True)
    if rx is None:
        raise NotFound("no such prescription")
    if rx.status != PrescriptionStatus.DRAFT:
        raise Conflict("this prescription is already {status}", code="not_a_draft", status=rx.status)
    await _check_people(session, rules, actor, rx)
    rules.check_prior_diagnosis(rx.prior_diagnosis, clock.now().date())
    rules.check_validity(rx.validity_days)
    now = clock.now()
    rx.doctor_id = actor.user_id
    rx.signed_at = now
    rx.valid_until = now + timedelta(days=rx.validity_days)
    rx.jurisdiction = rules.code
    rx.signature = signing.sign(rx)
    rx.status = str(PrescriptionStatus.SIGNED)
    record_access(
        session,
        actor,
        AuditAction.UPDATE,
        "prescription",
        rx.id,
        subject_account_id=rx.account_id,
        detail={"signed": True},
    )
    await emit(session, SIGNED, {"prescription_id": str(rx.id), "profile_id": str(rx.profile_id)})
    await session.flush()
    return rx


async def _check_people(
    session: AsyncSession, rules: JurisdictionProfile, actor: Actor, rx: Prescription
) -> None:
    doctor = await session.get(User, actor.user_id)
    patient = await session.get(User, rx.account_id)
    if doctor is None or patient is None:
        raise NotFound("no such user")
    rules.check_real_names(doctor.real_name_verified_at, patient.real_name_verified_at)


async def issue_prescription(
    session: AsyncSession,
    actor: Actor,
    *,
    profile_id: uuid.UUID,
    items: Sequence[dict[str, Any]],
    diagnosis: str,
    prior_diagnosis: dict[str, Any] | None = None,
    consultation_id: uuid.UUID | None = None,
    pharmacy_id: uuid.UUID | None = None,
    validity_days: int = 3,
) -> Prescription:
    """A doctor writes and signs a prescription in one step; it then waits for a pharmacist's review."""
    active_profile().check_can_sign(actor)
    async with session.begin_nested():  # a refused signature leaves no draft behind
        rx = await draft_prescription(
            session,
            actor,
            profile_id=profile_id,
            items=items,
            diagnosis=diagnosis,
            prior_diagnosis=prior_diagnosis,
            consultation_id=consultation_id,
            pharmacy_id=pharmacy_id,
            validity_days=validity_days,
        )
        return await sign_prescription(session, actor, rx.id)


async def review_prescription(
    session: AsyncSession,
    actor: Actor,
    prescription_id: uuid.UUID,
    decision: ReviewDecision | str,
    *,
    reason: str | None = None,
) -> Prescription:
    """A pharmacist approves or rejects (with a reason) a signed prescription; the decision is audited."""
    if not actor.has(Role.PHARMACIST):
        raise PermissionDenied("only a pharmacist reviews prescriptions", code="not_a_pharmacist")
    try:
        choice = ReviewDecision(decision)
    except ValueError:
        raise InvalidInput("decision must be approve or reject", code="bad_decision") from None
    note = (reason or "").strip()
    if choice == ReviewDecision.REJECT and not 3 <= len(note) <= 500:
        raise InvalidInput("a rejection needs a reason of 3 to 500 characters", code="reason_required")
    rx = await session.get(Prescription, prescription_id, with_for_update=True)
    if rx is None or rx.status == PrescriptionStatus.DRAFT:
        raise NotFound("no such prescription")
    if rx.pharmacy_id is not None and actor.pharmacy_id not in (None, rx.pharmacy_id):
        raise NotFound("no such prescription")
    signing.verify(rx, rx.signature)
    now = clock.now()
    if rx.status != PrescriptionStatus.SIGNED:
        raise Conflict("this prescription is already {status}", code="already_reviewed", status=rx.status)
    if rx.valid_until is not None and rx.valid_until <= now:
        raise Conflict("this prescription has expired", code="prescription_expired")
    rx.status = str(
        PrescriptionStatus.APPROVED if choice == ReviewDecision.APPROVE else PrescriptionStatus.REJECTED
    )
    rx.reviewed_by = actor.user_id
    rx.reviewed_at = now
    rx.review_reason = note or None
    record_access(
        session,
        actor,
        AuditAction.UPDATE,
        "prescription",
        rx.id,
        subject_account_id=rx.account_id,
        detail={"decision": str(choice)},
        reason=note or None,
    )
    await emit(
        session,
        REVIEWED,
        {"prescription_id": str(rx.id), "decision": str(choice), "consultation_id": str(rx.consultation_id)},
    )
    await session.flush()
    return rx


async def mark_used(session: AsyncSession, prescription_id: uuid.UUID, *, ref: str) -> Prescription:
    """Mark an approved, unexpired prescription used by ``ref`` (an order); it cannot be used twice."""
    rx = await session.get(Prescription, prescription_id)
    if rx is None:
        raise NotFound("no such prescription")
    signing.verify(rx, rx.signature)
    now = clock.now()
    row = await session.execute(
        update(Prescription)
        .where(
            Prescription.id == prescription_id,
            Prescription.status == str(PrescriptionStatus.APPROVED),
            Prescription.valid_until > now,
        )
        .values(status=str(PrescriptionStatus.USED), used_at=now, used_ref=ref[:80])
        .returning(Prescription.id)
    )
    if row.scalar_one_or_none() is None:
        raise Conflict(
            "this prescription is not approved, has expired or was already used",
            code="prescription_not_usable",
        )
    await session.refresh(rx)
    await emit(session, USED, {"prescription_id": str(rx.id), "ref": ref})
    return rx


async def release_use(session: AsyncSession, prescription_id: uuid.UUID, *, ref: str) -> bool:
    """Give back a prescription that ``ref`` (an order) spent but whose medicine never reached the
    patient: the order was cancelled before a courier picked it up. It is ``approved`` again while
    still valid, else ``expired``. True when it was given back; False when ``ref`` did not hold it.
    """
    now = clock.now()
    row = (
        await session.execute(
            update(Prescription)
            .where(
                Prescription.id == prescription_id,
                Prescription.status == str(PrescriptionStatus.USED),
                Prescription.used_ref == ref[:80],
            )
            .values(
                status=case(
                    (Prescription.valid_until > now, str(PrescriptionStatus.APPROVED)),
                    else_=str(PrescriptionStatus.EXPIRED),
                ),
                used_at=None,
                used_ref=None,
            )
            .returning(Prescription.status)
        )
    ).first()
    if row is None:
        return False
    await emit(session, RELEASED, {"prescription_id": str(prescription_id), "ref": ref, "status": row[0]})
    return True


async def expire_prescriptions(session: AsyncSession) -> int:
    """Move signed or approved prescriptions past their validity to ``expired``; returns how many."""
    result = await session.execute(
        update(Prescription)
        .where(
            Prescription.status.in_([str(PrescriptionStatus.SIGNED), str(PrescriptionStatus.APPROVED)]),
            Prescription.valid_until <= clock.now(),
        )
        .values(status=str(PrescriptionStatus.EXPIRED))
        .returning(Prescription.id)
    )
    return len(result.all())
