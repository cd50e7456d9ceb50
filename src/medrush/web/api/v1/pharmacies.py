"""JSON API of pharmacies: storefronts, onboarding, hours, service area, stock, CSV import, holds.

POSTs accept an ``Idempotency-Key`` (same key and body: the first result; another body: 409);
PUTs set absolute values and are idempotent by themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Container
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts, pharmacies
from medrush.accounts import SYSTEM, Actor, Role
from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput
from medrush.kernel.money import format_minor
from medrush.web.api.v1.orders import idempotent
from medrush.web.deps import require_actor, require_roles
from medrush.web.rendering import page_lang

__all__ = ["router", "storefront"]

router = APIRouter(prefix="/api/v1/pharmacies", tags=["pharmacies"])
MAX_CSV_BYTES = 2_000_000


class ApplyIn(BaseModel):
    """An application to list a pharmacy."""

    name: str = Field(min_length=1, max_length=160)
    licence_number: str = Field(min_length=3, max_length=64)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    address: str = Field(min_length=1, max_length=300)
    city: str = Field(min_length=1, max_length=80)
    timezone: str = "Asia/Shanghai"
    currency: str = Field("CNY", pattern="^[A-Z]{3}$")
    service_radius_m: int = Field(3000, ge=100, le=50_000)


class ReasonIn(BaseModel):
    """Why."""

    reason: str = Field(min_length=1, max_length=500)


class StockIn(BaseModel):
    """Quantity on hand and price in minor units."""

    quantity: int = Field(ge=0, le=1_000_000)
    price: int = Field(ge=0, le=100_000_000)


class HoursIn(BaseModel):
    """Weekly hours: ``{"0": ["08:00-22:00"], ...}`` by weekday (0 = Monday), or open 24 hours."""

    always_open: bool = False
    week: dict[int, list[str]] = Field(default_factory=dict)


class PromotionIn(BaseModel):
    """A promotion shown on the storefront."""

    title: str = Field(min_length=1, max_length=120)
    code: str | None = Field(None, max_length=32)


class StorefrontIn(BaseModel):
    """Storefront fields to change; absent ones stay."""

    banner: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=32)
    picking_minutes: int | None = Field(None, ge=0, le=120)
    categories: list[str] | None = Field(None, max_length=20)
    promotions: list[PromotionIn] | None = Field(None, max_length=10)


class HolidayIn(BaseModel):
    """An exception for one local date."""

    day: date
    closed: bool = True
    hours: str | None = None
    note: str | None = Field(None, max_length=120)


class AreaIn(BaseModel):
    """A radius in metres or h3 cells."""

    radius_m: int | None = Field(None, ge=100, le=50_000)
    cells: list[str] = Field(default_factory=list, max_length=5000)


class PharmacistIn(BaseModel):
    """The pharmacist on duty now (null: none)."""

    name: str | None = Field(None, max_length=120)


class HoldIn(BaseModel):
    """Units held for a consultation in progress."""

    medicine_id: str = Field(min_length=1, max_length=80)
    quantity: int = Field(ge=1, le=100)
    ref: str = Field(min_length=1, max_length=80)
    minutes: int = Field(60, ge=1, le=1440)


async def storefront(session: Any, pharmacy: pharmacies.Pharmacy) -> dict[str, Any]:
    """The public face of a pharmacy: storefront, hours and whether it is open now."""
    hours = (await pharmacies.hours_of(session, [pharmacy]))[pharmacy.id]
    return {
        "id": str(pharmacy.id),
        "name": pharmacy.name,
        "status": pharmacy.status,
        "address": pharmacy.address,
        "city": pharmacy.city,
        "lat": pharmacy.lat,
        "lng": pharmacy.lng,
        "timezone": pharmacy.timezone,
        "currency": pharmacy.currency,
        "banner": pharmacy.banner,
        "categories": pharmacy.categories,
        "promotions": pharmacy.promotions,
        "pharmacist_on_duty": pharmacy.pharmacist_on_duty,
        "always_open": pharmacy.always_open,
        "open_now": pharmacy.status == "approved" and hours.is_open_at(clock.now()),
        "hours": [
            {"weekday": i.weekday, "opens": i.opens.strftime("%H:%M"), "closes": i.closes.strftime("%H:%M")}
            for i in hours.intervals
        ],
        "service_radius_m": pharmacy.service_radius_m,
        "service_cells": len(pharmacy.service_cells or []),
        "source": pharmacy.source,
    }


@router.get("")
async def list_pharmacies(city: str | None = Query(None, max_length=80)) -> list[dict[str, Any]]:
    """Approved pharmacies (of one city), with their storefront and whether they are open now."""
    async with db.session_scope() as session:
        found = await pharmacies.list_pharmacies(session, city=city, status="approved")
        return [await storefront(session, p) for p in found]


@router.get("/{pharmacy_id}")
async def get_pharmacy(pharmacy_id: uuid.UUID) -> dict[str, Any]:
    """One pharmacy's storefront."""
    async with db.session_scope() as session:
        return await storefront(session, await pharmacies.get_pharmacy(session, pharmacy_id))


async def apply_as(session: AsyncSession, actor: Actor, data: ApplyIn) -> pharmacies.Pharmacy:
    """Record an application; an applicant who works for no pharmacy yet becomes its staff (an
    operator applying on a merchant's behalf does not), so the merchant console opens at once
    and receives orders from the approval on. An account works for one pharmacy."""
    joins = actor.user_id is not None and not actor.has(Role.OPERATOR)
    if joins and actor.pharmacy_id is not None:
        raise Conflict("this account already works for another pharmacy", code="other_pharmacy")
    pharmacy = await pharmacies.apply_for_listing(session, **data.model_dump())
    if joins:
        assert actor.user_id is not None
        await accounts.join_pharmacy(session, SYSTEM, actor.user_id, pharmacy.id)
    return pharmacy


@router.post("", status_code=201)
async def apply(data: ApplyIn, request: Request, actor: Actor = Depends(require_actor)) -> JSONResponse:
    """Apply to list a pharmacy (an operator approves it); the applicant becomes its staff."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            pharmacy = await apply_as(session, actor, data)
            return 201, await storefront(session, pharmacy)

        return await idempotent(request, session, actor, data.model_dump(mode="json"), produce)


@router.post("/{pharmacy_id}/approve")
async def approve(
    pharmacy_id: uuid.UUID, request: Request, actor: Actor = Depends(require_roles(Role.OPERATOR))
) -> JSONResponse:
    """An operator approves (or reinstates) a pharmacy."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            return 200, await storefront(
                session, await pharmacies.approve_pharmacy(session, actor, pharmacy_id)
            )

        return await idempotent(request, session, actor, {}, produce)


@router.post("/{pharmacy_id}/suspend")
async def suspend(
    pharmacy_id: uuid.UUID,
    data: ReasonIn,
    request: Request,
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> JSONResponse:
    """An operator suspends a pharmacy."""
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            pharmacy = await pharmacies.suspend_pharmacy(session, actor, pharmacy_id, data.reason)
            return 200, await storefront(session, pharmacy)

        return await idempotent(request, session, actor, data.model_dump(), produce)


def _stock_out(item: pharmacies.StockItem, currency: str) -> dict[str, Any]:
    return {
        "medicine_id": item.medicine_id,
        "quantity": item.quantity,
        "reserved": item.reserved,
        "available": item.quantity - item.reserved,
        "price": item.price,
        "price_display": format_minor(item.price, currency),
        "updated_at": item.updated_at.isoformat(),
    }


@router.get("/{pharmacy_id}/stock")
async def stock(
    pharmacy_id: uuid.UUID, actor: Actor = Depends(require_actor), available_only: bool = False
) -> list[dict[str, Any]]:
    """Every stock line of a pharmacy (its staff and operators)."""
    pharmacies.check_pharmacy_staff(actor, pharmacy_id)
    async with db.session_scope() as session:
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        lines = await pharmacies.stock_of(session, pharmacy_id)
        return [
            _stock_out(i, pharmacy.currency)
            for i in lines
            if not available_only or i.quantity - i.reserved > 0
        ]


@router.put("/{pharmacy_id}/stock/{medicine_id}")
async def set_stock(
    pharmacy_id: uuid.UUID, medicine_id: str, data: StockIn, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Set one product's quantity and price."""
    async with db.session_scope() as session:
        await pharmacies.set_stock(
            session, actor, pharmacy_id, medicine_id, quantity=data.quantity, price=data.price
        )
        item = await pharmacies.stock_line(session, pharmacy_id, medicine_id)
        pharmacy = await pharmacies.get_pharmacy(session, pharmacy_id)
        assert item is not None
        return _stock_out(item, pharmacy.currency)


class CatalogIds(Container[str]):
    """Membership in the catalog's live index (unknown products are rejected row by row)."""

    def __init__(self) -> None:
        from medrush import catalog

        self._index = catalog.current_index() or catalog.search_index()

    def __contains__(self, medicine_id: object) -> bool:
        return isinstance(medicine_id, str) and self._index.get(medicine_id) is not None


async def read_csv_body(request: Request) -> str:
    """The CSV text of a request: a ``file`` form field or a raw ``text/csv`` body."""
    content_type = request.headers.get("content-type", "")
    # a plain form as well: its body was read already (the CSRF check), and it carries no file
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput("attach the CSV as the form field 'file'", code="missing_file")
        raw = await upload.read()
    else:
        raw = await request.body()
    if len(raw) > MAX_CSV_BYTES:
        raise InvalidInput("the CSV is larger than 2 MB", code="too_large")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the CSV must be UTF-8 text", code="bad_encoding") from exc


@router.post("/{pharmacy_id}/stock/import")
async def import_stock(
    pharmacy_id: uuid.UUID, request: Request, actor: Actor = Depends(require_actor)
) -> Any:
    """Import a stock CSV (``medicine_id,quantity,price``): good rows applied, bad rows reported."""
    text = await read_csv_body(request)
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            report = await pharmacies.import_stock_csv(
                session, actor, pharmacy_id, text, known_ids=CatalogIds()
            )
            return 422 if report.fatal else 200, report.to_dict(page_lang(request))

        return await idempotent(request, session, actor, {"csv": text}, produce)


@router.get("/{pharmacy_id}/ledger")
async def ledger(
    pharmacy_id: uuid.UUID,
    medicine_id: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    actor: Actor = Depends(require_actor),
) -> list[dict[str, Any]]:
    """The latest stock ledger rows, newest first."""
    pharmacies.check_pharmacy_staff(actor, pharmacy_id)
    async with db.session_scope() as session:
        rows = await pharmacies.ledger_of(session, pharmacy_id, medicine_id, limit=limit)
        return [
            {
                "medicine_id": r.medicine_id,
                "quantity_delta": r.quantity_delta,
                "reserved_delta": r.reserved_delta,
                "price": r.price,
                "reason": r.reason,
                "actor_id": str(r.actor_id) if r.actor_id else None,
                "ref": r.ref,
                "at": r.at.isoformat(),
            }
            for r in rows
        ]


@router.patch("/{pharmacy_id}")
async def edit_storefront(
    pharmacy_id: uuid.UUID, data: StorefrontIn, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Change the banner, phone, picking minutes, categories or promotions (the pharmacy's staff)."""
    async with db.session_scope() as session:
        pharmacy = await pharmacies.update_storefront(
            session, actor, pharmacy_id, **data.model_dump(exclude_unset=True, exclude_none=False)
        )
        return await storefront(session, pharmacy)


@router.put("/{pharmacy_id}/hours")
async def set_hours(
    pharmacy_id: uuid.UUID, data: HoursIn, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Replace the weekly hours."""
    intervals = []
    for weekday, spans in data.week.items():
        for span in spans:
            opens, closes = pharmacies.parse_interval(span)  # InvalidInput names the bad span
            intervals.append(pharmacies.Interval(weekday, opens, closes))
    async with db.session_scope() as session:
        await pharmacies.set_opening_hours(
            session, actor, pharmacy_id, intervals, always_open=data.always_open
        )
    async with db.session_scope() as session:
        return await storefront(session, await pharmacies.get_pharmacy(session, pharmacy_id))


@router.put("/{pharmacy_id}/holidays")
async def set_holiday(
    pharmacy_id: uuid.UUID, data: HolidayIn, actor: Actor = Depends(require_actor)
) -> dict[str, str]:
    """Close for a date, or set special hours for it."""
    opens = closes = None
    if data.hours:
        opens, closes = pharmacies.parse_interval(data.hours)
    async with db.session_scope() as session:
        await pharmacies.set_holiday(
            session,
            actor,
            pharmacy_id,
            data.day,
            closed=data.closed,
            opens=opens,
            closes=closes,
            note=data.note,
        )
    return {"status": "ok"}


@router.put("/{pharmacy_id}/service-area")
async def set_area(
    pharmacy_id: uuid.UUID, data: AreaIn, actor: Actor = Depends(require_actor)
) -> dict[str, str]:
    """Set the delivery area."""
    async with db.session_scope() as session:
        await pharmacies.set_service_area(
            session, actor, pharmacy_id, radius_m=data.radius_m, cells=data.cells
        )
    return {"status": "ok"}


@router.put("/{pharmacy_id}/pharmacist")
async def set_pharmacist(
    pharmacy_id: uuid.UUID, data: PharmacistIn, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Say who is on duty (class-A OTC sales need someone)."""
    async with db.session_scope() as session:
        await pharmacies.set_pharmacist_on_duty(session, actor, pharmacy_id, data.name)
    return {"pharmacist_on_duty": data.name}


@router.get("/{pharmacy_id}/stats")
async def stats(pharmacy_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """Acceptance time, rejection rate and units on hand."""
    pharmacies.check_pharmacy_staff(actor, pharmacy_id)
    async with db.session_scope() as session:
        return await pharmacies.pharmacy_stats(session, pharmacy_id)


def _check_hold_rights(actor: Actor, pharmacy_id: uuid.UUID) -> None:
    if not (actor.has(Role.DOCTOR) or actor.has(Role.PHARMACIST) or actor.has(Role.OPERATOR)):
        pharmacies.check_pharmacy_staff(actor, pharmacy_id)


@router.post("/{pharmacy_id}/holds", status_code=201)
async def hold(
    pharmacy_id: uuid.UUID, data: HoldIn, request: Request, actor: Actor = Depends(require_actor)
) -> JSONResponse:
    """Hold units for a consultation in progress (clinicians and the pharmacy's staff)."""
    _check_hold_rights(actor, pharmacy_id)
    async with db.session_scope() as session:

        async def produce() -> tuple[int, dict[str, Any]]:
            held = await pharmacies.reserve_stock(
                session,
                pharmacy_id,
                [pharmacies.StockLine(data.medicine_id, data.quantity)],
                ref=f"consult:{data.ref}",
                minutes=data.minutes,
                purpose=pharmacies.ReservationPurpose.CONSULTATION,
                actor=actor,
            )
            return 201, {
                "ref": held[0].ref,
                "expires_at": held[0].expires_at.isoformat(),
                "quantity": held[0].quantity,
            }

        return await idempotent(request, session, actor, data.model_dump(), produce)


@router.delete("/{pharmacy_id}/holds/{ref}")
async def release_hold(
    pharmacy_id: uuid.UUID, ref: str, actor: Actor = Depends(require_actor)
) -> dict[str, int]:
    """Release a consultation hold (clinicians and the pharmacy's staff)."""
    _check_hold_rights(actor, pharmacy_id)
    async with db.session_scope() as session:
        released = await pharmacies.release_reservations(session, f"consult:{ref}", actor=actor)
    return {"released": released}
