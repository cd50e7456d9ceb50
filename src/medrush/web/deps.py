"""Request dependencies: who is calling (bearer token or session cookie), roles, CSRF."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, Request, WebSocket

from medrush.accounts import ANONYMOUS, Actor, Role, actor_for_user, csrf_token_for, user_for_token
from medrush.kernel.errors import PermissionDenied, Unauthenticated

__all__ = [
    "SESSION_COOKIE",
    "current_actor",
    "require_actor",
    "require_roles",
    "signed_in_token",
    "websocket_actor",
]

SESSION_COOKIE = "medrush_session"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def signed_in_token(request: Request) -> tuple[str | None, str]:
    """The raw token of the request and where it came from (``bearer``, ``cookie`` or ``none``)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), "bearer"
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return cookie, "cookie"
    return None, "none"


async def _csrf_ok(request: Request, raw: str) -> bool:
    expected = csrf_token_for(raw)
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    return given is not None and hmac.compare_digest(given, expected)


async def current_actor(request: Request) -> Actor:
    """The calling actor, anonymous when no valid token; cookie writes must carry the CSRF token."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    raw, source = signed_in_token(request)
    actor = ANONYMOUS
    ip = request.client.host if request.client else None
    rid = getattr(request.state, "request_id", None)
    if raw:
        user = await user_for_token(raw)
        if user is not None:
            if source == "cookie":
                request.state.csrf_token = csrf_token_for(raw)
                if request.method in UNSAFE and not await _csrf_ok(request, raw):
                    raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")
            request.state.user = user
            actor = actor_for_user(user, ip=ip, request_id=rid)
        elif source == "bearer":
            raise Unauthenticated("invalid, expired or revoked token")
    if actor is ANONYMOUS:
        actor = Actor(user_id=None, ip=ip, request_id=rid)
    request.state.actor = actor
    return actor


async def require_actor(actor: Actor = Depends(current_actor)) -> Actor:
    """A signed-in actor, else 401."""
    if actor.user_id is None:
        raise Unauthenticated("sign in first")
    return actor


def require_roles(*roles: Role) -> Callable[..., Coroutine[Any, Any, Actor]]:
    """A dependency admitting signed-in actors holding at least one of ``roles``."""

    async def _check(actor: Actor = Depends(require_actor)) -> Actor:
        if not any(actor.has(role) for role in roles):
            raise PermissionDenied("needs role {roles}", roles=" or ".join(str(r) for r in roles))
        return actor

    return _check


async def websocket_actor(websocket: WebSocket) -> Actor:
    """The actor of a WebSocket: session cookie, ``Authorization: Bearer`` or ``?token=`` (browsers
    cannot set headers on WebSockets); anonymous when none is valid. Same-origin is enforced for
    cookie sessions so another site cannot ride a signed-in browser."""
    header = websocket.headers.get("authorization", "")
    raw = header[7:].strip() if header.lower().startswith("bearer ") else websocket.query_params.get("token")
    if not raw:
        raw = websocket.cookies.get(SESSION_COOKIE)
        origin = websocket.headers.get("origin")
        host = websocket.headers.get("host")
        if raw and origin and host and origin.split("://", 1)[-1] != host:
            return Actor(user_id=None)
    if not raw:
        return Actor(user_id=None)
    user = await user_for_token(raw)
    if user is None:
        return Actor(user_id=None)
    client = websocket.client.host if websocket.client else None
    return actor_for_user(user, ip=client)
