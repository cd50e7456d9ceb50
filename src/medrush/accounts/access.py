"""Gatekeepers: the only way to reach a patient profile or an address by id.

Each reachable object is read through ``access_*_by_id(session, actor, id)``, which checks the
actor's right one condition at a time and writes an audit row. A refusal is audited too, and the
caller learns only "not found", so ids of other people's data cannot be probed.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts.actor import Actor
from medrush.accounts.audit import record_access, record_denied
from medrush.accounts.enums import AuditAction, Role
from medrush.accounts.models import Address, PatientProfile
from medrush.kernel.errors import NotFound, Unauthenticated

__all__ = ["access_address_by_id", "access_profile_by_id", "can_read_account_health_data"]


def can_read_account_health_data(actor: Actor, account_id: uuid.UUID) -> bool:
    """True when ``actor`` may read the health data held under ``account_id``."""
    if actor.user_id == account_id:
        return True
    return actor.has(Role.OPERATOR)


async def access_profile_by_id(
    session: AsyncSession,
    actor: Actor,
    profile_id: uuid.UUID,
    *,
    action: AuditAction = AuditAction.READ,
    for_update: bool = False,
) -> PatientProfile:
    """The profile if ``actor`` may touch it (audited); NotFound otherwise (refusal audited)."""
    if actor.is_anonymous:
        raise Unauthenticated("sign in first")
    profile = await session.get(PatientProfile, profile_id, with_for_update=for_update)
    if profile is None:
        raise NotFound("no such profile")
    owner = actor.user_id == profile.account_id
    reading = action in (AuditAction.READ, AuditAction.EXPORT) and not for_update
    if not (
        owner or actor.is_system or (reading and can_read_account_health_data(actor, profile.account_id))
    ):
        await record_denied(actor, "patient_profile", profile_id, f"{action} refused: not the owner")
        raise NotFound("no such profile")
    record_access(
        session, actor, action, "patient_profile", profile.id, subject_account_id=profile.account_id
    )
    return profile


async def access_address_by_id(
    session: AsyncSession, actor: Actor, address_id: uuid.UUID, *, for_update: bool = False
) -> Address:
    """The address if it belongs to ``actor`` (operators may read); NotFound otherwise."""
    address = await session.get(Address, address_id, with_for_update=for_update)
    if address is None:
        raise NotFound("no such address")
    if address.account_id != actor.user_id and not (actor.has(Role.OPERATOR) and not for_update):
        raise NotFound("no such address")
    return address
