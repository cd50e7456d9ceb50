"""Merchant console: order inbox with alerts, accept/reject, picking checklist, ready for pickup,
stock view with CSV import, and insights."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from medrush import catalog, orders, pharmacies
from medrush.accounts import Actor
from medrush.kernel import db
from medrush.kernel.errors import DomainError, InvalidInput, PermissionDenied
from medrush.kernel.money import format_minor
from medrush.web.deps import current_actor
from medrush.web.rendering import page_lang, render
from medrush.web.validation import describe_errors

__all__ = ["router"]

router = APIRouter(prefix="/merchant", include_in_schema=False)
SURGES_SHOWN = 10  # the steepest city surges on the insights page; the rest are counted


def _pharmacy_of(actor: Actor) -> uuid.UUID:
    staff = actor.has("pharmacy_staff") or actor.has("pharmacist")
    if not staff or actor.pharmacy_id is None:
        raise PermissionDenied("the merchant console is for pharmacy staff")
    return actor.pharmacy_id


def _signin(path: str) -> Response:
    return RedirectResponse(f"/signin?next={path}", status_code=303)


async def _inbox(actor: Actor) -> dict[str, Any]:
    pharmacy_id = _pharmacy_of(actor)
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        found = await orders.pharmacy_orders(session, pharmacy_id)
        views = [await orders.order_view(session, actor, o) for o in found]
        stats = await pharmacies.pharmacy_stats(session, pharmacy_id)
    return {
        "pharmacy": pharmacy,
        "orders": views,
        "new_count": sum(1 for v in views if v["status"] == "paid"),
        "stats": stats,
        "money": format_minor,
        "reasons": orders.REJECT_REASONS,
    }


@router.get("", response_class=HTMLResponse)
async def inbox(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The order inbox; new orders flash and chime. Someone who works for no pharmacy yet is
    sent to the application form."""
    if actor.user_id is None:
        return _signin("/merchant")
    if actor.pharmacy_id is None and not actor.has("operator"):
        return RedirectResponse("/merchant/apply", status_code=303)
    return render(request, "merchant/inbox.html", await _inbox(actor))


APPLY_FIELDS = (
    "name",
    "licence_number",
    "address",
    "city",
    "lat",
    "lng",
    "timezone",
    "currency",
    "service_radius_m",
)


@router.get("/apply", response_class=HTMLResponse)
async def apply_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The form to list a pharmacy on the platform."""
    if actor.user_id is None:
        return _signin("/merchant/apply")
    if actor.pharmacy_id is not None:
        return RedirectResponse("/merchant", status_code=303)
    return render(request, "merchant/apply.html", {"form": {}})


@router.post("/apply", response_class=HTMLResponse)
async def apply(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Record the application; the applicant becomes the pharmacy's staff, and orders come once
    an operator approves it."""
    if actor.user_id is None:
        return _signin("/merchant/apply")
    from medrush.web.api.v1.pharmacies import ApplyIn, apply_as

    raw = await request.form()
    form = {k: str(raw.get(k) or "").strip() for k in APPLY_FIELDS}
    try:
        data = ApplyIn.model_validate({k: v for k, v in form.items() if v})
    except ValidationError as exc:
        error = describe_errors(exc, page_lang(request), limit=10)
        return render(request, "merchant/apply.html", {"form": form, "error": error}, status_code=422)
    try:
        async with db.session_scope() as session:
            await apply_as(session, actor, data)
    except DomainError as exc:
        return render(
            request,
            "merchant/apply.html",
            {"form": form, "error": exc.translated(page_lang(request))},
            status_code=exc.status,
        )
    return RedirectResponse("/merchant", status_code=303)


@router.get("/inbox", response_class=HTMLResponse)
async def inbox_fragment(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The inbox list alone (htmx polls it)."""
    if actor.user_id is None:
        return _signin("/merchant")
    return render(request, "merchant/_orders.html", await _inbox(actor))


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def order_page(
    request: Request, order_id: uuid.UUID, actor: Actor = Depends(current_actor)
) -> Response:
    """One order with its picking checklist."""
    if actor.user_id is None:
        return _signin(f"/merchant/orders/{order_id}")
    _pharmacy_of(actor)
    async with db.session_scope() as session:
        order = await orders.access_order_by_id(session, actor, order_id)
        view = await orders.order_view(session, actor, order)
    return render(
        request, "merchant/order.html", {"o": view, "money": format_minor, "reasons": orders.REJECT_REASONS}
    )


@router.post("/orders/{order_id}/{action}")
async def act(
    request: Request, order_id: uuid.UUID, action: str, actor: Actor = Depends(current_actor)
) -> Response:
    """Accept, reject (with a reason), start picking, tick a line, or mark ready."""
    if actor.user_id is None:
        return _signin("/merchant")
    _pharmacy_of(actor)
    form = await request.form()
    target = f"/merchant/orders/{order_id}"
    try:
        async with db.session_scope() as session:
            if action == "accept":
                await orders.accept_order(session, actor, order_id)
            elif action == "reject":
                await orders.reject_order(session, actor, order_id, str(form.get("reason") or ""))
                target = "/merchant"
            elif action == "picking":
                await orders.start_picking(session, actor, order_id)
            elif action == "picked":
                picked = form.get("picked") == "1"
                await orders.mark_picked(session, actor, order_id, str(form.get("medicine_id") or ""), picked)
            elif action == "ready":
                await orders.mark_ready(session, actor, order_id)
            else:
                return Response(status_code=404)
    except DomainError as exc:
        async with db.session_scope() as session:
            order = await orders.access_order_by_id(session, actor, order_id)
            view = await orders.order_view(session, actor, order)
        ctx = {
            "o": view,
            "money": format_minor,
            "reasons": orders.REJECT_REASONS,
            "error": exc.translated(page_lang(request)),
        }
        return render(request, "merchant/order.html", ctx, status_code=exc.status)
    return RedirectResponse(target, status_code=303)


@router.get("/stock", response_class=HTMLResponse)
async def stock_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Stock and prices, with the CSV import form."""
    if actor.user_id is None:
        return _signin("/merchant/stock")
    pharmacy_id = _pharmacy_of(actor)
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        lines = await pharmacies.stock_of(session, pharmacy_id)
    return render(
        request, "merchant/stock.html", {"pharmacy": pharmacy, "lines": lines, "money": format_minor}
    )


@router.post("/stock/import", response_class=HTMLResponse)
async def stock_import(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Import a CSV and show the row-by-row report."""
    if actor.user_id is None:
        return _signin("/merchant/stock")
    pharmacy_id = _pharmacy_of(actor)
    from medrush.web.api.v1.pharmacies import CatalogIds, read_csv_body

    text = await read_csv_body(request)
    async with db.session_scope() as session:
        report = await pharmacies.import_stock_csv(session, actor, pharmacy_id, text, known_ids=CatalogIds())
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        lines = await pharmacies.stock_of(session, pharmacy_id)
    ctx = {
        "pharmacy": pharmacy,
        "lines": lines,
        "money": format_minor,
        "report": report.to_dict(page_lang(request)),
    }
    return render(request, "merchant/stock.html", ctx, status_code=422 if report.fatal else 200)


@router.post("/pharmacist")
async def pharmacist_on_duty(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Say who is on duty now (empty: nobody; class-A OTC offers stop at once)."""
    if actor.user_id is None:
        return _signin("/merchant")
    pharmacy_id = _pharmacy_of(actor)
    name = str((await request.form()).get("name") or "")[:120]
    async with db.session_scope() as session:
        await pharmacies.set_pharmacist_on_duty(session, actor, pharmacy_id, name or None)
    return RedirectResponse("/merchant", status_code=303)


async def _storefront_form(pharmacy_id: uuid.UUID) -> dict[str, Any]:
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        hours = (await pharmacies.hours_of(session, [pharmacy]))[pharmacy.id]
    week: dict[int, list[str]] = {d: [] for d in range(7)}
    for i in hours.intervals:
        week[i.weekday].append(pharmacies.format_interval(i.opens, i.closes))
    return {
        "pharmacy": pharmacy,
        "form": {
            "banner": pharmacy.banner or "",
            "phone": pharmacy.phone or "",
            "picking_minutes": pharmacy.picking_minutes,
            "categories": ", ".join(pharmacy.categories or []),
            "promotions": "\n".join(
                f"{p['title']} | {p['code']}" if p.get("code") else p["title"]
                for p in pharmacy.promotions or []
            ),
            "always_open": pharmacy.always_open,
            "radius_m": pharmacy.service_radius_m or "",
            **{f"day{d}": ", ".join(spans) for d, spans in week.items()},
        },
    }


@router.get("/storefront", response_class=HTMLResponse)
async def storefront_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The storefront customers see, opening hours and the delivery radius, as one form."""
    if actor.user_id is None:
        return _signin("/merchant/storefront")
    return render(request, "merchant/storefront.html", await _storefront_form(_pharmacy_of(actor)))


def _weekly(form: dict[str, str]) -> list[pharmacies.Interval]:
    intervals = []
    for day in range(7):
        for span in filter(None, (part.strip() for part in form.get(f"day{day}", "").split(","))):
            opens, closes = pharmacies.parse_interval(span)  # InvalidInput names the bad span
            intervals.append(pharmacies.Interval(day, opens, closes))
    return intervals


def _whole(form: dict[str, str], key: str) -> int | None:
    """A whole number typed in a form field (None when left empty)."""
    text = form.get(key, "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput("{key}: {text!r} is not a whole number", code="bad_number", key=key, text=text)
    return int(text)


@router.post("/storefront", response_class=HTMLResponse)
async def save_storefront(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Save the storefront, the weekly hours and the delivery radius together (all or nothing)."""
    if actor.user_id is None:
        return _signin("/merchant/storefront")
    pharmacy_id = _pharmacy_of(actor)
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    promotions = []
    for line in form.get("promotions", "").splitlines():
        title, _, code = line.partition("|")
        if title.strip():
            promotions.append({"title": title.strip(), "code": code.strip()})
    try:
        intervals = _weekly(form)
        picking = _whole(form, "picking_minutes")
        radius = _whole(form, "radius_m")
        async with db.session_scope() as session:
            await pharmacies.update_storefront(
                session,
                actor,
                pharmacy_id,
                banner=form.get("banner", ""),
                phone=form.get("phone", ""),
                picking_minutes=picking,
                categories=form.get("categories", "").split(","),
                promotions=promotions,
            )
            await pharmacies.set_opening_hours(
                session, actor, pharmacy_id, intervals, always_open=form.get("always_open") == "true"
            )
            if radius is not None:
                await pharmacies.set_service_area(session, actor, pharmacy_id, radius_m=radius)
    except (ValueError, DomainError) as exc:
        ctx = await _storefront_form(pharmacy_id)
        ctx["form"] = {**ctx["form"], **form, "always_open": form.get("always_open") == "true"}
        message = exc.translated(page_lang(request)) if isinstance(exc, DomainError) else str(exc)
        status = exc.status if isinstance(exc, DomainError) else 422
        return render(request, "merchant/storefront.html", {**ctx, "error": message}, status_code=status)
    return RedirectResponse("/merchant/storefront?saved=1", status_code=303)


@router.get("/insights", response_class=HTMLResponse)
async def insights_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Demand forecast for the next 7 days, restock suggestions and city surge alerts."""
    if actor.user_id is None:
        return _signin("/merchant/insights")
    pharmacy_id = _pharmacy_of(actor)
    lang = page_lang(request)
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        report = await pharmacies.pharmacy_insights(session, pharmacy_id)
    index = catalog.search_index()
    ids = [p["medicine_id"] for p in report["products"]] + [s["medicine_id"] for s in report["surges"]]
    names = {mid: product.name_in(lang) if (product := index.get(mid)) else mid for mid in ids}
    ctx = {"pharmacy": pharmacy, "report": report, "names": names, "surges_shown": SURGES_SHOWN}
    return render(request, "merchant/insights.html", ctx)
