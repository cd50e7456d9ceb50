"""Reads of the prescriptions domain; every read of one prescription checks its signature."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import Actor, AuditAction, Role, record_access
from medrush.kernel import clock, session_scope
from medrush.kernel.errors import Conflict, NotFound, PermissionDenied, Unauthenticated
from medrush.prescriptions import signing
from medrush.prescriptions.enums import PrescriptionStatus
from medrush.prescriptions.jurisdiction import profile_for
from medrush.prescriptions.models import Prescription

__all__ = [
    "access_prescription_by_id",
    "effective_status",
    "prescription_refs_for",
    "prescription_view",
    "prescriptions_of_consultation",
    "review_queue",
    "valid_prescription_for",
]


def effective_status(rx: Prescription, now: datetime | None = None) -> str:
    """The status as of ``now``: a signed or approved prescription past its validity reads ``expired``."""
    moment = now or clock.now()
    live = (PrescriptionStatus.SIGNED, PrescriptionStatus.APPROVED)
    if rx.status in live and rx.valid_until is not None and rx.valid_until <= moment:
        return str(PrescriptionStatus.EXPIRED)
    return rx.status


def _may_read(actor: Actor, rx: Prescription) -> bool:
    if actor.user_id is not None and actor.user_id == rx.account_id:
        return True
    if actor.user_id is not None and actor.user_id in (rx.doctor_id, rx.drafted_by):
        return True
    if actor.has(Role.PHARMACIST) and rx.status != PrescriptionStatus.DRAFT:
        return rx.pharmacy_id is None or actor.pharmacy_id in (None, rx.pharmacy_id)
    return actor.has(Role.OPERATOR) or actor.is_system


async def access_prescription_by_id(
    session: AsyncSession, actor: Actor, prescription_id: uuid.UUID
) -> Prescription:
    """The prescription if ``actor`` may read it (audited, signature verified); NotFound otherwise."""
    if actor.is_anonymous:
        raise Unauthenticated("sign in first")
    rx = await session.get(Prescription, prescription_id)
    if rx is None:
        raise NotFound("no such prescription")
    if not _may_read(actor, rx):
        async with session_scope() as audit:  # the refusal survives the caller's rollback
            record_access(
                audit, actor, AuditAction.DENIED, "prescription", prescription_id, reason="not involved"
            )
        raise NotFound("no such prescription")
    if rx.status != PrescriptionStatus.DRAFT:
        signing.verify(rx, rx.signature)
    record_access(session, actor, AuditAction.READ, "prescription", rx.id, subject_account_id=rx.account_id)
    return rx


def prescription_view(rx: Prescription) -> dict[str, Any]:
    """The JSON shape of a prescription."""
    return {
        "id": str(rx.id),
        "profile_id": str(rx.profile_id),
        "account_id": str(rx.account_id),
        "doctor_id": None if rx.doctor_id is None else str(rx.doctor_id),
        "consultation_id": None if rx.consultation_id is None else str(rx.consultation_id),
        "pharmacy_id": None if rx.pharmacy_id is None else str(rx.pharmacy_id),
        "jurisdiction": rx.jurisdiction,
        "diagnosis": rx.diagnosis,
        "prior_diagnosis": rx.prior_diagnosis,
        "items": rx.items,
        "status": effective_status(rx),
        "signed_at": None if rx.signed_at is None else rx.signed_at.isoformat(),
        "valid_until": None if rx.valid_until is None else rx.valid_until.isoformat(),
        "signature": rx.signature,
        "reviewed_at": None if rx.reviewed_at is None else rx.reviewed_at.isoformat(),
        "review_reason": rx.review_reason,
        "used_at": None if rx.used_at is None else rx.used_at.isoformat(),
    }


async def review_queue(session: AsyncSession, actor: Actor, *, limit: int = 50) -> list[Prescription]:
    """Signed, unexpired prescriptions waiting for a pharmacist, oldest first (each listing audited)."""
    if not actor.has(Role.PHARMACIST):
        raise PermissionDenied("only pharmacists see the review queue", code="not_a_pharmacist")
    stmt = (
        select(Prescription)
        .where(
            Prescription.status == str(PrescriptionStatus.SIGNED),
            Prescription.valid_until > clock.now(),
        )
        .order_by(Prescription.signed_at, Prescription.id)
        .limit(max(1, min(limit, 200)))
    )
    if actor.pharmacy_id is not None:
        stmt = stmt.where(
            or_(Prescription.pharmacy_id.is_(None), Prescription.pharmacy_id == actor.pharmacy_id)
        )
    rows = list((await session.scalars(stmt)).all())
    good = []
    for rx in rows:
        try:
            signing.verify(rx, rx.signature)
        except Conflict:
            continue  # a tampered row is never offered for approval
        record_access(
            session, actor, AuditAction.READ, "prescription", rx.id, subject_account_id=rx.account_id
        )
        good.append(rx)
    return good


async def valid_prescription_for(
    session: AsyncSession,
    profile_id: uuid.UUID,
    medicine_id: str,
    *,
    ordered_at: datetime | None = None,
) -> Prescription | None:
    """An approved, unexpired, untampered prescription of ``profile_id`` covering ``medicine_id``."""
    now = clock.now()
    rows = await session.scalars(
        select(Prescription)
        .where(
            Prescription.profile_id == profile_id,
            Prescription.status == str(PrescriptionStatus.APPROVED),
            Prescription.valid_until > now,
            Prescription.items.contains([{"medicine_id": medicine_id}]),
        )
        .order_by(Prescription.signed_at)
    )
    for rx in rows:
        try:
            signing.verify(rx, rx.signature)
        except Conflict:
            continue
        if profile_for(rx.jurisdiction).prescription_counts_for(rx.signed_at, ordered_at):
            return rx
    return None


async def prescription_refs_for(session: AsyncSession, profile_id: uuid.UUID) -> list[dict[str, Any]]:
    """The profile's live prescriptions in the safety engine's ``PrescriptionRef`` shape."""
    rows = await session.scalars(
        select(Prescription).where(
            Prescription.profile_id == profile_id,
            Prescription.status.in_([str(PrescriptionStatus.SIGNED), str(PrescriptionStatus.APPROVED)]),
        )
    )
    refs: list[dict[str, Any]] = []
    for rx in rows:
        for item in rx.items:
            refs.append(
                {
                    "medicine_id": item["medicine_id"],
                    "status": effective_status(rx),
                    "valid_until": rx.valid_until,
                }
            )
    return refs


async def prescriptions_of_consultation(
    session: AsyncSession, consultation_id: uuid.UUID
) -> list[Prescription]:
    """The prescriptions written in one consultation, oldest first (callers have checked access)."""
    rows = await session.scalars(
        select(Prescription)
        .where(Prescription.consultation_id == consultation_id)
        .order_by(Prescription.created_at, Prescription.id)
    )
    return list(rows.all())
