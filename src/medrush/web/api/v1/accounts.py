"""JSON API of accounts: sign-up, tokens, the caller, family profiles, addresses, the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request, Response, status

from medrush import accounts
from medrush.accounts import Actor, Role, TokenKind
from medrush.accounts.schemas import (
    AddressIn,
    AddressOut,
    AuditEntryOut,
    ProfileIn,
    ProfileOut,
    ProfilePatch,
    SignIn,
    SignUp,
    TokenOut,
    UserOut,
)
from medrush.kernel import db
from medrush.web.deps import require_actor, require_roles, signed_in_token

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["accounts"])


def _ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def sign_up(data: SignUp) -> UserOut:
    """Create a customer account."""
    async with db.session_scope() as session:
        user = await accounts.sign_up(session, data)
        return UserOut.model_validate(user)


@router.post("/auth/token", response_model=TokenOut)
async def create_token(data: SignIn, request: Request) -> TokenOut:
    """Exchange e-mail and password for a bearer token (rate limited)."""
    async with db.session_scope() as session:
        user = await accounts.authenticate(session, data.email, data.password, _ip(request))
        raw, token = await accounts.issue_token(session, user, TokenKind.API, label="api")
        return TokenOut(token=raw, expires_at=token.expires_at, user_id=user.id)


@router.delete("/auth/token", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(request: Request, _actor: Actor = Depends(require_actor)) -> Response:
    """Revoke the token this request was made with (sign out everywhere it was used)."""
    raw, _source = signed_in_token(request)
    async with db.session_scope() as session:
        await accounts.revoke_token(session, raw or "")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=UserOut)
async def me(request: Request, _actor: Actor = Depends(require_actor)) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(request.state.user)


@router.get("/profiles", response_model=list[ProfileOut])
async def list_profiles(actor: Actor = Depends(require_actor)) -> list[ProfileOut]:
    """The caller's family profiles."""
    async with db.session_scope() as session:
        return [accounts.profile_out(p) for p in await accounts.list_profiles(session, actor)]


@router.post("/profiles", status_code=status.HTTP_201_CREATED, response_model=ProfileOut)
async def create_profile(data: ProfileIn, actor: Actor = Depends(require_actor)) -> ProfileOut:
    """Add a family member."""
    async with db.session_scope() as session:
        return accounts.profile_out(await accounts.create_profile(session, actor, data))


@router.get("/profiles/{profile_id}", response_model=ProfileOut)
async def get_profile(profile_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> ProfileOut:
    """One profile (owner, or an operator; every read is audited)."""
    async with db.session_scope() as session:
        return accounts.profile_out(await accounts.access_profile_by_id(session, actor, profile_id))


@router.patch("/profiles/{profile_id}", response_model=ProfileOut)
async def update_profile(
    profile_id: uuid.UUID, patch: ProfilePatch, actor: Actor = Depends(require_actor)
) -> ProfileOut:
    """Change fields of one of the caller's profiles."""
    async with db.session_scope() as session:
        return accounts.profile_out(await accounts.update_profile(session, actor, profile_id, patch))


@router.delete("/profiles/{profile_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_profile(profile_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> Response:
    """Remove one of the caller's profiles."""
    async with db.session_scope() as session:
        await accounts.delete_profile(session, actor, profile_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/addresses", response_model=list[AddressOut])
async def list_addresses(actor: Actor = Depends(require_actor)) -> list[AddressOut]:
    """The caller's delivery addresses."""
    async with db.session_scope() as session:
        return [AddressOut.model_validate(a) for a in await accounts.list_addresses(session, actor)]


@router.post("/addresses", status_code=status.HTTP_201_CREATED, response_model=AddressOut)
async def add_address(data: AddressIn, actor: Actor = Depends(require_actor)) -> AddressOut:
    """Add a delivery address."""
    async with db.session_scope() as session:
        return AddressOut.model_validate(await accounts.add_address(session, actor, data))


@router.delete("/addresses/{address_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_address(address_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> Response:
    """Remove a delivery address."""
    async with db.session_scope() as session:
        await accounts.delete_address(session, actor, address_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", response_model=list[AuditEntryOut])
async def audit_log(
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
    object_type: str | None = Query(None, max_length=40),
    object_id: str | None = Query(None, max_length=64),
    actor_id: uuid.UUID | None = None,
    subject_account_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[AuditEntryOut]:
    """Who read or changed which health data, newest first (operators only)."""
    async with db.session_scope() as session:
        rows = await accounts.query_audit(
            session,
            actor,
            object_type=object_type,
            object_id=object_id,
            actor_id=actor_id,
            subject_account_id=subject_account_id,
            since=since,
            until=until,
            limit=limit,
        )
        return [AuditEntryOut.model_validate(r) for r in rows]
