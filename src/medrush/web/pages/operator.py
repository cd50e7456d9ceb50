"""The operator's view: deliveries on time and the courier fleet; the consultation service (who
waits, who answers, how many clinicians are needed)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import consult, dispatch, pharmacies
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.errors import DomainError
from medrush.web.deps import require_roles
from medrush.web.rendering import page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/operator", response_class=HTMLResponse)
async def operations(
    request: Request,
    target_seconds: float = Query(120, gt=0, le=3600),
    target_level: float = Query(0.9, gt=0, lt=1),
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> HTMLResponse:
    """Deliveries on time by hour and the fleet now; consultations waiting, clinicians online,
    waits by hour and the Erlang C staffing suggestion."""
    async with db.session_scope() as session:
        fleet = await dispatch.fleet_figures(session, actor)
        figures = await consult.operator_figures(
            session, actor, target_seconds=target_seconds, target_level=target_level
        )
    return render(request, "operator/index.html", {"f": figures, "fleet": fleet})


PHARMACY_STATUSES = ("applied", "suspended", "approved")


async def _pharmacies_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    async with db.session_scope() as session:
        groups = {
            status: await pharmacies.list_pharmacies(session, status=status) for status in PHARMACY_STATUSES
        }
    return render(
        request, "operator/pharmacies.html", {"groups": groups, "error": error}, status_code=status_code
    )


@router.get("/operator/pharmacies", response_class=HTMLResponse)
async def pharmacy_list(request: Request, actor: Actor = Depends(require_roles(Role.OPERATOR))) -> Response:
    """Applications to review first, then suspended and listed pharmacies."""
    return await _pharmacies_page(request)


@router.post("/operator/pharmacies/{pharmacy_id}/{action}")
async def pharmacy_action(
    request: Request,
    pharmacy_id: uuid.UUID,
    action: str,
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> Response:
    """Approve (or reinstate) a pharmacy, or suspend it with a reason."""
    reason = str((await request.form()).get("reason") or "")
    try:
        async with db.session_scope() as session:
            if action == "approve":
                await pharmacies.approve_pharmacy(session, actor, pharmacy_id)
            elif action == "suspend":
                await pharmacies.suspend_pharmacy(session, actor, pharmacy_id, reason)
            else:
                return Response(status_code=404)
    except DomainError as exc:
        return await _pharmacies_page(request, exc.translated(page_lang(request)), exc.status)
    return RedirectResponse("/operator/pharmacies", status_code=303)
