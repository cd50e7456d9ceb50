"""Reads of the accounts domain."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts.actor import Actor, SignedInUser
from medrush.accounts.audit import record_access
from medrush.accounts.enums import AuditAction
from medrush.accounts.models import Address, PatientProfile, User
from medrush.accounts.schemas import ProfileOut
from medrush.kernel import clock
from medrush.kernel.errors import Unauthenticated

__all__ = [
    "actor_for_user",
    "age_on",
    "list_addresses",
    "list_profiles",
    "profile_out",
    "user_by_email",
    "user_by_id",
]


def actor_for_user(
    user: User | SignedInUser, *, ip: str | None = None, request_id: str | None = None
) -> Actor:
    """The actor acting as ``user``."""
    return Actor(
        user_id=user.id,
        roles=frozenset(user.roles),
        pharmacy_id=user.pharmacy_id,
        locale=user.locale,
        ip=ip,
        request_id=request_id,
    )


def age_on(birth_date: date, day: date) -> int:
    """Whole years between ``birth_date`` and ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def profile_out(profile: PatientProfile) -> ProfileOut:
    """The output form of a profile, with today's age."""
    return ProfileOut.model_validate(
        {
            **{c: getattr(profile, c) for c in ProfileOut.model_fields if c != "age_years"},
            "age_years": age_on(profile.birth_date, clock.now().date()),
        }
    )


async def list_profiles(session: AsyncSession, actor: Actor) -> list[PatientProfile]:
    """The actor's own family profiles (each read audited)."""
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    rows = list(
        (
            await session.scalars(
                select(PatientProfile)
                .where(PatientProfile.account_id == actor.user_id)
                .order_by(PatientProfile.created_at, PatientProfile.id)
            )
        ).all()
    )
    for profile in rows:
        record_access(
            session, actor, AuditAction.READ, "patient_profile", profile.id, subject_account_id=actor.user_id
        )
    return rows


async def list_addresses(session: AsyncSession, actor: Actor) -> list[Address]:
    """The actor's delivery addresses, default first."""
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    return list(
        (
            await session.scalars(
                select(Address)
                .where(Address.account_id == actor.user_id)
                .order_by(Address.is_default.desc(), Address.created_at)
            )
        ).all()
    )


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The account with this e-mail, if any."""
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The account with this id, if any."""
    return await session.get(User, user_id)
