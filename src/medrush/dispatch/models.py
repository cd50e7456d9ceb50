"""Tables of live dispatch: couriers, their shifts and pauses, delivery jobs and offers.

A courier's latest position is kept on its row (and in Redis when configured, see
``live.locations``); the engine itself stays free of the database. The courier's row holds its
current or latest shift; every shift is also kept in ``dispatch_shifts`` and every time offline
within one in ``dispatch_shift_pauses`` (what earnings count: shift time less pauses).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from medrush.dispatch.live.enums import CourierStatus, JobStatus, OfferStatus, Vehicle
from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = ["Courier", "DeliveryJob", "Offer", "Shift", "ShiftPause"]


class Courier(Base):
    """A courier account's dispatch state: vehicle, online status, shift and latest position."""

    __tablename__ = "dispatch_couriers"
    __table_args__ = (Index("ix_dispatch_couriers_zone_status", "zone", "status"),)

    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    vehicle: Mapped[str] = mapped_column(String(16), default=Vehicle.BICYCLE)
    status: Mapped[str] = mapped_column(String(16), default=CourierStatus.OFFLINE)
    shift_started_at: Mapped[datetime | None]
    shift_ends_at: Mapped[datetime | None]
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    cell: Mapped[str | None] = mapped_column(String(20))
    zone: Mapped[str | None] = mapped_column(String(20))
    location_at: Mapped[datetime | None]
    offline_reason: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Shift(Base):
    """One shift of a courier: when it started and when it ends (planned, moved to the minute it
    was ended early or replaced by a new shift). Written by ``live.actions.open_shift`` and
    ``close_shift``; a courier's shifts never overlap."""

    __tablename__ = "dispatch_shifts"
    __table_args__ = (Index("ix_dispatch_shifts_courier_started", "courier_id", "started_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    courier_id: Mapped[uuid.UUID]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]


class ShiftPause(Base):
    """A time a courier was offline within a shift (went offline, or silent and taken offline by the
    dispatch round): opened by ``live.actions._take_offline`` unless the shift is ending, closed when
    the courier goes online again or the shift is closed or replaced, or at the shift's end once it
    ran out (``close_lapsed_pauses``, every tick of the dispatch loop); ``ended_at`` null while open.
    A courier has at most one open pause; its time is not paid by the hourly guarantee."""

    __tablename__ = "dispatch_shift_pauses"
    __table_args__ = (
        Index("ix_dispatch_shift_pauses_courier_started", "courier_id", "started_at"),
        Index(
            "uq_dispatch_shift_pauses_courier_open",
            "courier_id",
            unique=True,
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    courier_id: Mapped[uuid.UUID]
    shift_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dispatch_shifts.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class DeliveryJob(Base):
    """One order to carry from a pharmacy to a customer, as dispatch knows it from events."""

    __tablename__ = "dispatch_jobs"
    __table_args__ = (
        Index("ix_dispatch_jobs_zone_status", "zone", "status"),
        Index("ix_dispatch_jobs_courier_status", "courier_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pharmacy_lat: Mapped[float] = mapped_column(Float)
    pharmacy_lng: Mapped[float] = mapped_column(Float)
    dropoff_lat: Mapped[float] = mapped_column(Float)
    dropoff_lng: Mapped[float] = mapped_column(Float)
    zone: Mapped[str] = mapped_column(String(20))
    placed_at: Mapped[datetime]
    ready_at: Mapped[datetime]
    promised_by: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.OPEN)
    courier_id: Mapped[uuid.UUID | None]
    offer_id: Mapped[uuid.UUID | None]
    route_seq: Mapped[int | None] = mapped_column(Integer)
    planned_pickup: Mapped[datetime | None]
    eta_pickup: Mapped[datetime | None]
    eta_dropoff: Mapped[datetime | None]
    handover_code: Mapped[str | None] = mapped_column(String(16))
    handover_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    excluded_couriers: Mapped[list[Any]] = mapped_column(default=list)
    offers_made: Mapped[int] = mapped_column(Integer, default=0)
    assigned_at: Mapped[datetime | None]
    picked_up_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Offer(Base):
    """A bundle of jobs proposed to one courier, open until it is answered or expires."""

    __tablename__ = "dispatch_offers"
    __table_args__ = (Index("ix_dispatch_offers_courier_status", "courier_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    courier_id: Mapped[uuid.UUID]
    zone: Mapped[str] = mapped_column(String(20))
    job_ids: Mapped[list[Any]]
    plan: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.PENDING)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(40))
