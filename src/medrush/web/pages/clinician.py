"""The clinician console: presence, the queue, active chats side by side, outcomes; pharmacist reviews."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import consult, prescriptions
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.errors import DomainError, PermissionDenied
from medrush.web.deps import current_actor
from medrush.web.rendering import page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _mount_patient_pages() -> None:
    """Serve the patient's consult pages from here until ``ROUTER_MODULES`` lists ``web.pages.consult``."""
    from medrush.web.app import ROUTER_MODULES
    from medrush.web.pages import consult as patient_pages

    if "web.pages.consult" not in ROUTER_MODULES:
        router.include_router(patient_pages.router)


def _is_clinician(actor: Actor) -> bool:
    return actor.has(Role.DOCTOR) or actor.has(Role.PHARMACIST)


def _refuse(actor: Actor, path: str) -> Response | None:
    if actor.user_id is None:
        return RedirectResponse(f"/signin?next={path}", status_code=303)
    if not _is_clinician(actor):
        raise PermissionDenied("this console is for doctors and pharmacists")
    return None


async def _console_context(actor: Actor) -> dict[str, Any]:
    async with db.session_scope() as session:
        me = await session.get(consult.Clinician, actor.user_id)
        queue = await consult.queue_for(session, actor)
        chats = []
        for c in await consult.clinician_chats(session, actor):
            chats.append(
                {
                    "c": consult.consultation_view(c),
                    "patient": await consult.patient_facts_for(session, actor, c.id),
                    "messages": [
                        consult.message_view(m) for m in await consult.messages_since(session, c.id, 0)
                    ],
                }
            )
    return {
        "presence": me,
        "queue": [consult.consultation_view(c) for c in queue],
        "chats": chats,
        "quick_replies": consult.QUICK_REPLIES,
        "is_doctor": actor.has(Role.DOCTOR),
        "is_pharmacist": actor.has(Role.PHARMACIST),
        "me": str(actor.user_id),
    }


@router.get("/clinician", response_class=HTMLResponse)
async def console(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Queue, active chats side by side with the patient's profile and safety findings, templates."""
    refused = _refuse(actor, "/clinician")
    if refused is not None:
        return refused
    return render(request, "clinician/console.html", await _console_context(actor))


@router.post("/clinician/presence")
async def presence(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Go online or offline (and set how many chats to take at once)."""
    refused = _refuse(actor, "/clinician")
    if refused is not None:
        return refused
    form = await request.form()
    online = form.get("online") == "1"
    capacity = int(str(form.get("capacity") or "3")) if str(form.get("capacity") or "3").isdigit() else 3
    async with db.session_scope() as session:
        await consult.set_presence(session, actor, online=online, capacity=capacity)
    if online:
        async with db.session_scope() as session:
            pairs = await consult.route_waiting(session)
        await consult.announce_routing(pairs)
    return RedirectResponse("/clinician", status_code=303)


@router.post("/clinician/pick/{consultation_id}")
async def pick(consultation_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> Response:
    """Take a waiting consultation."""
    refused = _refuse(actor, "/clinician")
    if refused is not None:
        return refused
    async with db.session_scope() as session:
        await consult.pick_up(session, actor, consultation_id)
    assert actor.user_id is not None
    await consult.announce_routing([(consultation_id, actor.user_id)])
    return RedirectResponse("/clinician", status_code=303)


@router.get("/clinician/reviews", response_class=HTMLResponse)
async def reviews(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The pharmacist's prescription review queue."""
    if actor.user_id is None:
        return RedirectResponse("/signin?next=/clinician/reviews", status_code=303)
    async with db.session_scope() as session:
        queue = await prescriptions.review_queue(session, actor)
        views = [prescriptions.prescription_view(rx) for rx in queue]
    return render(
        request, "clinician/reviews.html", {"queue": views, "done": request.query_params.get("done")}
    )


@router.post("/clinician/reviews/{prescription_id}")
async def review(
    request: Request, prescription_id: uuid.UUID, actor: Actor = Depends(current_actor)
) -> Response:
    """Approve or reject (with a reason) one prescription."""
    if actor.user_id is None:
        return RedirectResponse("/signin?next=/clinician/reviews", status_code=303)
    form = await request.form()
    decision = str(form.get("decision") or "")
    try:
        async with db.session_scope() as session:
            rx = await prescriptions.review_prescription(
                session, actor, prescription_id, decision, reason=str(form.get("reason") or "") or None
            )
            consultation_id = rx.consultation_id
    except DomainError as exc:
        async with db.session_scope() as session:
            views = [
                prescriptions.prescription_view(rx) for rx in await prescriptions.review_queue(session, actor)
            ]
        return render(
            request,
            "clinician/reviews.html",
            {"queue": views, "error": exc.translated(page_lang(request))},
            exc.status,
        )
    if consultation_id is not None:
        await consult.announce_sync(consultation_id)
    return RedirectResponse(f"/clinician/reviews?done={decision}", status_code=303)


_mount_patient_pages()
