"""Reads of the consult domain: conversations, the queue, a clinician's chats, operator figures."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts import Actor, AuditAction, Role, record_access
from medrush.consult.access import access_consultation_by_id
from medrush.consult.enums import ConsultStatus
from medrush.consult.models import Attachment, Clinician, Consultation, Message, Outcome, ReadMark
from medrush.consult.staffing import staffing_for
from medrush.kernel import clock
from medrush.kernel.errors import NotFound, PermissionDenied

__all__ = [
    "attachment_for",
    "clinician_chats",
    "consultation_view",
    "message_view",
    "messages_after",
    "my_consultations",
    "operator_figures",
    "outcomes_of",
    "patient_facts_for",
    "queue_for",
    "read_marks",
]

MAX_PAGE = 500


def message_view(m: Message) -> dict[str, Any]:
    """The JSON shape of a message (also what the WebSocket sends)."""
    return {
        "type": "message",
        "consultation_id": str(m.consultation_id),
        "seq": m.seq,
        "sender_id": None if m.sender_id is None else str(m.sender_id),
        "sender_role": m.sender_role,
        "kind": m.kind,
        "text": m.text,
        "client_id": m.client_id,
        "attachment_id": None if m.attachment_id is None else str(m.attachment_id),
        "created_at": m.created_at.isoformat(),
    }


def consultation_view(c: Consultation) -> dict[str, Any]:
    """The JSON shape of a consultation."""
    return {
        "id": str(c.id),
        "profile_id": str(c.profile_id),
        "mode": c.mode,
        "specialty": c.specialty,
        "language": c.language,
        "symptoms": c.symptoms,
        "status": c.status,
        "triage": c.triage,
        "priority": c.priority,
        "clinician_id": None if c.clinician_id is None else str(c.clinician_id),
        "pharmacy_id": None if c.pharmacy_id is None else str(c.pharmacy_id),
        "last_seq": c.last_seq,
        "created_at": c.created_at.isoformat(),
        "assigned_at": None if c.assigned_at is None else c.assigned_at.isoformat(),
        "closed_at": None if c.closed_at is None else c.closed_at.isoformat(),
        "rating": c.rating,
    }


async def messages_after(
    session: AsyncSession, actor: Actor, consultation_id: uuid.UUID, after: int = 0, *, limit: int = MAX_PAGE
) -> list[Message]:
    """Messages with ``seq > after`` in order (the resume query), after an audited access check."""
    await access_consultation_by_id(session, actor, consultation_id)
    return await messages_since(session, consultation_id, after, limit=limit)


async def messages_since(
    session: AsyncSession, consultation_id: uuid.UUID, after: int, *, limit: int = MAX_PAGE
) -> list[Message]:
    """Messages with ``seq > after`` in order; callers have already checked access."""
    rows = await session.scalars(
        select(Message)
        .where(Message.consultation_id == consultation_id, Message.seq > after)
        .order_by(Message.seq)
        .limit(max(1, min(limit, MAX_PAGE)))
    )
    return list(rows.all())


async def outcomes_of(session: AsyncSession, consultation_id: uuid.UUID) -> list[Outcome]:
    """The outcomes of a consultation in order (callers have checked access)."""
    rows = await session.scalars(
        select(Outcome).where(Outcome.consultation_id == consultation_id).order_by(Outcome.created_at)
    )
    return list(rows.all())


async def read_marks(session: AsyncSession, consultation_id: uuid.UUID) -> dict[str, int]:
    """user id -> last read seq (callers have checked access)."""
    rows = await session.execute(
        select(ReadMark.user_id, ReadMark.last_read_seq).where(ReadMark.consultation_id == consultation_id)
    )
    return {str(u): int(s) for u, s in rows}


async def attachment_for(session: AsyncSession, actor: Actor, attachment_id: uuid.UUID) -> Attachment:
    """A photo, if ``actor`` may read its consultation (audited)."""
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("no such attachment")
    await access_consultation_by_id(session, actor, attachment.consultation_id)
    return attachment


async def my_consultations(session: AsyncSession, actor: Actor, *, limit: int = 50) -> list[Consultation]:
    """The caller's own consultations (as the patient's account), newest first."""
    rows = await session.scalars(
        select(Consultation)
        .where(Consultation.account_id == actor.user_id)
        .order_by(Consultation.created_at.desc())
        .limit(limit)
    )
    return list(rows.all())


async def queue_for(session: AsyncSession, actor: Actor, *, limit: int = 50) -> list[Consultation]:
    """Waiting consultations a clinician could take (their modes), by priority then arrival.

    The queue shows triage and symptoms to clinicians who may pick the request up; each listing
    is audited.
    """
    modes = [m for m in ("doctor", "pharmacist") if actor.has(m)]
    if not modes:
        raise PermissionDenied("only clinicians see the queue", code="not_a_clinician")
    rows = list(
        (
            await session.scalars(
                select(Consultation)
                .where(Consultation.status == str(ConsultStatus.WAITING), Consultation.mode.in_(modes))
                .order_by(Consultation.priority, Consultation.created_at)
                .limit(limit)
            )
        ).all()
    )
    for c in rows:
        record_access(
            session,
            actor,
            AuditAction.READ,
            "consultation",
            c.id,
            subject_account_id=c.account_id,
            detail={"as": "queue"},
        )
    return rows


async def clinician_chats(session: AsyncSession, actor: Actor) -> list[Consultation]:
    """The active consultations assigned to the calling clinician."""
    rows = await session.scalars(
        select(Consultation)
        .where(Consultation.clinician_id == actor.user_id, Consultation.status == str(ConsultStatus.ACTIVE))
        .order_by(Consultation.assigned_at)
    )
    return list(rows.all())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


async def operator_figures(
    session: AsyncSession,
    actor: Actor,
    *,
    hours: int = 24,
    target_seconds: float = 120,
    target_level: float = 0.9,
    handle_minutes: float = 12.0,
    chats_each: int = 3,
) -> dict[str, Any]:
    """Waiting now, clinicians online, wait percentiles by hour, and an Erlang C staffing suggestion."""
    if not actor.has(Role.OPERATOR):
        raise PermissionDenied("operators only")
    now = clock.now()
    since = now - timedelta(hours=hours)
    waiting = await session.scalar(
        select(func.count())
        .select_from(Consultation)
        .where(Consultation.status == str(ConsultStatus.WAITING))
    )
    online = await session.scalar(
        select(func.count()).select_from(Clinician).where(Clinician.online.is_(True))
    )
    rows = (
        await session.execute(
            text(
                "SELECT date_trunc('hour', created_at) AS hour, "
                "extract(epoch FROM coalesce(assigned_at, :now) - created_at) AS wait "
                "FROM consultations WHERE created_at >= :since AND status <> 'referred' ORDER BY 1"
            ),
            {"since": since, "now": now},
        )
    ).all()
    by_hour: dict[datetime, list[float]] = {}
    for hour, wait in rows:
        by_hour.setdefault(hour, []).append(float(wait))
    table = [
        {
            "hour": hour.isoformat(),
            "requests": len(waits),
            "p50_seconds": round(_percentile(waits, 0.5), 1),
            "p90_seconds": round(_percentile(waits, 0.9), 1),
            "p99_seconds": round(_percentile(waits, 0.99), 1),
        }
        for hour, waits in sorted(by_hour.items())
    ]
    last_hour = sum(1 for hour, _ in rows if hour >= now - timedelta(hours=1))
    peak = max((len(w) for w in by_hour.values()), default=0)
    rate = max(last_hour, peak)
    advice = staffing_for(
        rate, handle_minutes, target_seconds=target_seconds, target_level=target_level, chats_each=chats_each
    )
    return {
        "waiting_now": int(waiting or 0),
        "clinicians_online": int(online or 0),
        "wait_by_hour": table,
        "staffing": {
            "arrivals_per_hour": rate,
            "handle_minutes": handle_minutes,
            "chats_each": chats_each,
            "target": f"{round(target_level * 100)}% answered within {round(target_seconds)} s",
            "clinicians_needed": advice.clinicians,
            "service_level": round(advice.service_level, 4),
            "mean_wait_seconds": round(advice.mean_wait_seconds, 1),
            "occupancy": round(advice.occupancy, 3),
        },
    }


async def patient_facts_for(
    session: AsyncSession, actor: Actor, consultation_id: uuid.UUID
) -> dict[str, Any]:
    """The patient profile of a consultation as its clinician sees it (both reads audited)."""
    from medrush.accounts import PatientProfile

    consultation = await access_consultation_by_id(session, actor, consultation_id)
    profile = await session.get(PatientProfile, consultation.profile_id)
    if profile is None:
        raise NotFound("no such profile")
    record_access(
        session,
        actor,
        AuditAction.READ,
        "patient_profile",
        profile.id,
        subject_account_id=profile.account_id,
        detail={"via": "consultation", "consultation_id": str(consultation.id)},
    )
    today = clock.now().date()
    born = profile.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {
        "name": profile.name,
        "relationship": profile.relationship,
        "age_years": age,
        "sex": profile.sex,
        "pregnant": profile.pregnant,
        "breastfeeding": profile.breastfeeding,
        "allergies": list(profile.allergies or []),
        "conditions": list(profile.conditions or []),
        "current_medications": list(profile.current_medications or []),
        "weight_kg": profile.weight_kg,
    }
