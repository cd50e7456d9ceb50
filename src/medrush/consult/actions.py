"""Writes of the consult domain: presence, opening (with triage), routing, chat, outcomes, closing.

Sequence numbers come from ``UPDATE consultations SET last_seq = last_seq + 1 ... RETURNING``,
which locks the conversation's row, so messages of one conversation are numbered 1, 2, 3 ...
without gaps even when both sides write at once; a resent ``client_id`` returns the stored
message instead of a copy. Routing runs under a transaction-level advisory lock, so two
processes never hand one clinician more chats than their capacity.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import prescriptions
from medrush.accounts import Actor, AuditAction, PatientProfile, Role, record_access
from medrush.consult import triage as triage_port
from medrush.consult.access import access_consultation_by_id, role_in
from medrush.consult.attachments import sniff_image
from medrush.consult.enums import ConsultStatus, MessageKind, Mode, OutcomeKind, SenderRole
from medrush.consult.models import Attachment, Clinician, Consultation, Message, Outcome, ReadMark
from medrush.consult.routing import ClinicianSlot, WaitingRequest, assign
from medrush.kernel import clock, emit
from medrush.kernel.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from medrush.kernel.i18n import N_, gettext
from medrush.kernel.ids import new_id

__all__ = [
    "MAX_TEXT",
    "QUICK_REPLIES",
    "Posted",
    "add_attachment",
    "close_consultation",
    "mark_read",
    "open_consultation",
    "pick_up",
    "post_message",
    "rate_consultation",
    "record_outcome",
    "route_waiting",
    "set_presence",
]

MAX_TEXT = 4000
JOINED = N_("A clinician has joined the conversation.")
ENDED = N_("The consultation has ended.")
LANGUAGES = ("en", "zh", "ko")
SPECIALTIES = ("general", "pediatrics", "dermatology", "ent", "gynecology", "internal", "pharmacy")
ROUTING_LOCK = 0x6D65_6472_7573_6801  # "medrush" + 1: one router at a time across processes
QUICK_REPLIES = {  # buttons in the clinician's language, sent in the consultation's (N_: `make messages`)
    "greeting": N_("Hello, I am the clinician on duty. I have read your description."),
    "how_long": N_("How long have you had these symptoms?"),
    "temperature": N_("What is your temperature now?"),
    "allergies": N_("Do you have any drug allergies?"),
    "photo": N_("Could you send a photo of the affected area?"),
    "rest": N_("Rest, drink plenty of water, and contact us again if it gets worse."),
}


@dataclass(frozen=True, slots=True)
class Posted:
    """A message as stored, and whether this call created it (False for a resent ``client_id``)."""

    message: Message
    created: bool


def _is_clinician(actor: Actor) -> bool:
    return actor.has(Role.DOCTOR) or actor.has(Role.PHARMACIST)


async def set_presence(
    session: AsyncSession,
    actor: Actor,
    *,
    online: bool,
    specialties: list[str] | None = None,
    languages: list[str] | None = None,
    capacity: int | None = None,
) -> Clinician:
    """A clinician goes online or offline (and may update skills and parallel-chat capacity)."""
    if actor.user_id is None or not _is_clinician(actor):
        raise PermissionDenied("only doctors and pharmacists take consultations", code="not_a_clinician")
    row = await session.get(Clinician, actor.user_id, with_for_update=True)
    modes = [m for m in (Mode.DOCTOR, Mode.PHARMACIST) if actor.has(str(m))]
    if row is None:
        row = Clinician(
            user_id=actor.user_id,
            online=False,
            modes=[str(m) for m in modes],
            specialties=["general"],
            languages=[actor.locale if actor.locale in LANGUAGES else "en"],
            capacity=3,
            active_count=0,
            updated_at=clock.now(),
        )
        session.add(row)
    if specialties is not None:
        bad = sorted(set(specialties) - set(SPECIALTIES))
        if bad or not specialties:
            raise InvalidInput(
                "unknown specialty {specialty!r}", code="bad_specialty", specialty=bad[0] if bad else ""
            )
        row.specialties = sorted(set(specialties))
    if languages is not None:
        if not languages or set(languages) - set(LANGUAGES):
            raise InvalidInput("languages are en, zh and ko", code="bad_language")
        row.languages = sorted(set(languages))
    if capacity is not None:
        if not 1 <= capacity <= 10:
            raise InvalidInput("capacity must be 1 to 10 parallel chats", code="bad_capacity")
        row.capacity = capacity
    row.modes = [str(m) for m in modes]
    row.online = online
    row.updated_at = clock.now()
    await session.flush()
    return row


async def _append(
    session: AsyncSession,
    consultation_id: uuid.UUID,
    *,
    sender_id: uuid.UUID | None,
    role: SenderRole,
    kind: MessageKind,
    body: str,
    client_id: str | None = None,
    attachment_id: uuid.UUID | None = None,
) -> Message:
    seq = await session.scalar(
        update(Consultation)
        .where(Consultation.id == consultation_id)
        .values(last_seq=Consultation.last_seq + 1)
        .returning(Consultation.last_seq)
    )
    if seq is None:
        raise NotFound("no such consultation")
    message = Message(
        consultation_id=consultation_id,
        seq=seq,
        sender_id=sender_id,
        sender_role=str(role),
        kind=str(kind),
        text=body,
        client_id=client_id,
        attachment_id=attachment_id,
        created_at=clock.now(),
    )
    session.add(message)
    await session.flush()
    return message


async def open_consultation(
    session: AsyncSession,
    actor: Actor,
    *,
    profile_id: uuid.UUID,
    mode: str,
    symptoms: str,
    specialty: str = "general",
    language: str = "en",
    pharmacy_id: uuid.UUID | None = None,
) -> Consultation:
    """A patient asks for help for one of their profiles; triage runs first.

    An emergency is answered at once with the referral (status ``referred``) and never queued.
    """
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    try:
        chosen = Mode(mode)
    except ValueError:
        raise InvalidInput("mode must be doctor or pharmacist", code="bad_mode") from None
    if specialty not in SPECIALTIES:
        raise InvalidInput("unknown specialty {specialty!r}", code="bad_specialty", specialty=specialty)
    if language not in LANGUAGES:
        raise InvalidInput("language must be en, zh or ko", code="bad_language")
    symptoms = symptoms.strip()
    if not 3 <= len(symptoms) <= MAX_TEXT:
        raise InvalidInput(
            "describe the symptoms in 3 to {max_text} characters", code="bad_symptoms", max_text=MAX_TEXT
        )
    profile = await session.get(PatientProfile, profile_id)
    if profile is None or profile.account_id != actor.user_id:
        raise NotFound("no such profile")
    record_access(
        session, actor, AuditAction.READ, "patient_profile", profile.id, subject_account_id=actor.user_id
    )
    rules = prescriptions.active_profile()
    now = clock.now()
    verdict = triage_port.triage(
        symptoms, triage_port.patient_facts(profile, now.date()), language, rules.code
    )
    consultation = Consultation(
        id=new_id(),
        account_id=actor.user_id,
        profile_id=profile.id,
        mode=str(chosen),
        specialty=specialty,
        language=language,
        symptoms=symptoms,
        triage_level=verdict.level,
        triage={"level": verdict.level, "findings": verdict.findings},
        priority=verdict.priority,
        status=str(ConsultStatus.REFERRED if verdict.emergency else ConsultStatus.WAITING),
        clinician_ids=[],
        pharmacy_id=pharmacy_id,
        last_seq=0,
        created_at=now,
        closed_at=now if verdict.emergency else None,
        retain_until=rules.retain_until(now),
    )
    session.add(consultation)
    record_access(
        session, actor, AuditAction.CREATE, "consultation", consultation.id, subject_account_id=actor.user_id
    )
    await session.flush()
    await _append(
        session,
        consultation.id,
        sender_id=actor.user_id,
        role=SenderRole.PATIENT,
        kind=MessageKind.TEXT,
        body=symptoms,
    )
    if verdict.emergency:
        advice = "; ".join(f["message"] for f in verdict.findings if f["severity"] == "emergency")
        await _append(
            session,
            consultation.id,
            sender_id=None,
            role=SenderRole.SYSTEM,
            kind=MessageKind.SYSTEM,
            body=advice,
        )
        session.add(
            Outcome(
                consultation_id=consultation.id,
                clinician_id=uuid.UUID(int=0),
                kind=str(OutcomeKind.REFERRAL),
                data={"reason": advice, "by": "triage"},
                created_at=now,
            )
        )
    await emit(session, "consult.opened", {"consultation_id": str(consultation.id), "level": verdict.level})
    return consultation


async def _assign(session: AsyncSession, consultation: Consultation, clinician: Clinician) -> None:
    now = clock.now()
    consultation.status = str(ConsultStatus.ACTIVE)
    consultation.clinician_id = clinician.user_id
    consultation.clinician_ids = [*(consultation.clinician_ids or []), clinician.user_id]
    consultation.assigned_at = now
    clinician.active_count += 1
    clinician.last_assigned_at = now
    await _append(
        session,
        consultation.id,
        sender_id=None,
        role=SenderRole.SYSTEM,
        kind=MessageKind.SYSTEM,
        body=gettext(consultation.language, JOINED),
    )


async def route_waiting(session: AsyncSession, *, limit: int = 1000) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Hand waiting consultations to online clinicians with a free slot; returns the pairs made."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROUTING_LOCK})
    # Plain SQL on purpose: ORM row loading costs ~0.2 ms a row here, more than routing itself.
    clinician_rows = (
        await session.execute(
            text(
                "SELECT user_id, modes, languages, specialties, capacity, active_count, last_assigned_at "
                "FROM consult_clinicians WHERE online AND active_count < capacity ORDER BY user_id FOR UPDATE"
            )
        )
    ).all()
    if not clinician_rows:
        return []
    waiting_rows = (
        await session.execute(
            text(
                "SELECT id, mode, language, specialty, priority, created_at FROM consultations "
                "WHERE status = 'waiting' ORDER BY priority, created_at LIMIT :limit FOR UPDATE SKIP LOCKED"
            ),
            {"limit": limit},
        )
    ).all()
    slots = [
        ClinicianSlot(uid, frozenset(modes), frozenset(langs), frozenset(specs), cap, active, last)
        for uid, modes, langs, specs, cap, active, last in clinician_rows
    ]
    requests = [WaitingRequest(*row) for row in waiting_rows]
    now = clock.now()
    pairs = assign(requests, slots, now)
    if pairs:
        await _apply_assignments(session, pairs, slots, now)
    return pairs


_ASSIGN_MANY = text(
    """
    WITH moved AS (
        UPDATE consultations AS c
        SET status = 'active', clinician_id = v.clinician_id, assigned_at = :now,
            clinician_ids = array_append(c.clinician_ids, v.clinician_id), last_seq = c.last_seq + 1
        FROM (
            SELECT unnest(CAST(:ids AS uuid[])) AS id, unnest(CAST(:clinicians AS uuid[])) AS clinician_id
        ) AS v
        WHERE c.id = v.id AND c.status = 'waiting'
        RETURNING c.id, c.last_seq
    )
    INSERT INTO consult_messages (consultation_id, seq, sender_role, kind, text, created_at)
    SELECT moved.id, moved.last_seq, 'system', 'system', :joined, :now FROM moved
    """
)
_LOAD_MANY = text(
    """
    UPDATE consult_clinicians AS k
    SET active_count = v.active, last_assigned_at = :now, updated_at = :now
    FROM (SELECT unnest(CAST(:ids AS uuid[])) AS id, unnest(CAST(:actives AS int[])) AS active) AS v
    WHERE k.user_id = v.id
    """
)


async def _apply_assignments(
    session: AsyncSession, pairs: list[tuple[uuid.UUID, uuid.UUID]], slots: list[ClinicianSlot], now: Any
) -> None:
    """Write a routing round in three statements, whatever its size (1,000 pairs stay well under 100 ms)."""
    await session.execute(
        _ASSIGN_MANY,
        {"ids": [p[0] for p in pairs], "clinicians": [p[1] for p in pairs], "now": now, "joined": JOINED},
    )
    touched = {p[1] for p in pairs}
    changed = [s for s in slots if s.user_id in touched]
    await session.execute(
        _LOAD_MANY, {"ids": [s.user_id for s in changed], "actives": [s.active for s in changed], "now": now}
    )
    session.expire_all()  # the ORM copies loaded above are stale now


async def pick_up(session: AsyncSession, actor: Actor, consultation_id: uuid.UUID) -> Consultation:
    """A clinician takes a waiting consultation of their mode from the queue."""
    if actor.user_id is None or not _is_clinician(actor):
        raise PermissionDenied("only doctors and pharmacists take consultations", code="not_a_clinician")
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROUTING_LOCK})
    clinician = await session.get(Clinician, actor.user_id, with_for_update=True)
    if clinician is None:
        clinician = await set_presence(session, actor, online=True)
    consultation = await session.get(Consultation, consultation_id, with_for_update=True)
    if consultation is None or not actor.has(consultation.mode):
        raise NotFound("no such consultation")
    if consultation.status != ConsultStatus.WAITING:
        raise Conflict("someone else has taken this consultation", code="already_taken")
    if clinician.active_count >= clinician.capacity:
        raise Conflict("you already have as many chats open as your capacity", code="at_capacity")
    await _assign(session, consultation, clinician)
    record_access(
        session,
        actor,
        AuditAction.READ,
        "consultation",
        consultation.id,
        subject_account_id=consultation.account_id,
        detail={"as": "clinician", "picked_up": True},
    )
    return consultation


_FAST_TEXT = text(
    """
    WITH bump AS (
        UPDATE consultations SET last_seq = last_seq + 1
        WHERE id = :cid AND status IN ('waiting', 'active')
          AND (account_id = :me OR clinician_id = :me)
          AND NOT EXISTS (
              SELECT 1 FROM consult_messages
              WHERE consultation_id = :cid AND sender_id = :me AND client_id = :client
          )
        RETURNING last_seq, account_id
    )
    INSERT INTO consult_messages
        (consultation_id, seq, sender_id, sender_role, kind, text, client_id, created_at)
    SELECT :cid, bump.last_seq, :me,
           CASE WHEN bump.account_id = :me THEN 'patient' ELSE 'clinician' END,
           'text', :body, :client, :at
    FROM bump
    RETURNING id, seq, sender_role
    """
)


async def _post_text_fast(
    session: AsyncSession, me: uuid.UUID, consultation_id: uuid.UUID, body: str, client_id: str | None
) -> Message | None:
    """The common case in one statement: a participant's new text in an open conversation.

    Returns None whenever anything is unusual (not a participant, closed, a resent client id),
    and the caller takes the careful path, which explains the refusal and audits it.
    """
    at = clock.now()
    try:
        async with session.begin_nested():
            row = (
                await session.execute(
                    _FAST_TEXT,
                    {"cid": consultation_id, "me": me, "client": client_id, "body": body, "at": at},
                )
            ).first()
    except IntegrityError:  # the same client id raced in from another connection
        return None
    if row is None:
        return None
    return Message(
        id=row.id,
        consultation_id=consultation_id,
        seq=row.seq,
        sender_id=me,
        sender_role=row.sender_role,
        kind=str(MessageKind.TEXT),
        text=body,
        client_id=client_id,
        attachment_id=None,
        created_at=at,
    )


async def post_message(
    session: AsyncSession,
    actor: Actor,
    consultation_id: uuid.UUID,
    *,
    body: str,
    client_id: str | None = None,
    kind: MessageKind = MessageKind.TEXT,
    attachment_id: uuid.UUID | None = None,
) -> Posted:
    """Add a message to an open conversation; a resent ``client_id`` returns the first copy."""
    body = body.strip()
    if kind in (MessageKind.TEXT, MessageKind.QUICK_REPLY) and not 1 <= len(body) <= MAX_TEXT:
        raise InvalidInput("a message is 1 to {max_text} characters", code="bad_text", max_text=MAX_TEXT)
    if client_id is not None and not 1 <= len(client_id) <= 64:
        raise InvalidInput("client_id is 1 to 64 characters", code="bad_client_id")
    if "\x00" in body or (client_id is not None and "\x00" in client_id):
        # the chat socket has no HTTP error handler to turn the database's refusal into a message
        raise InvalidInput("text must not contain NUL characters", code="invalid_text")
    if kind == MessageKind.TEXT and attachment_id is None and actor.user_id is not None:
        fast = await _post_text_fast(session, actor.user_id, consultation_id, body, client_id)
        if fast is not None:
            return Posted(fast, True)
    if client_id is not None:
        existing = await session.scalar(
            select(Message).where(
                Message.consultation_id == consultation_id,
                Message.sender_id == actor.user_id,
                Message.client_id == client_id,
            )
        )
        if existing is not None:
            return Posted(existing, False)
    consultation = await access_consultation_by_id(session, actor, consultation_id, write=True)
    if consultation.status in (ConsultStatus.CLOSED, ConsultStatus.REFERRED):
        raise Conflict("this consultation is closed", code="consultation_closed")
    role = SenderRole.PATIENT if role_in(actor, consultation) == "patient" else SenderRole.CLINICIAN
    if kind == MessageKind.QUICK_REPLY:
        if role != SenderRole.CLINICIAN or body not in QUICK_REPLIES:
            raise InvalidInput("unknown quick reply", code="bad_quick_reply")
        body = gettext(consultation.language, QUICK_REPLIES[body])
    if attachment_id is not None:
        found = await session.get(Attachment, attachment_id)
        if found is None or found.consultation_id != consultation_id or found.uploader_id != actor.user_id:
            raise NotFound("no such attachment")
    try:
        async with session.begin_nested():
            message = await _append(
                session,
                consultation_id,
                sender_id=actor.user_id,
                role=role,
                kind=kind,
                body=body,
                client_id=client_id,
                attachment_id=attachment_id,
            )
    except IntegrityError:  # the same client_id raced in from another connection
        existing = await session.scalar(
            select(Message).where(
                Message.consultation_id == consultation_id,
                Message.sender_id == actor.user_id,
                Message.client_id == client_id,
            )
        )
        if existing is None:
            raise
        return Posted(existing, False)
    return Posted(message, True)


async def add_attachment(
    session: AsyncSession,
    actor: Actor,
    consultation_id: uuid.UUID,
    data: bytes,
    *,
    client_id: str | None = None,
) -> Posted:
    """Store a photo (checked by magic bytes and size) and post it as a message."""
    content_type = sniff_image(data)
    consultation = await access_consultation_by_id(session, actor, consultation_id, write=True)
    if consultation.status in (ConsultStatus.CLOSED, ConsultStatus.REFERRED):
        raise Conflict("this consultation is closed", code="consultation_closed")
    attachment = Attachment(
        id=new_id(),
        consultation_id=consultation_id,
        uploader_id=actor.user_id,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        created_at=clock.now(),
    )
    session.add(attachment)
    await session.flush()
    return await post_message(
        session,
        actor,
        consultation_id,
        body="",
        client_id=client_id,
        kind=MessageKind.PHOTO,
        attachment_id=attachment.id,
    )


async def mark_read(session: AsyncSession, actor: Actor, consultation_id: uuid.UUID, seq: int) -> int:
    """Record that ``actor`` has read up to ``seq`` (never backwards); returns the stored mark."""
    consultation = await access_consultation_by_id(session, actor, consultation_id)
    if role_in(actor, consultation) not in ("patient", "clinician", "past_clinician"):
        raise PermissionDenied("only participants send read receipts")
    upto = max(0, min(int(seq), consultation.last_seq))
    stmt = insert(ReadMark).values(
        consultation_id=consultation_id, user_id=actor.user_id, last_read_seq=upto, updated_at=clock.now()
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[ReadMark.consultation_id, ReadMark.user_id],
        set_={"last_read_seq": func.greatest(ReadMark.last_read_seq, upto), "updated_at": clock.now()},
    )
    await session.execute(stmt)
    stored = await session.scalar(
        select(ReadMark.last_read_seq).where(
            ReadMark.consultation_id == consultation_id, ReadMark.user_id == actor.user_id
        )
    )
    return int(stored or 0)


_SUMMARIES = {  # the chat line of each outcome, in the consultation's language
    OutcomeKind.ADVICE: N_("Advice: {text}"),
    OutcomeKind.OTC: N_("Suggested: {items}"),
    OutcomeKind.PRESCRIPTION: N_("E-prescription issued; a pharmacist will review it."),
    OutcomeKind.REFERRAL: N_("Please go to a hospital: {reason}"),
    OutcomeKind.FOLLOW_UP: N_("Follow-up in {days} days. {note}"),
}


def _summary(kind: OutcomeKind, data: dict[str, Any], language: str) -> str:
    items = ", ".join(f"{i['name']} x{i['quantity']}" for i in data.get("items", ()))
    line = gettext(language, _SUMMARIES[kind]).format(
        text=data.get("text", ""),
        items=items,
        reason=data.get("reason", ""),
        days=data.get("after_days", ""),
        note=data.get("note", ""),
    )
    return line.strip()


async def record_outcome(
    session: AsyncSession, actor: Actor, consultation_id: uuid.UUID, kind: str, data: dict[str, Any]
) -> Outcome:
    """The assigned clinician records advice, OTC suggestions, a prescription, a referral or a follow-up."""
    try:
        chosen = OutcomeKind(kind)
    except ValueError:
        raise InvalidInput("unknown outcome kind", code="bad_outcome") from None
    consultation = await access_consultation_by_id(
        session, actor, consultation_id, write=True, for_update=True
    )
    if role_in(actor, consultation) != "clinician":
        raise PermissionDenied("only the assigned clinician records outcomes", code="not_assigned")
    if consultation.status != ConsultStatus.ACTIVE:
        raise Conflict("this consultation is not active", code="consultation_closed")
    stored = await _outcome_data(session, actor, consultation, chosen, data)
    outcome = Outcome(
        id=new_id(),
        consultation_id=consultation.id,
        clinician_id=actor.user_id,
        kind=str(chosen),
        data=stored,
        created_at=clock.now(),
    )
    session.add(outcome)
    await _append(
        session,
        consultation.id,
        sender_id=actor.user_id,
        role=SenderRole.CLINICIAN,
        kind=MessageKind.OUTCOME,
        body=_summary(chosen, stored, consultation.language),
    )
    await emit(
        session, "consult.outcome_recorded", {"consultation_id": str(consultation.id), "kind": str(chosen)}
    )
    return outcome


def _text(data: dict[str, Any], key: str, low: int = 1, high: int = 2000) -> str:
    value = str(data.get(key) or "").strip()
    if not low <= len(value) <= high:
        raise InvalidInput(
            "{key} must be {low} to {high} characters", code=f"bad_{key}", key=key, low=low, high=high
        )
    return value


async def _outcome_data(
    session: AsyncSession, actor: Actor, consultation: Consultation, kind: OutcomeKind, data: dict[str, Any]
) -> dict[str, Any]:
    if kind == OutcomeKind.ADVICE:
        return {"text": _text(data, "text")}
    if kind == OutcomeKind.REFERRAL:
        return {"reason": _text(data, "reason", 3, 500)}
    if kind == OutcomeKind.FOLLOW_UP:
        days = data.get("after_days")
        if not isinstance(days, int) or not 1 <= days <= 90:
            raise InvalidInput("after_days must be 1 to 90", code="bad_after_days")
        return {"after_days": days, "note": str(data.get("note") or "")[:500]}
    profile = await session.get(PatientProfile, consultation.profile_id)
    if profile is None:
        raise NotFound("no such profile")
    if kind == OutcomeKind.OTC:
        return _otc(consultation, profile, data)
    if consultation.mode != Mode.DOCTOR or not actor.has(Role.DOCTOR):
        raise PermissionDenied("only a doctor prescribes", code="not_a_doctor")
    rx = await prescriptions.issue_prescription(
        session,
        actor,
        profile_id=consultation.profile_id,
        items=list(data.get("items") or []),
        diagnosis=str(data.get("diagnosis") or ""),
        prior_diagnosis=data.get("prior_diagnosis"),
        consultation_id=consultation.id,
        pharmacy_id=consultation.pharmacy_id,
        validity_days=int(data.get("validity_days") or 3),
    )
    hold = await _hold(session, consultation, rx)
    return {"prescription_id": str(rx.id), "items": rx.items, "hold": hold}


def _otc(consultation: Consultation, profile: PatientProfile, data: dict[str, Any]) -> dict[str, Any]:
    from medrush import catalog

    raw = data.get("items")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 10:
        raise InvalidInput("suggest 1 to 10 items", code="bad_items")
    index = catalog.current_index() or catalog.search_index()
    items: list[dict[str, Any]] = []
    for entry in raw:
        medicine_id = str(entry.get("medicine_id") or "") if isinstance(entry, dict) else ""
        quantity = entry.get("quantity", 1) if isinstance(entry, dict) else 0
        product = index.get(medicine_id) if medicine_id else None
        if product is None:
            raise InvalidInput(
                "unknown medicine {medicine_id!r}", code="unknown_medicine", medicine_id=medicine_id
            )
        if product.rx_class == "rx":
            raise InvalidInput("{name} needs a prescription", code="not_otc", name=product.name_en)
        if not isinstance(quantity, int) or not 1 <= quantity <= 10:
            raise InvalidInput("quantity must be 1 to 10", code="bad_quantity")
        items.append({"medicine_id": product.id, "name": product.name_en, "quantity": quantity})
    rules = prescriptions.active_profile()
    verdict = triage_port.check_otc(
        triage_port.patient_facts(profile, clock.now().date()),
        [(i["medicine_id"], i["quantity"]) for i in items],
        consultation.language,
        rules.code,
    )
    if verdict["level"] in ("block", "emergency"):
        raise Conflict(
            "the safety check refuses this suggestion for this patient",
            code="unsafe_suggestion",
            details=verdict,
        )
    return {"items": items, "safety": verdict}


async def _hold(session: AsyncSession, consultation: Consultation, rx: prescriptions.Prescription) -> str:
    """Hold the prescribed items at the patient's chosen pharmacy while the review runs."""
    if consultation.pharmacy_id is None:
        return "none"
    from medrush import pharmacies

    lines = [pharmacies.StockLine(i["medicine_id"], i["quantity"]) for i in rx.items]
    try:
        await pharmacies.reserve_stock(
            session,
            consultation.pharmacy_id,
            lines,
            ref=f"consult:{consultation.id}",
            minutes=120,
            purpose=pharmacies.ReservationPurpose.CONSULTATION,
        )
    except DomainError:  # no stock, unknown or closed pharmacy: the prescription stands without a hold
        return "unavailable"
    return "held"


async def close_consultation(session: AsyncSession, actor: Actor, consultation_id: uuid.UUID) -> Consultation:
    """The patient or the assigned clinician ends the conversation; the clinician's slot frees up."""
    consultation = await access_consultation_by_id(
        session, actor, consultation_id, write=True, for_update=True
    )
    if consultation.status in (ConsultStatus.CLOSED, ConsultStatus.REFERRED):
        raise Conflict("this consultation is already closed", code="consultation_closed")
    if consultation.clinician_id is not None and consultation.status == ConsultStatus.ACTIVE:
        await session.execute(
            update(Clinician)
            .where(Clinician.user_id == consultation.clinician_id, Clinician.active_count > 0)
            .values(active_count=Clinician.active_count - 1)
        )
    consultation.status = str(ConsultStatus.CLOSED)
    consultation.closed_at = clock.now()
    await _append(
        session,
        consultation.id,
        sender_id=None,
        role=SenderRole.SYSTEM,
        kind=MessageKind.SYSTEM,
        body=gettext(consultation.language, ENDED),
    )
    await emit(session, "consult.closed", {"consultation_id": str(consultation.id)})
    return consultation


async def rate_consultation(
    session: AsyncSession, actor: Actor, consultation_id: uuid.UUID, stars: int, comment: str = ""
) -> Consultation:
    """The patient rates a closed consultation once (1 to 5 stars)."""
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput("rate with 1 to 5 stars", code="bad_rating")
    consultation = await access_consultation_by_id(
        session, actor, consultation_id, write=True, for_update=True
    )
    if role_in(actor, consultation) != "patient":
        raise PermissionDenied("only the patient rates a consultation")
    if consultation.status != ConsultStatus.CLOSED or consultation.clinician_id is None:
        raise Conflict("rate after the consultation has ended", code="not_closed")
    if consultation.rating is not None:
        raise Conflict("already rated", code="already_rated")
    consultation.rating = stars
    consultation.rating_comment = comment.strip()[:1000] or None
    return consultation
