"""Pages for signing up, in and out, and for the family profiles of an account."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from medrush import accounts
from medrush.accounts import Actor, TokenKind
from medrush.accounts.schemas import ProfileIn, SignUp
from medrush.kernel import db
from medrush.kernel.errors import Conflict, DomainError
from medrush.settings import get_settings
from medrush.web.deps import SESSION_COOKIE, current_actor, require_actor, signed_in_token
from medrush.web.rendering import page_lang, render
from medrush.web.validation import describe_errors

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
LIST_FIELDS = ("allergies", "conditions", "current_medications")


def _safe_next(target: str | None) -> str:
    """Only same-site paths may follow a sign-in (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


async def _start_session(user: accounts.User, target: str) -> Response:
    async with db.session_scope() as session:
        raw, _token = await accounts.issue_token(session, user, TokenKind.SESSION, label="browser")
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=get_settings().session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return response


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return render(request, "accounts/signin.html", {"next": _safe_next(next)})


@router.post("/signin")
async def signin(request: Request) -> Response:
    """Check the credentials and start a browser session."""
    form = await request.form()
    email = str(form.get("email") or "")
    password = str(form.get("password") or "")
    target = str(form.get("next") or "/")
    ip = request.client.host if request.client else "unknown"
    try:
        async with db.session_scope() as session:
            user = await accounts.authenticate(session, email, password, ip)
    except DomainError as exc:
        ctx = {"error": exc.translated(page_lang(request)), "email": email, "next": _safe_next(target)}
        return render(request, "accounts/signin.html", ctx, status_code=exc.status)
    return await _start_session(user, target)


@router.get("/signup", response_class=HTMLResponse)
async def signup_page(request: Request) -> HTMLResponse:
    """The sign-up form."""
    return render(request, "accounts/signup.html", {"form": {}})


@router.post("/signup")
async def signup(request: Request) -> Response:
    """Create a customer account and sign it in."""
    form = {
        k: str(v) for k, v in (await request.form()).items() if k in ("email", "password", "display_name")
    }
    try:
        data = SignUp(**form, locale=page_lang(request))
        async with db.session_scope() as session:
            user = await accounts.sign_up(session, data)
    except ValidationError as exc:
        return render(
            request,
            "accounts/signup.html",
            {"form": form, "error": describe_errors(exc, page_lang(request), limit=1)},
            422,
        )
    except DomainError as exc:
        return render(
            request,
            "accounts/signup.html",
            {"form": form, "error": exc.translated(page_lang(request))},
            exc.status,
        )
    return await _start_session(user, "/account")


@router.post("/signout")
async def signout(request: Request, _actor: Actor = Depends(current_actor)) -> Response:
    """End the browser session (the token is revoked, not just forgotten)."""
    raw, source = signed_in_token(request)
    if raw and source == "cookie":
        async with db.session_scope() as session:
            await accounts.revoke_token(session, raw)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def _profiles_context(actor: Actor) -> dict[str, Any]:
    async with db.session_scope() as session:
        return {"profiles": [accounts.profile_out(p) for p in await accounts.list_profiles(session, actor)]}


@router.get("/account", response_class=HTMLResponse)
async def family(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The account's family profiles."""
    if actor.user_id is None:
        return RedirectResponse("/signin?next=/account", status_code=303)
    return render(request, "accounts/family.html", await _profiles_context(actor))


def _profile_form(raw: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in raw.items() if k != "csrf_token" and v != ""}
    for key in LIST_FIELDS:
        data[key] = [t.strip() for t in raw.get(key, "").replace("，", ",").split(",") if t.strip()]
    for key in ("pregnant", "breastfeeding"):
        data[key] = raw.get(key) == "true"
    return data


def _respond_profiles(request: Request, ctx: dict[str, Any], status_code: int = 200) -> Response:
    if request.headers.get("hx-request"):
        return render(request, "accounts/_profiles.html", ctx, status_code=status_code)
    if status_code >= 400:
        return render(request, "accounts/family.html", ctx, status_code=status_code)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/profiles")
async def add_profile(request: Request, actor: Actor = Depends(require_actor)) -> Response:
    """Add a family member from the form."""
    raw = {k: str(v) for k, v in (await request.form()).items()}
    error = None
    try:
        data = ProfileIn(**_profile_form(raw))
        async with db.session_scope() as session:
            await accounts.create_profile(session, actor, data)
    except ValidationError as exc:
        error = describe_errors(exc, page_lang(request), limit=1)
    except DomainError as exc:
        error = exc.translated(page_lang(request))
    ctx = await _profiles_context(actor)
    ctx["error"] = error
    # htmx swaps only 2xx responses by default; a refused form still re-renders with its message.
    return _respond_profiles(request, ctx, 200 if request.headers.get("hx-request") or not error else 422)


@router.post("/account/profiles/{profile_id}/delete")
async def remove_profile(
    request: Request, profile_id: uuid.UUID, actor: Actor = Depends(require_actor)
) -> Response:
    """Remove a family member; one with medical records on file stays, and the page says why."""
    try:
        async with db.session_scope() as session:
            await accounts.delete_profile(session, actor, profile_id)
    except Conflict as exc:
        ctx = await _profiles_context(actor)
        ctx["error"] = exc.translated(page_lang(request))
        return _respond_profiles(request, ctx, 200 if request.headers.get("hx-request") else exc.status)
    return _respond_profiles(request, await _profiles_context(actor))
