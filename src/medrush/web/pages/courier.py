"""The courier's mobile page: shift, offers with a countdown, the route on a map, pickup and drop-off,
the last 24 hours' deliveries and earnings.

The page renders the current board and then talks to the JSON API (``/api/v1/courier/...``,
CSRF header from the page) and to the WebSocket, which pushes offers and takes position pings.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import dispatch
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.errors import PermissionDenied
from medrush.kernel.money import format_minor
from medrush.web.deps import current_actor
from medrush.web.rendering import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/courier", response_class=HTMLResponse)
async def courier_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The courier's board; anonymous visitors are sent to sign in."""
    if actor.user_id is None:
        return RedirectResponse("/signin?next=/courier", status_code=303)
    if not actor.has(Role.COURIER):
        raise PermissionDenied("needs role courier")
    async with db.session_scope() as session:
        board = await dispatch.courier_board(session, actor)
    vehicles = [str(v) for v in dispatch.Vehicle]
    return render(
        request, "courier/index.html", {"board": board, "vehicles": vehicles, "money": format_minor}
    )
