"""Tables of the prescriptions domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = ["Prescription"]


class Prescription(Base):
    """An e-prescription for one patient profile; its content is signed with an HMAC."""

    __tablename__ = "prescriptions"
    __table_args__ = (
        Index("ix_prescriptions_status_signed_at", "status", "signed_at"),
        Index("ix_prescriptions_items", "items", postgresql_using="gin"),
        CheckConstraint(
            "status IN ('draft','signed','approved','rejected','used','expired')", name="status_known"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    profile_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("patient_profiles.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    doctor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    drafted_by: Mapped[uuid.UUID | None]
    consultation_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    pharmacy_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    jurisdiction: Mapped[str] = mapped_column(String(16))
    diagnosis: Mapped[str] = mapped_column(Text)
    prior_diagnosis: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    items: Mapped[list[Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    validity_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    signature: Mapped[str | None] = mapped_column(String(64))
    reviewed_by: Mapped[uuid.UUID | None]
    reviewed_at: Mapped[datetime | None]
    review_reason: Mapped[str | None] = mapped_column(Text)
    used_at: Mapped[datetime | None]
    used_ref: Mapped[str | None] = mapped_column(String(80))
    retain_until: Mapped[datetime]
