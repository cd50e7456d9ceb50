"""The operator's view of the consultation service: who waits, who answers, how many are needed."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from medrush import consult
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
    """Waiting now, clinicians online, waits by hour and the Erlang C staffing suggestion."""
    async with db.session_scope() as session:
        figures = await consult.operator_figures(
            session, actor, target_seconds=target_seconds, target_level=target_level
        )
    return render(request, "operator/index.html", {"f": figures})
