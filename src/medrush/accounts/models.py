"""Tables of the accounts domain."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = ["Address", "AuditEntry", "AuthToken", "PatientProfile", "SigninAttempt", "User"]


class User(Base):
    """Someone who signs in: a customer, pharmacy staff, a clinician, a courier or an operator."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    locale: Mapped[str] = mapped_column(String(8), default="en")
    phone: Mapped[str | None] = mapped_column(String(32))
    pharmacy_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    real_name: Mapped[str | None] = mapped_column(String(120))
    real_name_verified_at: Mapped[datetime | None]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class AuthToken(Base):
    """A browser session or an API token; only its SHA-256 is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SigninAttempt(Base):
    """One sign-in attempt, for rate limiting by e-mail and by address."""

    __tablename__ = "signin_attempts"
    __table_args__ = (
        Index("ix_signin_attempts_email_at", "email", "at"),
        Index("ix_signin_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]


class PatientProfile(Base):
    """A person medicine is for: the account holder or a family member."""

    __tablename__ = "patient_profiles"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relationship: Mapped[str] = mapped_column(String(32), default="self")
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16))
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnancy_weeks: Mapped[int | None] = mapped_column(Integer)
    pregnancy_recorded_on: Mapped[date | None] = mapped_column(Date)
    breastfeeding: Mapped[bool] = mapped_column(Boolean, default=False)
    allergies: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    conditions: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    current_medications: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class Address(Base):
    """A delivery address with coordinates."""

    __tablename__ = "addresses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))
    line: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class AuditEntry(Base):
    """Who read or changed which piece of health data, when, and whether it was allowed."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_actor_at", "actor_id", "at"),
        Index("ix_audit_log_subject_at", "subject_account_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None]
    actor_roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    action: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    subject_account_id: Mapped[uuid.UUID | None]
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
