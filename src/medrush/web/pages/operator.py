"""The operator's view: deliveries on time and the courier fleet; the consultation service (who
waits, who answers, how many clinicians are needed)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from medrush import consult, dispatch
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.web.deps import require_roles
from medrush.web.rendering import render

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
