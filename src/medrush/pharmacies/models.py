"""Tables of the pharmacies domain: pharmacies, hours, stock, its ledger and reservations."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = [
    "HolidayHours",
    "OpeningHours",
    "Pharmacy",
    "StockItem",
    "StockLedgerEntry",
    "StockReservation",
]


class Pharmacy(Base):
    """A partner pharmacy: its licence, place, storefront, service area and order statistics."""

    __tablename__ = "pharmacies"
    __table_args__ = (Index("ix_pharmacies_status_lat_lng", "status", "lat", "lng"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(160))
    licence_number: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="applied")
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    address: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(80), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    phone: Mapped[str | None] = mapped_column(String(32))
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    banner: Mapped[str | None] = mapped_column(String(300))
    categories: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    promotions: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    pharmacist_on_duty: Mapped[str | None] = mapped_column(String(120))
    service_radius_m: Mapped[int | None] = mapped_column(Integer)
    service_cells: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    picking_minutes: Mapped[int] = mapped_column(SmallInteger, default=5)
    source: Mapped[str | None] = mapped_column(String(200))
    orders_offered: Mapped[int] = mapped_column(Integer, default=0)
    orders_accepted: Mapped[int] = mapped_column(Integer, default=0)
    orders_rejected: Mapped[int] = mapped_column(Integer, default=0)
    accept_seconds_total: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    approved_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(Text)


class OpeningHours(Base):
    """One weekly opening interval in the pharmacy's local time (may run past midnight)."""

    __tablename__ = "pharmacy_hours"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pharmacies.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class HolidayHours(Base):
    """A holiday exception for one local date: closed, or open only within ``opens``-``closes``."""

    __tablename__ = "pharmacy_holidays"

    pharmacy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pharmacies.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=True)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str | None] = mapped_column(String(120))


class StockItem(Base):
    """How many units of one catalog product a pharmacy has, how many are held, and the price."""

    __tablename__ = "pharmacy_stock"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= quantity", name="reserved_within_quantity"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_pharmacy_stock_medicine_id", "medicine_id"),
    )

    pharmacy_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pharmacies.id", ondelete="CASCADE"), primary_key=True
    )
    medicine_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    price: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class StockLedgerEntry(Base):
    """One change of a stock line, with why and by whom; the ledger sums to the current stock."""

    __tablename__ = "pharmacy_stock_ledger"
    __table_args__ = (Index("ix_pharmacy_stock_ledger_line", "pharmacy_id", "medicine_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    pharmacy_id: Mapped[uuid.UUID]
    medicine_id: Mapped[str] = mapped_column(String(80))
    quantity_delta: Mapped[int] = mapped_column(Integer, default=0)
    reserved_delta: Mapped[int] = mapped_column(Integer, default=0)
    price: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None]
    ref: Mapped[str | None] = mapped_column(String(80))
    at: Mapped[datetime]


class StockReservation(Base):
    """Units held for a checkout or a consultation until ``expires_at``."""

    __tablename__ = "pharmacy_reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_pharmacy_reservations_status_expires_at", "status", "expires_at"),
        Index("ix_pharmacy_reservations_ref", "ref"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pharmacies.id", ondelete="CASCADE"))
    medicine_id: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(16), default="order")
    ref: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default="held")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
