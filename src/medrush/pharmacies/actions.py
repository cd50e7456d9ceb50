"""Writes of the pharmacies domain: onboarding, hours, service area, stock and reservations.

Stock changes only through single conditional statements (see ``docs/adr/0002-stock-reservations.md``):
a reservation is ``UPDATE ... SET reserved = reserved + n WHERE quantity - reserved >= n``, so two
checkouts racing for the last unit cannot both win, whatever the isolation level. Every change
writes a ledger row in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import h3
from sqlalchemy import and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound
from medrush.kernel.events import emit
from medrush.kernel.ids import new_id
from medrush.pharmacies.access import check_operator, check_pharmacy_staff
from medrush.pharmacies.enums import PharmacyStatus, ReservationPurpose, ReservationStatus, StockReason
from medrush.pharmacies.hours import Interval
from medrush.pharmacies.models import (
    HolidayHours,
    OpeningHours,
    Pharmacy,
    StockItem,
    StockLedgerEntry,
    StockReservation,
)
from medrush.pharmacies.queries import forget_hours
from medrush.pharmacies.schemas import ActorLike, ImportReport, StockLine
from medrush.pharmacies.stock_csv import RowError, parse_stock_csv

__all__ = [
    "apply_for_listing",
    "approve_pharmacy",
    "commit_reservations",
    "expire_reservations",
    "import_stock_csv",
    "record_order_response",
    "release_reservations",
    "reserve_stock",
    "return_stock",
    "seed_stock",
    "set_holiday",
    "set_opening_hours",
    "set_pharmacist_on_duty",
    "set_service_area",
    "set_stock",
    "suspend_pharmacy",
    "update_storefront",
]

MAX_RESERVATION_MINUTES = 24 * 60


def _check_point(lat: float, lng: float) -> None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
        raise InvalidInput("coordinates out of range", code="bad_coordinates")


async def _pharmacy(session: AsyncSession, pharmacy_id: uuid.UUID, *, lock: bool = False) -> Pharmacy:
    stmt = select(Pharmacy).where(Pharmacy.id == pharmacy_id)
    if lock:
        stmt = stmt.with_for_update()
    pharmacy = (await session.scalars(stmt)).first()
    if pharmacy is None:
        raise NotFound("no such pharmacy", code="pharmacy_not_found")
    return pharmacy


async def apply_for_listing(
    session: AsyncSession,
    *,
    name: str,
    licence_number: str,
    lat: float,
    lng: float,
    address: str,
    city: str,
    timezone: str = "Asia/Shanghai",
    currency: str = "CNY",
    service_radius_m: int | None = 3000,
    **storefront: Any,
) -> Pharmacy:
    """Record a pharmacy's application (status ``applied``); the licence number must be new."""
    name, licence_number = name.strip(), licence_number.strip()
    if not name or not licence_number:
        raise InvalidInput("name and licence number are required", code="missing_fields")
    _check_point(lat, lng)
    try:
        ZoneInfo(timezone)
    except Exception as exc:  # ZoneInfo raises several unrelated types
        raise InvalidInput("unknown time zone {timezone!r}", code="bad_timezone", timezone=timezone) from exc
    taken = await session.scalar(select(Pharmacy.id).where(Pharmacy.licence_number == licence_number))
    if taken is not None:
        raise Conflict("a pharmacy with this licence number is already listed", code="licence_taken")
    allowed = {
        "banner",
        "categories",
        "promotions",
        "pharmacist_on_duty",
        "phone",
        "always_open",
        "picking_minutes",
    }
    unknown = set(storefront) - allowed - {"source", "id"}
    if unknown:
        raise InvalidInput(
            "unknown field(s): {fields}", code="unknown_fields", fields=", ".join(sorted(unknown))
        )
    pharmacy = Pharmacy(
        name=name,
        licence_number=licence_number,
        status=PharmacyStatus.APPLIED,
        lat=lat,
        lng=lng,
        address=address,
        city=city,
        timezone=timezone,
        currency=currency,
        service_radius_m=service_radius_m,
        service_cells=[],
        **{"categories": [], "promotions": [], **storefront},
    )
    session.add(pharmacy)
    await session.flush()
    await emit(session, "pharmacies.applied", {"pharmacy_id": str(pharmacy.id), "name": name})
    return pharmacy


async def approve_pharmacy(session: AsyncSession, actor: ActorLike, pharmacy_id: uuid.UUID) -> Pharmacy:
    """An operator approves an applied (or reinstates a suspended) pharmacy."""
    check_operator(actor)
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    if pharmacy.status not in (PharmacyStatus.APPLIED, PharmacyStatus.SUSPENDED):
        raise Conflict(
            "cannot approve a pharmacy that is {status}", code="bad_status", status=pharmacy.status
        )
    pharmacy.status = PharmacyStatus.APPROVED
    pharmacy.approved_at = clock.now()
    pharmacy.suspended_reason = None
    await emit(session, "pharmacies.approved", {"pharmacy_id": str(pharmacy.id)})
    return pharmacy


async def suspend_pharmacy(
    session: AsyncSession, actor: ActorLike, pharmacy_id: uuid.UUID, reason: str
) -> Pharmacy:
    """An operator suspends a pharmacy: it stops receiving orders at once."""
    check_operator(actor)
    if not reason.strip():
        raise InvalidInput("a reason is required", code="missing_reason")
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    if pharmacy.status == PharmacyStatus.SUSPENDED:
        return pharmacy
    pharmacy.status = PharmacyStatus.SUSPENDED
    pharmacy.suspended_reason = reason.strip()
    await emit(session, "pharmacies.suspended", {"pharmacy_id": str(pharmacy.id), "reason": reason})
    return pharmacy


async def set_opening_hours(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    intervals: Sequence[Interval],
    *,
    always_open: bool = False,
) -> None:
    """Replace the weekly timetable (or mark the pharmacy open 24 hours)."""
    check_pharmacy_staff(actor, pharmacy_id)
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    pharmacy.always_open = always_open
    await session.execute(delete(OpeningHours).where(OpeningHours.pharmacy_id == pharmacy_id))
    forget_hours(pharmacy_id)
    session.add_all(
        OpeningHours(pharmacy_id=pharmacy_id, weekday=i.weekday, opens=i.opens, closes=i.closes)
        for i in intervals
    )


async def set_holiday(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    day: date,
    *,
    closed: bool = True,
    opens: time | None = None,
    closes: time | None = None,
    note: str | None = None,
) -> None:
    """Set the exception for one local date (closed, or special hours)."""
    check_pharmacy_staff(actor, pharmacy_id)
    if not closed and (opens is None or closes is None):
        raise InvalidInput("special hours need both opening and closing times", code="bad_hours")
    await _pharmacy(session, pharmacy_id)
    stmt = insert(HolidayHours).values(
        pharmacy_id=pharmacy_id, day=day, closed=closed, opens=opens, closes=closes, note=note
    )
    forget_hours(pharmacy_id)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["pharmacy_id", "day"],
            set_={"closed": closed, "opens": opens, "closes": closes, "note": note},
        )
    )


async def set_service_area(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    *,
    radius_m: int | None = None,
    cells: Collection[str] = (),
) -> None:
    """Set the area served: a radius in metres or a set of h3 cells of one resolution."""
    check_pharmacy_staff(actor, pharmacy_id)
    cells = sorted(set(cells))
    if not cells and (radius_m is None or not 100 <= radius_m <= 50_000):
        raise InvalidInput("give a radius between 100 and 50000 metres, or h3 cells", code="bad_area")
    if cells:
        if not all(h3.is_valid_cell(c) for c in cells):
            raise InvalidInput("not an h3 cell", code="bad_area")
        if len({h3.get_resolution(c) for c in cells}) != 1:
            raise InvalidInput("all cells must have the same resolution", code="bad_area")
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    pharmacy.service_radius_m = None if cells else radius_m
    pharmacy.service_cells = list(cells)


MAX_CATEGORIES = 20
MAX_PROMOTIONS = 10


async def update_storefront(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    *,
    banner: str | None = None,
    phone: str | None = None,
    picking_minutes: int | None = None,
    categories: Sequence[str] | None = None,
    promotions: Sequence[Mapping[str, str]] | None = None,
) -> Pharmacy:
    """Change what customers see on the storefront; only the given fields change (an empty
    banner or phone clears it). Promotions are ``{"title", "code"?}``."""
    check_pharmacy_staff(actor, pharmacy_id)
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    if banner is not None:
        if len(banner.strip()) > 300:
            raise InvalidInput("the banner is at most 300 characters", code="bad_storefront")
        pharmacy.banner = banner.strip() or None
    if phone is not None:
        if len(phone.strip()) > 32:
            raise InvalidInput("the phone number is at most 32 characters", code="bad_storefront")
        pharmacy.phone = phone.strip() or None
    if picking_minutes is not None:
        if not 0 <= picking_minutes <= 120:
            raise InvalidInput("picking takes 0 to 120 minutes", code="bad_storefront")
        pharmacy.picking_minutes = picking_minutes
    if categories is not None:
        names = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
        if len(names) > MAX_CATEGORIES or any(len(c) > 40 for c in names):
            raise InvalidInput(
                "at most {max_categories} categories of 40 characters",
                code="bad_storefront",
                max_categories=MAX_CATEGORIES,
            )
        pharmacy.categories = names
    if promotions is not None:
        offers = [
            {
                "title": str(p.get("title", "")).strip(),
                **({"code": str(p["code"]).strip()} if p.get("code") else {}),
            }
            for p in promotions
        ]
        offers = [o for o in offers if o["title"]]
        too_long = any(len(o["title"]) > 120 or len(o.get("code", "")) > 32 for o in offers)
        if len(offers) > MAX_PROMOTIONS or too_long:
            raise InvalidInput(
                "at most {max_promotions} promotions (title 120, code 32 characters)",
                code="bad_storefront",
                max_promotions=MAX_PROMOTIONS,
            )
        pharmacy.promotions = offers
    return pharmacy


async def set_pharmacist_on_duty(
    session: AsyncSession, actor: ActorLike, pharmacy_id: uuid.UUID, name: str | None
) -> None:
    """Say which pharmacist is on duty now (None: nobody; class-A OTC sales stop)."""
    check_pharmacy_staff(actor, pharmacy_id)
    pharmacy = await _pharmacy(session, pharmacy_id, lock=True)
    pharmacy.pharmacist_on_duty = name.strip() if name and name.strip() else None


def _ledger(
    pharmacy_id: uuid.UUID,
    medicine_id: str,
    reason: StockReason,
    actor: ActorLike | None,
    *,
    quantity_delta: int = 0,
    reserved_delta: int = 0,
    price: int | None = None,
    ref: str | None = None,
    at: datetime | None = None,
) -> StockLedgerEntry:
    return StockLedgerEntry(
        pharmacy_id=pharmacy_id,
        medicine_id=medicine_id,
        quantity_delta=quantity_delta,
        reserved_delta=reserved_delta,
        price=price,
        reason=str(reason),
        actor_id=actor.user_id if actor is not None else None,
        ref=ref,
        at=at or clock.now(),
    )


async def set_stock(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    medicine_id: str,
    *,
    quantity: int,
    price: int,
    reason: StockReason = StockReason.ADJUST,
) -> bool:
    """Set a product's quantity on hand and price; refuses a quantity below what is reserved.

    Returns False when nothing changed (no ledger row then).
    """
    check_pharmacy_staff(actor, pharmacy_id)
    if quantity < 0 or price < 0:
        raise InvalidInput("quantity and price must be zero or more", code="negative")
    if not medicine_id.strip():
        raise InvalidInput("medicine_id is required", code="missing_fields")
    current = (
        await session.scalars(
            select(StockItem)
            .where(StockItem.pharmacy_id == pharmacy_id, StockItem.medicine_id == medicine_id)
            .with_for_update()
        )
    ).first()
    now = clock.now()
    if current is None:
        await _pharmacy(session, pharmacy_id)
        session.add(
            StockItem(
                pharmacy_id=pharmacy_id,
                medicine_id=medicine_id,
                quantity=quantity,
                reserved=0,
                price=price,
                updated_at=now,
            )
        )
        session.add(
            _ledger(pharmacy_id, medicine_id, reason, actor, quantity_delta=quantity, price=price, at=now)
        )
        return True
    if quantity < current.reserved:
        raise Conflict(
            "{reserved} unit(s) of {medicine_id} are reserved; quantity cannot go below that",
            code="below_reserved",
            reserved=current.reserved,
            medicine_id=medicine_id,
        )
    if quantity == current.quantity and price == current.price:
        return False
    delta = quantity - current.quantity
    current.quantity = quantity
    current.price = price
    current.updated_at = now
    session.add(_ledger(pharmacy_id, medicine_id, reason, actor, quantity_delta=delta, price=price, at=now))
    return True


async def seed_stock(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    lines: Sequence[tuple[str, int, int]],
) -> int:
    """Stock a pharmacy that has no stock yet from ``(medicine_id, quantity, price)`` in two statements.

    For onboarding and demo data; Conflict when the pharmacy already lists any product.
    """
    check_pharmacy_staff(actor, pharmacy_id)
    if await session.scalar(
        select(StockItem.medicine_id).where(StockItem.pharmacy_id == pharmacy_id).limit(1)
    ):
        raise Conflict("this pharmacy already has stock; import a CSV instead", code="has_stock")
    if any(quantity < 0 or price < 0 for _, quantity, price in lines):
        raise InvalidInput("quantity and price must be zero or more", code="negative")
    if not lines:
        return 0
    now = clock.now()
    await session.execute(
        insert(StockItem),
        [
            {
                "pharmacy_id": pharmacy_id,
                "medicine_id": m,
                "quantity": q,
                "reserved": 0,
                "price": p,
                "updated_at": now,
            }
            for m, q, p in lines
        ],
    )
    await session.execute(
        insert(StockLedgerEntry),
        [
            {
                "pharmacy_id": pharmacy_id,
                "medicine_id": m,
                "quantity_delta": q,
                "reserved_delta": 0,
                "price": p,
                "reason": str(StockReason.IMPORT),
                "actor_id": actor.user_id,
                "ref": "seed",
                "at": now,
            }
            for m, q, p in lines
        ],
    )
    return len(lines)


async def import_stock_csv(
    session: AsyncSession,
    actor: ActorLike,
    pharmacy_id: uuid.UUID,
    text: str,
    *,
    known_ids: Container[str] | None = None,
) -> ImportReport:
    """Apply the good rows of a stock CSV, reject the bad ones, and report each rejection.

    Each row is applied inside its own savepoint, so a row refused by the database (say, a
    quantity below what is reserved) leaves nothing half-written while the other rows stand.
    """
    check_pharmacy_staff(actor, pharmacy_id)
    await _pharmacy(session, pharmacy_id)
    sheet = parse_stock_csv(text, known_ids)
    report = ImportReport(errors=list(sheet.errors), fatal=sheet.fatal)
    if sheet.fatal:
        return report
    for row in sheet.rows:
        try:
            async with session.begin_nested():
                changed = await set_stock(
                    session,
                    actor,
                    pharmacy_id,
                    row.medicine_id,
                    quantity=row.quantity,
                    price=row.price,
                    reason=StockReason.IMPORT,
                )
                await session.flush()
        except Conflict as exc:
            report.errors.append(RowError(row.line, exc.message, row.medicine_id, exc.template, exc.values))
            continue
        if changed:
            report.applied += 1
        else:
            report.unchanged += 1
    report.errors.sort(key=lambda e: e.line)
    await emit(
        session,
        "pharmacies.stock_imported",
        {"pharmacy_id": str(pharmacy_id), "applied": report.applied, "rejected": len(report.errors)},
    )
    return report


async def reserve_stock(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    lines: Iterable[StockLine],
    *,
    ref: str,
    minutes: int,
    purpose: ReservationPurpose = ReservationPurpose.ORDER,
    actor: ActorLike | None = None,
) -> list[StockReservation]:
    """Hold every line at one pharmacy for ``minutes``, all or nothing; Conflict when any is short.

    Lines are reserved in medicine id order so concurrent multi-line checkouts lock rows in the
    same order and cannot deadlock.
    """
    merged: dict[str, int] = {}
    for line in lines:
        if line.quantity <= 0:
            raise InvalidInput("quantities must be positive", code="bad_quantity")
        merged[line.medicine_id] = merged.get(line.medicine_id, 0) + line.quantity
    if not merged:
        raise InvalidInput("nothing to reserve", code="empty")
    if not 1 <= minutes <= MAX_RESERVATION_MINUTES:
        raise InvalidInput("reservation minutes out of range", code="bad_minutes")
    now = clock.now()
    expires = now + timedelta(minutes=minutes)
    ids = sorted(merged)
    reservations = [
        StockReservation(
            id=new_id(),
            pharmacy_id=pharmacy_id,
            medicine_id=medicine_id,
            quantity=merged[medicine_id],
            purpose=str(purpose),
            ref=ref,
            status=str(ReservationStatus.HELD),
            created_at=now,
            expires_at=expires,
        )
        for medicine_id in ids
    ]
    short = await _hold_all(session, pharmacy_id, reservations, actor)
    if short and any([await _expire_line(session, pharmacy_id, medicine_id) for medicine_id in short]):
        short = await _hold_all(session, pharmacy_id, reservations, actor)  # stale holds gave units back
    if short:
        raise Conflict(
            "not enough {medicine_id} in stock",
            code="out_of_stock",
            details={"medicine_id": short[0]},
            medicine_id=short[0],
        )
    return reservations


# One statement holds every line or none: it locks the lines in medicine id order (concurrent
# multi-line checkouts cannot deadlock), checks that each has enough free units, and only then
# raises ``reserved`` and writes the ledger and reservation rows. It returns the short lines.
_HOLD_ALL = """
    WITH want AS (
        SELECT * FROM unnest(
            CAST($1 AS uuid[]), CAST($2 AS varchar[]), CAST($3 AS integer[])
        ) AS w(id, medicine_id, quantity)
    ),
    locked AS (
        SELECT s.medicine_id, s.quantity - s.reserved AS free
        FROM pharmacy_stock s
        WHERE s.pharmacy_id = CAST($4 AS uuid)
          AND s.medicine_id = ANY(CAST($2 AS varchar[]))
        ORDER BY s.medicine_id
        FOR UPDATE
    ),
    short AS (
        SELECT w.medicine_id FROM want w LEFT JOIN locked l USING (medicine_id)
        WHERE l.free IS NULL OR l.free < w.quantity
    ),
    held AS (
        UPDATE pharmacy_stock s SET reserved = s.reserved + w.quantity
        FROM want w
        WHERE s.pharmacy_id = CAST($4 AS uuid) AND s.medicine_id = w.medicine_id
          AND NOT EXISTS (SELECT 1 FROM short)
        RETURNING w.id, w.medicine_id, w.quantity
    ),
    ledger AS (
        INSERT INTO pharmacy_stock_ledger
            (pharmacy_id, medicine_id, quantity_delta, reserved_delta, reason, actor_id, ref, at)
        SELECT CAST($4 AS uuid), h.medicine_id, 0, h.quantity, CAST($5 AS varchar),
               CAST($6 AS uuid), CAST($7 AS varchar), CAST($8 AS timestamptz)
        FROM held h
    ),
    reservations AS (
        INSERT INTO pharmacy_reservations
            (id, pharmacy_id, medicine_id, quantity, purpose, ref, status, created_at, expires_at)
        SELECT h.id, CAST($4 AS uuid), h.medicine_id, h.quantity, CAST($9 AS varchar),
               CAST($7 AS varchar), CAST($10 AS varchar), CAST($8 AS timestamptz),
               CAST($11 AS timestamptz)
        FROM held h
    )
    SELECT medicine_id FROM short ORDER BY medicine_id
"""


async def _hold_all(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    reservations: list[StockReservation],
    actor: ActorLike | None,
) -> list[str]:
    """Hold every reservation's units in one statement; the medicine ids that are short (none held then)."""
    first = reservations[0]
    await session.flush()
    connection = await db.driver(session)
    rows = await connection.fetch(
        _HOLD_ALL,
        [r.id for r in reservations],
        [r.medicine_id for r in reservations],
        [r.quantity for r in reservations],
        pharmacy_id,
        str(StockReason.RESERVE),
        actor.user_id if actor is not None else None,
        first.ref,
        first.created_at,
        first.purpose,
        first.status,
        first.expires_at,
    )
    return [row[0] for row in rows]


async def _expire_line(session: AsyncSession, pharmacy_id: uuid.UUID, medicine_id: str) -> int:
    """Expire the overdue holds of one stock line now (a shortage need not wait for the timer)."""
    rows = await _expired_rows(
        session,
        (StockReservation.pharmacy_id == pharmacy_id, StockReservation.medicine_id == medicine_id),
        limit=100,
    )
    return sum(r.quantity for r in rows)


async def _expired_rows(
    session: AsyncSession, where: tuple[Any, ...], *, limit: int
) -> list[StockReservation]:
    """Mark overdue held reservations expired, give their units back, announce each ref."""
    now = clock.now()
    rows = list(
        (
            await session.scalars(
                select(StockReservation)
                .where(
                    StockReservation.status == ReservationStatus.HELD,
                    StockReservation.expires_at <= now,
                    *where,
                )
                .order_by(StockReservation.pharmacy_id, StockReservation.medicine_id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
    )
    for row in rows:
        row.status = ReservationStatus.EXPIRED
        row.closed_at = now
    await _give_back(session, rows, StockReason.EXPIRE, None)
    for ref in sorted({r.ref for r in rows}):
        await emit(session, "pharmacies.reservation_expired", {"ref": ref})
    return rows


async def _close_held(
    session: AsyncSession, ref: str, status: ReservationStatus, *, only_expired_before: datetime | None = None
) -> list[StockReservation]:
    stmt = (
        select(StockReservation)
        .where(StockReservation.ref == ref, StockReservation.status == ReservationStatus.HELD)
        .order_by(StockReservation.medicine_id)
        .with_for_update()
    )
    if only_expired_before is not None:
        stmt = stmt.where(StockReservation.expires_at <= only_expired_before)
    rows = list((await session.scalars(stmt)).all())
    now = clock.now()
    for row in rows:
        row.status = status
        row.closed_at = now
    return rows


async def commit_reservations(
    session: AsyncSession, ref: str, *, actor: ActorLike | None = None, require_all_held: bool = True
) -> list[StockLine]:
    """Turn a ref's held units into a sale: quantity and reserved both drop by the held amount.

    Conflict (``reservation_gone``) when nothing is held for the ref any more.
    """
    rows = await _close_held(session, ref, ReservationStatus.COMMITTED)
    if not rows and require_all_held:
        raise Conflict("the reservation has expired or was released", code="reservation_gone")
    now = clock.now()
    for row in rows:
        await session.execute(
            update(StockItem)
            .where(and_(StockItem.pharmacy_id == row.pharmacy_id, StockItem.medicine_id == row.medicine_id))
            .values(
                quantity=StockItem.quantity - row.quantity,
                reserved=StockItem.reserved - row.quantity,
                updated_at=now,
            )
        )
        session.add(
            _ledger(
                row.pharmacy_id,
                row.medicine_id,
                StockReason.SALE,
                actor,
                quantity_delta=-row.quantity,
                reserved_delta=-row.quantity,
                ref=ref,
                at=now,
            )
        )
    return [StockLine(r.medicine_id, r.quantity) for r in rows]


async def _give_back(
    session: AsyncSession, rows: Sequence[StockReservation], reason: StockReason, actor: ActorLike | None
) -> None:
    now = clock.now()
    for row in rows:
        await session.execute(
            update(StockItem)
            .where(StockItem.pharmacy_id == row.pharmacy_id, StockItem.medicine_id == row.medicine_id)
            .values(reserved=StockItem.reserved - row.quantity, updated_at=now)
        )
        session.add(
            _ledger(
                row.pharmacy_id,
                row.medicine_id,
                reason,
                actor,
                reserved_delta=-row.quantity,
                ref=row.ref,
                at=now,
            )
        )


async def release_reservations(session: AsyncSession, ref: str, *, actor: ActorLike | None = None) -> int:
    """Give back every unit still held for a ref (checkout abandoned, consultation over)."""
    rows = await _close_held(session, ref, ReservationStatus.RELEASED)
    await _give_back(session, rows, StockReason.RELEASE, actor)
    return sum(r.quantity for r in rows)


async def expire_reservations(session: AsyncSession, *, limit: int = 500) -> list[str]:
    """Give back the units of reservations past their expiry; returns the refs touched."""
    rows = await _expired_rows(session, (), limit=limit)
    return sorted({r.ref for r in rows})


async def return_stock(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    lines: Iterable[StockLine],
    *,
    ref: str,
    actor: ActorLike | None = None,
) -> None:
    """Put sold units back on the shelf (an order re-routed or cancelled before picking)."""
    now = clock.now()
    for line in sorted(lines, key=lambda item: item.medicine_id):
        await session.execute(
            update(StockItem)
            .where(StockItem.pharmacy_id == pharmacy_id, StockItem.medicine_id == line.medicine_id)
            .values(quantity=StockItem.quantity + line.quantity, updated_at=now)
        )
        session.add(
            _ledger(
                pharmacy_id,
                line.medicine_id,
                StockReason.RETURN,
                actor,
                quantity_delta=line.quantity,
                ref=ref,
                at=now,
            )
        )


async def record_order_response(
    session: AsyncSession, pharmacy_id: uuid.UUID, *, accepted: bool | None, seconds: float | None = None
) -> None:
    """Count an order offered to a pharmacy and its answer (accepted, rejected, or None: timed out)."""
    values: dict[str, Any] = {"orders_offered": Pharmacy.orders_offered + 1}
    if accepted is True:
        values["orders_accepted"] = Pharmacy.orders_accepted + 1
        values["accept_seconds_total"] = Pharmacy.accept_seconds_total + float(seconds or 0.0)
    else:
        values["orders_rejected"] = Pharmacy.orders_rejected + 1
    await session.execute(update(Pharmacy).where(Pharmacy.id == pharmacy_id).values(**values))
