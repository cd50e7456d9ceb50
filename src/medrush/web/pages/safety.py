"""The safety rules browser: every rule and red flag with its message and source."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from medrush import safety
from medrush.accounts import Actor, Role
from medrush.web.deps import require_roles
from medrush.web.rendering import page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/safety/rules", response_class=HTMLResponse)
async def rules_page(
    request: Request,
    kind: str | None = None,
    q: str | None = None,
    _actor: Actor = Depends(require_roles(Role.PHARMACIST, Role.OPERATOR, Role.DOCTOR)),
) -> HTMLResponse:
    """Rules grouped by kind, filterable by kind and by a word (ingredient, condition, source)."""
    catalog = safety.rules_catalog(page_lang(request))
    entries = [*catalog["red_flags"], *catalog["rules"]]
    kinds = sorted({e["kind"] for e in entries})
    if kind:
        entries = [e for e in entries if e["kind"] == kind]
    if q:
        needle = q.strip().lower()[:100]
        entries = [e for e in entries if needle in str(e).lower()]
    context = {"version": catalog["version"], "entries": entries, "kinds": kinds, "kind": kind, "q": q or ""}
    return render(request, "safety/rules.html", context)
