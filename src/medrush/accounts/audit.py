"""The audit log of health-data access: who read or changed what, when, and whether it was allowed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts.actor import Actor
from medrush.accounts.enums import AuditAction, Role
from medrush.accounts.models import AuditEntry
from medrush.kernel import clock, db
from medrush.kernel.errors import InvalidInput, PermissionDenied

__all__ = ["query_audit", "record_access", "record_denied"]


def record_access(
    session: AsyncSession,
    actor: Actor,
    action: AuditAction,
    object_type: str,
    object_id: object,
    *,
    subject_account_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Add an audit row to the caller's transaction (it commits or rolls back with the change)."""
    session.add(
        AuditEntry(
            at=clock.now(),
            actor_id=actor.user_id,
            actor_roles=sorted(actor.roles),
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            subject_account_id=subject_account_id,
            ip=actor.ip,
            request_id=actor.request_id,
            detail=detail or {},
            reason=reason,
        )
    )


async def record_denied(actor: Actor, object_type: str, object_id: object, reason: str) -> None:
    """Record a refused access in its own transaction, so the refusal survives the caller's rollback."""
    async with db.session_scope() as session:
        record_access(session, actor, AuditAction.DENIED, object_type, object_id, reason=reason)


async def query_audit(
    session: AsyncSession,
    actor: Actor,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: uuid.UUID | None = None,
    subject_account_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Audit rows matching the filters, newest first; operators only."""
    if not actor.has(Role.OPERATOR):
        raise PermissionDenied("only operators can read the audit log")
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit must be between 1 and 1000")
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if actor_id:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if subject_account_id:
        stmt = stmt.where(AuditEntry.subject_account_id == subject_account_id)
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    if until:
        stmt = stmt.where(AuditEntry.at < until)
    return list((await session.scalars(stmt)).all())
