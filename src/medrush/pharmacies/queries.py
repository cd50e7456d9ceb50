"""Reads of the pharmacies domain: pharmacies, timetables, stock, the ledger and offers near a point."""

from __future__ import annotations

import math
import time
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import clock, db
from medrush.kernel.errors import NotFound
from medrush.kernel.geo import haversine_m
from medrush.pharmacies.area import DEFAULT_RADIUS_M, covers
from medrush.pharmacies.enums import PharmacyStatus, ReservationStatus
from medrush.pharmacies.hours import DayException, Interval, WeeklyHours
from medrush.pharmacies.models import (
    HolidayHours,
    OpeningHours,
    Pharmacy,
    StockItem,
    StockLedgerEntry,
    StockReservation,
)
from medrush.pharmacies.schemas import Offer, SaleTerms, StockLevel

__all__ = [
    "forget_hours",
    "get_pharmacy",
    "held_units",
    "hours_of",
    "is_open",
    "ledger_of",
    "list_pharmacies",
    "offers_near",
    "pharmacy_stats",
    "stock_line",
    "stock_of",
]

# A degree of latitude is ~111 km; no service area is wider than 50 km.
_BOX_DEGREES = 0.5
_METRES_PER_DEGREE = 111_320.0  # of latitude; longitude degrees shrink with cos(latitude)


async def get_pharmacy(session: AsyncSession, pharmacy_id: uuid.UUID) -> Pharmacy:
    """One pharmacy, or NotFound."""
    pharmacy = await session.get(Pharmacy, pharmacy_id)
    if pharmacy is None:
        raise NotFound("no such pharmacy", code="pharmacy_not_found")
    return pharmacy


async def list_pharmacies(
    session: AsyncSession, *, city: str | None = None, status: str | None = None, limit: int = 200
) -> list[Pharmacy]:
    """Pharmacies by name, optionally of one city and status."""
    stmt = select(Pharmacy).order_by(Pharmacy.city, Pharmacy.name).limit(limit)
    if city:
        stmt = stmt.where(Pharmacy.city == city)
    if status:
        stmt = stmt.where(Pharmacy.status == status)
    return list((await session.scalars(stmt)).all())


HOURS_CACHE_SECONDS = 10.0
_hours_cache: dict[uuid.UUID, tuple[float, tuple[Interval, ...], dict[date, DayException]]] = {}


def forget_hours(pharmacy_id: uuid.UUID | None = None) -> None:
    """Drop cached timetables (one pharmacy, or all); called when hours or holidays change."""
    if pharmacy_id is None:
        _hours_cache.clear()
    else:
        _hours_cache.pop(pharmacy_id, None)


async def hours_of(
    session: AsyncSession, pharmacies: Sequence[Pharmacy | SaleTerms]
) -> dict[uuid.UUID, WeeklyHours]:
    """The weekly timetable (with holiday exceptions) of each pharmacy.

    Timetables are cached for ``HOURS_CACHE_SECONDS`` per process (changes made in this process
    clear the cache at once; other processes see them within that time), which keeps two queries
    off every checkout.
    """
    now = time.monotonic()
    missing = [p.id for p in pharmacies if p.id not in _hours_cache or _hours_cache[p.id][0] < now]
    if missing:
        intervals: dict[uuid.UUID, list[Interval]] = defaultdict(list)
        exceptions: dict[uuid.UUID, dict[date, DayException]] = defaultdict(dict)
        rows = await session.scalars(select(OpeningHours).where(OpeningHours.pharmacy_id.in_(missing)))
        for row in rows.all():
            intervals[row.pharmacy_id].append(Interval(row.weekday, row.opens, row.closes))
        holidays = await session.scalars(select(HolidayHours).where(HolidayHours.pharmacy_id.in_(missing)))
        for h in holidays.all():
            exceptions[h.pharmacy_id][h.day] = DayException(h.day, h.closed, h.opens, h.closes)
        for pharmacy_id in missing:
            ordered = tuple(sorted(intervals[pharmacy_id], key=lambda i: (i.weekday, i.opens)))
            _hours_cache[pharmacy_id] = (now + HOURS_CACHE_SECONDS, ordered, exceptions[pharmacy_id])
    result = {}
    for p in pharmacies:
        _expires, ordered, days = _hours_cache[p.id]
        result[p.id] = WeeklyHours(
            timezone=p.timezone, intervals=ordered, always_open=p.always_open, exceptions=days
        )
    return result


async def is_open(session: AsyncSession, pharmacy: Pharmacy | SaleTerms, at: datetime | None = None) -> bool:
    """True when the pharmacy is approved and open at ``at`` (default now)."""
    if pharmacy.status != PharmacyStatus.APPROVED:
        return False
    hours = (await hours_of(session, [pharmacy]))[pharmacy.id]
    return hours.is_open_at(at or clock.now())


async def stock_of(session: AsyncSession, pharmacy_id: uuid.UUID) -> list[StockItem]:
    """Every stock line of a pharmacy, by product id."""
    stmt = select(StockItem).where(StockItem.pharmacy_id == pharmacy_id).order_by(StockItem.medicine_id)
    return list((await session.scalars(stmt)).all())


async def stock_line(session: AsyncSession, pharmacy_id: uuid.UUID, medicine_id: str) -> StockItem | None:
    """One stock line, or None when the pharmacy does not list the product."""
    return await session.get(StockItem, (pharmacy_id, medicine_id))


_SALE_TERMS = """
    SELECT p.id, p.status, p.lat, p.lng, p.timezone, p.currency, p.always_open, p.pharmacist_on_duty,
           p.service_radius_m, p.service_cells, p.picking_minutes,
           s.medicine_id, s.quantity, s.reserved, s.price
    FROM pharmacies p
    LEFT JOIN pharmacy_stock s ON s.pharmacy_id = p.id AND s.medicine_id = ANY($2::varchar[])
    WHERE p.id = $1
"""


async def pharmacy_with_stock(
    session: AsyncSession, pharmacy_id: uuid.UUID, medicine_ids: Collection[str]
) -> tuple[SaleTerms, dict[str, StockLevel]]:
    """A pharmacy's terms of sale (or NotFound) and its stock lines of these products, in one
    statement on the session's driver connection (every checkout and quote asks it); products it
    does not list are absent."""
    connection = await db.driver(session)
    rows = await connection.fetch(_SALE_TERMS, pharmacy_id, list(medicine_ids))
    if not rows:
        raise NotFound("no such pharmacy", code="pharmacy_not_found")
    first = rows[0]
    terms = SaleTerms(
        id=first[0],
        status=first[1],
        lat=first[2],
        lng=first[3],
        timezone=first[4],
        currency=first[5],
        always_open=first[6],
        pharmacist_on_duty=first[7],
        service_radius_m=first[8],
        service_cells=tuple(first[9] or ()),
        picking_minutes=first[10],
    )
    stock = {row[11]: StockLevel(row[11], row[12], row[13], row[14]) for row in rows if row[11] is not None}
    return terms, stock


async def held_units(session: AsyncSession, ref: str, medicine_id: str) -> int:
    """Units of a product still held under a reservation ref (a consultation's hold)."""
    total = await session.scalar(
        select(func.coalesce(func.sum(StockReservation.quantity), 0)).where(
            StockReservation.ref == ref,
            StockReservation.medicine_id == medicine_id,
            StockReservation.status == ReservationStatus.HELD,
        )
    )
    return int(total or 0)


async def ledger_of(
    session: AsyncSession, pharmacy_id: uuid.UUID, medicine_id: str | None = None, *, limit: int = 200
) -> list[StockLedgerEntry]:
    """The latest ledger rows of a pharmacy (optionally of one product), newest first."""
    stmt = (
        select(StockLedgerEntry)
        .where(StockLedgerEntry.pharmacy_id == pharmacy_id)
        .order_by(StockLedgerEntry.id.desc())
        .limit(limit)
    )
    if medicine_id is not None:
        stmt = stmt.where(StockLedgerEntry.medicine_id == medicine_id)
    return list((await session.scalars(stmt)).all())


async def offers_near(
    session: AsyncSession,
    medicine_ids: Collection[str],
    lat: float,
    lng: float,
    at: datetime | None = None,
    *,
    exclude: Collection[uuid.UUID] = (),
    within_m: float | None = None,
) -> dict[str, list[Offer]]:
    """For each product, the open approved pharmacies whose area covers the point and that have it.

    With ``within_m`` (pick-up at the counter) the service area is not asked, only that distance.

    Offers are sorted by distance then price; products nobody offers map to an empty list.
    """
    at = at or clock.now()
    wanted = sorted(set(medicine_ids))
    result: dict[str, list[Offer]] = {m: [] for m in wanted}
    if not wanted:
        return result
    # First the pharmacies that can serve the point: each one's own reach bounds the box in SQL,
    # so a city of thousands of pharmacies yields the few dozen around the customer.
    if within_m is not None:
        reach_deg: Any = within_m / _METRES_PER_DEGREE
    else:
        reach_deg = case(
            (func.cardinality(Pharmacy.service_cells) > 0, _BOX_DEGREES),
            else_=func.coalesce(Pharmacy.service_radius_m, DEFAULT_RADIUS_M) / _METRES_PER_DEGREE,
        )
    lng_stretch = 1.0 / max(math.cos(math.radians(lat)), 0.01)
    near = select(Pharmacy).where(
        Pharmacy.status == PharmacyStatus.APPROVED,
        Pharmacy.lat.between(lat - _BOX_DEGREES, lat + _BOX_DEGREES),
        Pharmacy.lng.between(lng - _BOX_DEGREES * 2, lng + _BOX_DEGREES * 2),
        func.abs(Pharmacy.lat - lat) <= reach_deg,
        func.abs(Pharmacy.lng - lng) <= reach_deg * lng_stretch,
    )
    if exclude:
        near = near.where(Pharmacy.id.not_in(list(exclude)))
    candidates = (await session.scalars(near)).all()
    serving = [
        p
        for p in candidates
        if (
            haversine_m(p.lat, p.lng, lat, lng) <= within_m
            if within_m is not None
            else covers(p.lat, p.lng, p.service_radius_m, p.service_cells or (), lat, lng)
        )
    ]
    hours = await hours_of(session, serving)
    open_now = {p.id: p for p in serving if hours[p.id].is_open_at(at)}
    if not open_now:
        return result
    # Then only their stock lines of the wanted products, as plain columns.
    available = StockItem.quantity - StockItem.reserved
    lines = await session.execute(
        select(StockItem.pharmacy_id, StockItem.medicine_id, StockItem.price, available).where(
            StockItem.pharmacy_id.in_(list(open_now)),
            StockItem.medicine_id.in_(wanted),
            available > 0,
        )
    )
    for pharmacy_id, medicine_id, price, units in lines:
        pharmacy = open_now[pharmacy_id]
        result[medicine_id].append(
            Offer(
                pharmacy_id=pharmacy.id,
                pharmacy_name=pharmacy.name,
                medicine_id=medicine_id,
                price=price,
                currency=pharmacy.currency,
                available=units,
                distance_m=round(haversine_m(pharmacy.lat, pharmacy.lng, lat, lng), 1),
                lat=pharmacy.lat,
                lng=pharmacy.lng,
                picking_minutes=pharmacy.picking_minutes,
                pharmacist_on_duty=bool(pharmacy.pharmacist_on_duty),
            )
        )
    for offers in result.values():
        offers.sort(key=lambda o: (o.distance_m, o.price, str(o.pharmacy_id)))
    return result


async def pharmacy_stats(session: AsyncSession, pharmacy_id: uuid.UUID) -> dict[str, Any]:
    """Order statistics: offered, accepted, rejected, rejection rate and mean acceptance seconds."""
    pharmacy = await get_pharmacy(session, pharmacy_id)
    answered = pharmacy.orders_accepted + pharmacy.orders_rejected
    units = await session.scalar(
        select(func.coalesce(func.sum(StockItem.quantity), 0)).where(StockItem.pharmacy_id == pharmacy_id)
    )
    return {
        "orders_offered": pharmacy.orders_offered,
        "orders_accepted": pharmacy.orders_accepted,
        "orders_rejected": pharmacy.orders_rejected,
        "rejection_rate": round(pharmacy.orders_rejected / answered, 4) if answered else None,
        "mean_accept_seconds": (
            round(pharmacy.accept_seconds_total / pharmacy.orders_accepted, 1)
            if pharmacy.orders_accepted
            else None
        ),
        "units_on_hand": int(units or 0),
    }
