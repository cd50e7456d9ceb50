"""The operator's view: deliveries on time and the courier fleet; the consultation service (who
waits, who answers, how many clinicians are needed); pharmacies to approve; a simulated day to
plan the fleet and the roster."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from medrush import consult, dispatch, pharmacies, simulation
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.kernel.errors import DomainError, InvalidInput
from medrush.kernel.i18n import N_, gettext
from medrush.web.deps import require_roles
from medrush.web.rendering import page_lang, render
from medrush.web.simulation_runs import WEB_MAX_ORDERS, DayRequest, simulate_city_day
from medrush.web.validation import describe_errors

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


async def _simulate_page(
    request: Request,
    form: dict[str, Any] | None = None,
    day: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    async with db.session_scope() as session:
        cities = await simulation.simulated_cities(session)
    defaults = {
        "city": cities[0][0] if cities else "",
        "orders_per_day": 2000,
        "consults_per_day": 0,
        "seed": 1,
    }
    context = {
        "cities": cities,
        "form": {**defaults, **(form or {})},
        "day": day,
        "error": error,
        "max_orders": WEB_MAX_ORDERS,
    }
    return render(request, "operator/simulate.html", context, status_code=status_code)


@router.get("/operator/simulate", response_class=HTMLResponse)
async def simulate_form(request: Request, actor: Actor = Depends(require_roles(Role.OPERATOR))) -> Response:
    """The form for a simulated day of a city."""
    return await _simulate_page(request)


@router.post("/operator/simulate", response_class=HTMLResponse)
async def simulate_run(request: Request, actor: Actor = Depends(require_roles(Role.OPERATOR))) -> Response:
    """Simulate the day asked for and show the couriers and clinicians per hour."""
    raw = await request.form()
    form = {
        key: str(raw.get(key) or "").strip()
        for key in ("city", "orders_per_day", "surge", "consults_per_day", "seed")
    }
    lang = page_lang(request)
    try:
        asked = DayRequest(
            city=form["city"],
            orders_per_day=_whole(
                form["orders_per_day"], gettext(lang, N_("Orders in the day")), 1, WEB_MAX_ORDERS
            ),
            surge=form["surge"] or None,
            consults_per_day=_whole(
                form["consults_per_day"] or "0",
                gettext(lang, N_("Consultations in the day")),
                0,
                simulation.MAX_CONSULTS_PER_DAY,
            ),
            seed=_whole(form["seed"] or "1", gettext(lang, N_("Random seed")), 0, 2**31 - 1),
        )
        day = await simulate_city_day(asked)
    except ValidationError as exc:  # the city or the surge as typed
        return await _simulate_page(request, form, error=describe_errors(exc, lang), status_code=422)
    except DomainError as exc:
        return await _simulate_page(request, form, error=exc.translated(lang), status_code=exc.status)
    return await _simulate_page(request, form, day=day)


def _whole(text: str, field: str, low: int, high: int) -> int:
    """A whole number typed in a form (thousands separators allowed) within bounds, or a clear refusal."""
    try:
        value = int(text.replace(",", "").replace("_", "").replace(" ", ""))
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise InvalidInput(
            "{field} must be a whole number from {low} to {high}",
            code="bad_number",
            field=field,
            low=low,
            high=high,
        )
    return value
