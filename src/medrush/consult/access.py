"""Gatekeeper: the only way to reach a consultation by id.

Readers are the patient's account, the clinicians assigned to it (now or earlier) and operators
(audited as such). Writers are the patient and the clinician assigned now. Every read writes an
audit row; a refusal is audited in its own transaction and answered "not found".
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import Actor, AuditAction, Role, record_access
from medrush.consult.models import Consultation
from medrush.kernel import session_scope
from medrush.kernel.errors import NotFound, Unauthenticated

__all__ = ["access_consultation_by_id", "is_participant", "role_in"]


def role_in(actor: Actor, consultation: Consultation) -> str | None:
    """``patient``, ``clinician`` (assigned now), ``past_clinician``, ``operator`` or None."""
    if actor.user_id is None:
        return "system" if actor.is_system else None
    if actor.user_id == consultation.account_id:
        return "patient"
    if actor.user_id == consultation.clinician_id:
        return "clinician"
    if actor.user_id in (consultation.clinician_ids or []):
        return "past_clinician"
    if actor.has(Role.OPERATOR):
        return "operator"
    return None


def is_participant(actor: Actor, consultation: Consultation) -> bool:
    """True for the patient and the clinician assigned now (those who may write)."""
    return role_in(actor, consultation) in ("patient", "clinician")


async def access_consultation_by_id(
    session: AsyncSession,
    actor: Actor,
    consultation_id: uuid.UUID,
    *,
    write: bool = False,
    for_update: bool = False,
    action: AuditAction = AuditAction.READ,
) -> Consultation:
    """The consultation if ``actor`` may read (or, with ``write``, change) it; NotFound otherwise."""
    if actor.is_anonymous:
        raise Unauthenticated("sign in first")
    consultation = await session.get(Consultation, consultation_id, with_for_update=for_update)
    if consultation is None:
        raise NotFound("no such consultation")
    role = role_in(actor, consultation)
    allowed = role is not None and (not write or role in ("patient", "clinician", "system"))
    if not allowed:
        async with session_scope() as audit:  # the refusal survives the caller's rollback
            record_access(
                audit,
                actor,
                AuditAction.DENIED,
                "consultation",
                consultation_id,
                subject_account_id=consultation.account_id,
                reason=f"{'write' if write else 'read'} refused: not involved",
            )
        raise NotFound("no such consultation")
    record_access(
        session,
        actor,
        action if not write else AuditAction.UPDATE,
        "consultation",
        consultation.id,
        subject_account_id=consultation.account_id,
        detail={"as": role},
        reason="operator access" if role == "operator" else None,
    )
    return consultation
