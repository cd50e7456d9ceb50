"""Tables of the consult domain: clinicians' presence, consultations, messages, attachments, outcomes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = ["Attachment", "Clinician", "Consultation", "Message", "Outcome", "ReadMark"]


class Clinician(Base):
    """A doctor or pharmacist taking consultations: presence, skills and load."""

    __tablename__ = "consult_clinicians"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    modes: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list)
    specialties: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)
    capacity: Mapped[int] = mapped_column(SmallInteger, default=3)
    active_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_assigned_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class Consultation(Base):
    """A patient's question to a clinician: triage, queue position, chat and outcomes."""

    __tablename__ = "consultations"
    __table_args__ = (
        Index("ix_consultations_queue", "status", "mode", "priority", "created_at"),
        Index("ix_consultations_clinician_status", "clinician_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    profile_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patient_profiles.id", ondelete="RESTRICT"))
    mode: Mapped[str] = mapped_column(String(16))
    specialty: Mapped[str] = mapped_column(String(40), default="general")
    language: Mapped[str] = mapped_column(String(8), default="en")
    symptoms: Mapped[str] = mapped_column(Text)
    triage_level: Mapped[str] = mapped_column(String(16))
    triage: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    priority: Mapped[int] = mapped_column(SmallInteger, default=2)
    status: Mapped[str] = mapped_column(String(16))
    clinician_id: Mapped[uuid.UUID | None]
    clinician_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()), default=list)
    pharmacy_id: Mapped[uuid.UUID | None]
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    assigned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    retain_until: Mapped[datetime]


class Message(Base):
    """One chat message; ``seq`` numbers a conversation's messages 1, 2, 3 ... without gaps."""

    __tablename__ = "consult_messages"
    __table_args__ = (
        UniqueConstraint("consultation_id", "seq", name="uq_consult_messages_conversation_seq"),
        UniqueConstraint("consultation_id", "sender_id", "client_id", name="uq_consult_messages_client_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    consultation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    sender_id: Mapped[uuid.UUID | None]
    sender_role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str | None] = mapped_column(String(64))
    attachment_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class Attachment(Base):
    """A photo sent in a chat (JPEG, PNG or WebP, at most 5 MB), checked by its magic bytes."""

    __tablename__ = "consult_attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[uuid.UUID]
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ReadMark(Base):
    """How far a participant has read a conversation (read receipts)."""

    __tablename__ = "consult_reads"

    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    last_read_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class Outcome(Base):
    """What the clinician concluded: advice, OTC suggestions, a prescription, a referral, a follow-up."""

    __tablename__ = "consult_outcomes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    consultation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    clinician_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime]
