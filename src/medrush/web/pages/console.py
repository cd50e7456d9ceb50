"""The staff consoles' entry page and the operator's audit log view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import accounts
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.i18n import N_, gettext
from medrush.web.deps import current_actor, require_roles
from medrush.web.rendering import page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CONSOLES = (
    (Role.PHARMACY_STAFF, "/merchant", N_("Pharmacy console")),
    (Role.PHARMACIST, "/merchant", N_("Pharmacy console")),
    (Role.DOCTOR, "/clinician", N_("Consultation queue")),
    (Role.PHARMACIST, "/clinician", N_("Consultation queue")),
    (Role.COURIER, "/courier", N_("Courier")),
    (Role.OPERATOR, "/operator", N_("Operations")),
    (Role.OPERATOR, "/operator/pharmacies", N_("Pharmacies")),
    (Role.OPERATOR, "/console/audit", N_("Audit log")),
    (Role.OPERATOR, "/safety/rules", N_("Safety rules")),
    (Role.PHARMACIST, "/safety/rules", N_("Safety rules")),
)


@router.get("/console", response_class=HTMLResponse)
async def consoles(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Links to the consoles the signed-in user may open."""
    if actor.user_id is None:
        return RedirectResponse("/signin?next=/console", status_code=303)
    lang = page_lang(request)
    seen: dict[str, str] = {}
    for role, href, label in CONSOLES:
        if actor.has(role) and href not in seen:
            seen[href] = gettext(lang, label)
    return render(request, "console/index.html", {"consoles": list(seen.items())})


@router.get("/console/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request,
    object_type: str | None = None,
    object_id: str | None = None,
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> HTMLResponse:
    """The latest audit rows, filterable by object."""
    async with db.session_scope() as session:
        entries = await accounts.query_audit(
            session, actor, object_type=object_type or None, object_id=object_id or None, limit=200
        )
    filters = {"object_type": object_type, "object_id": object_id}
    return render(request, "console/audit.html", {"entries": entries, "filters": filters})
