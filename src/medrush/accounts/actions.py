"""Writes of the accounts domain: sign-up, sign-in, tokens, profiles and addresses."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts.access import access_address_by_id, access_profile_by_id
from medrush.accounts.actor import Actor, SignedInUser
from medrush.accounts.audit import record_access
from medrush.accounts.enums import AuditAction, Role, TokenKind
from medrush.accounts.models import Address, AuthToken, PatientProfile, SigninAttempt, User
from medrush.accounts.passwords import hash_password, verify_password
from medrush.accounts.schemas import AddressIn, ProfileIn, ProfilePatch, SignUp
from medrush.kernel import clock, db, emit
from medrush.kernel.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from medrush.settings import get_settings

__all__ = [
    "add_address",
    "authenticate",
    "create_profile",
    "create_user",
    "csrf_token_for",
    "delete_address",
    "delete_profile",
    "issue_token",
    "join_pharmacy",
    "revoke_token",
    "sign_up",
    "token_hash",
    "update_profile",
    "user_for_token",
]

_DUMMY_HASH = hash_password("not-a-real-password-used-for-timing")


def token_hash(raw: str) -> str:
    """The stored form of a token (a leaked table does not leak usable tokens)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def csrf_token_for(raw_session_token: str) -> str:
    """The CSRF token bound to a browser session (HMAC of the session, nothing stored)."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"csrf:" + token_hash(raw_session_token).encode(), hashlib.sha256).hexdigest()


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    display_name: str,
    roles: Iterable[Role | str] = (Role.CUSTOMER,),
    locale: str = "en",
    pharmacy_id: uuid.UUID | None = None,
) -> User:
    """Create an account; Conflict when the e-mail is taken, InvalidInput for an unknown role."""
    role_values = sorted({str(r) for r in roles})
    unknown = [r for r in role_values if r not in {x.value for x in Role}]
    if unknown:
        raise InvalidInput(
            "unknown role {role!r}; roles are {roles}",
            role=unknown[0],
            roles=", ".join(r.value for r in Role),
        )
    if len(password) < 8:
        raise InvalidInput("password must have at least 8 characters")
    email = email.strip().lower()
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("an account with this e-mail already exists")
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name,
        roles=role_values,
        locale=locale,
        pharmacy_id=pharmacy_id,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict("an account with this e-mail already exists") from exc
    await emit(session, "accounts.user_created", {"user_id": str(user.id), "roles": role_values})
    return user


async def sign_up(session: AsyncSession, data: SignUp) -> User:
    """A customer creates their own account."""
    return await create_user(
        session,
        email=data.email,
        password=data.password,
        display_name=data.display_name,
        roles=(Role.CUSTOMER,),
        locale=data.locale,
    )


async def join_pharmacy(
    session: AsyncSession,
    actor: Actor,
    user_id: uuid.UUID,
    pharmacy_id: uuid.UUID,
    *,
    pharmacist: bool = False,
) -> User:
    """Make an account staff of a pharmacy (and, with ``pharmacist``, its pharmacist); operators
    and the platform itself only (the caller knows the pharmacy exists). An account works for one
    pharmacy: one attached to another is refused."""
    if not (actor.is_system or actor.has(Role.OPERATOR)):
        raise PermissionDenied("only operators attach accounts to pharmacies")
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("no such account")
    if user.pharmacy_id not in (None, pharmacy_id):
        raise Conflict("this account already works for another pharmacy", code="other_pharmacy")
    added = {str(Role.PHARMACY_STAFF)} | ({str(Role.PHARMACIST)} if pharmacist else set())
    user.roles = sorted(set(user.roles) | added)
    user.pharmacy_id = pharmacy_id
    await emit(
        session,
        "accounts.joined_pharmacy",
        {"user_id": str(user.id), "pharmacy_id": str(pharmacy_id), "roles": user.roles},
    )
    return user


async def authenticate(session: AsyncSession, email: str, password: str, ip: str) -> User:
    """The user for these credentials; RateLimited after too many recent failures.

    Failures are counted per e-mail and per address over a sliding window, so neither one
    account nor one machine can guess passwords quickly.
    """
    settings = get_settings()
    email = email.strip().lower()
    since = clock.now() - timedelta(seconds=settings.signin_window_seconds)
    failures = select(func.count()).where(SigninAttempt.success.is_(False), SigninAttempt.at >= since)
    by_email = await session.scalar(failures.where(SigninAttempt.email == email)) or 0
    by_ip = await session.scalar(failures.where(SigninAttempt.ip == ip)) or 0
    if by_email >= settings.signin_max_attempts or by_ip >= settings.signin_max_attempts * 4:
        raise RateLimited("too many failed sign-in attempts; try again in a few minutes")
    user = await session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password) and bool(user)
    ok = ok and user is not None and user.is_active
    # Recorded in its own transaction: a failed sign-in rolls the caller back, the attempt must stay.
    async with db.session_scope() as attempts:
        attempts.add(SigninAttempt(email=email, ip=ip, success=ok, at=clock.now()))
    if not ok or user is None:
        raise Unauthenticated("wrong e-mail or password")
    return user


async def issue_token(
    session: AsyncSession, user: User, kind: TokenKind = TokenKind.API, label: str | None = None
) -> tuple[str, AuthToken]:
    """A new random token for ``user``; the raw value is returned once and only its hash stored."""
    raw = secrets.token_urlsafe(32)
    token = AuthToken(
        user_id=user.id,
        token_hash=token_hash(raw),
        kind=str(kind),
        label=label,
        expires_at=clock.now() + timedelta(days=get_settings().session_days),
    )
    session.add(token)
    await session.flush()
    return raw, token


_SIGNED_IN_USER = """
    SELECT u.id, u.email, u.display_name, u.roles, u.locale, u.pharmacy_id
    FROM auth_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.is_active
"""


async def user_for_token(raw: str) -> SignedInUser | None:
    """The active user holding this unexpired, unrevoked token, else None.

    Every authenticated request asks this, so it is one statement on a pooled driver connection
    outside any transaction (no session, no ORM); a revocation is seen by the next request.
    """
    if not raw or len(raw) > 200:
        return None
    async with db.raw_reads() as connection:
        row = await connection.fetchrow(_SIGNED_IN_USER, token_hash(raw), clock.now())
    if row is None:
        return None
    return SignedInUser(
        id=row[0],
        email=row[1],
        display_name=row[2],
        roles=tuple(row[3] or ()),
        locale=row[4],
        pharmacy_id=row[5],
    )


async def revoke_token(session: AsyncSession, raw: str) -> bool:
    """Revoke a token (sign-out); True when a live token was revoked."""
    result = await session.execute(
        update(AuthToken)
        .where(AuthToken.token_hash == token_hash(raw), AuthToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return bool(getattr(result, "rowcount", 0))


async def create_profile(session: AsyncSession, actor: Actor, data: ProfileIn) -> PatientProfile:
    """Add a family member (or oneself) under the actor's account."""
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    count = await session.scalar(
        select(func.count()).select_from(PatientProfile).where(PatientProfile.account_id == actor.user_id)
    )
    if (count or 0) >= 20:
        raise Conflict("an account can hold at most 20 profiles")
    profile = PatientProfile(
        account_id=actor.user_id,
        pregnancy_recorded_on=clock.now().date() if data.pregnant else None,
        **data.model_dump(),
    )
    session.add(profile)
    await session.flush()
    record_access(
        session, actor, AuditAction.CREATE, "patient_profile", profile.id, subject_account_id=actor.user_id
    )
    return profile


async def update_profile(
    session: AsyncSession, actor: Actor, profile_id: uuid.UUID, patch: ProfilePatch
) -> PatientProfile:
    """Change the given fields of one of the actor's profiles."""
    profile = await access_profile_by_id(
        session, actor, profile_id, action=AuditAction.UPDATE, for_update=True
    )
    changes = patch.model_dump(exclude_unset=True)
    for field, value in changes.items():
        setattr(profile, field, value)
    if profile.pregnancy_weeks is not None and not profile.pregnant:
        raise InvalidInput("pregnancy_weeks given but pregnant is false")
    if profile.pregnant and profile.sex == "male":
        raise InvalidInput("a profile of sex male cannot be pregnant")
    if "pregnant" in changes or "pregnancy_weeks" in changes:
        profile.pregnancy_recorded_on = clock.now().date() if profile.pregnant else None
    profile.updated_at = clock.now()
    await session.flush()
    return profile


async def delete_profile(session: AsyncSession, actor: Actor, profile_id: uuid.UUID) -> None:
    """Remove one of the actor's profiles; one with consultations or prescriptions on record stays
    (those are medical records that keep their patient), a Conflict says so."""
    profile = await access_profile_by_id(
        session, actor, profile_id, action=AuditAction.DELETE, for_update=True
    )
    await session.delete(profile)
    try:
        await session.flush()
    except IntegrityError as exc:  # a RESTRICT foreign key of a consultation or a prescription
        raise Conflict(
            "this profile has consultations or prescriptions on record and cannot be deleted",
            code="profile_has_records",
        ) from exc


async def add_address(session: AsyncSession, actor: Actor, data: AddressIn) -> Address:
    """Add a delivery address; a new default address replaces the old default."""
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    if data.is_default:
        await session.execute(
            update(Address).where(Address.account_id == actor.user_id).values(is_default=False)
        )
    address = Address(account_id=actor.user_id, **data.model_dump())
    session.add(address)
    await session.flush()
    return address


async def delete_address(session: AsyncSession, actor: Actor, address_id: uuid.UUID) -> None:
    """Remove one of the actor's addresses."""
    address = await access_address_by_id(session, actor, address_id, for_update=True)
    await session.delete(address)
    await session.flush()
