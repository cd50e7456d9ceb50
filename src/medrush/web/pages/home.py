"""The start page: search box and the main symptoms, for everyone."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from medrush.accounts import Actor
from medrush.web.deps import current_actor
from medrush.web.rendering import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, _actor: Actor = Depends(current_actor)) -> HTMLResponse:
    """The customer's start page."""
    return render(request, "home.html")
