"""Tables of the orders domain: carts, orders with their history, payments, refunds, idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base
from medrush.kernel.ids import new_id

__all__ = [
    "Cart",
    "CartItem",
    "IdempotencyKey",
    "Order",
    "OrderItem",
    "OrderTransition",
    "Payment",
    "PaymentWebhook",
    "Refund",
]


class Cart(Base):
    """A customer's cart: items of one pharmacy at a time."""

    __tablename__ = "carts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    pharmacy_id: Mapped[uuid.UUID | None]
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class CartItem(Base):
    """One product line of a cart."""

    __tablename__ = "cart_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    cart_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), primary_key=True)
    medicine_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class Order(Base):
    """An order to one pharmacy, from payment to the door; ``status`` follows ``enums.TRANSITIONS``."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_pharmacy_id_status", "pharmacy_id", "status"),
        Index("ix_orders_status_offered_at", "status", "offered_at"),
        Index("ix_orders_status_reservation_expires_at", "status", "reservation_expires_at"),
        Index("ix_orders_customer_id_placed_at", "customer_id", "placed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID | None]
    pharmacy_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20), default="placed")
    fulfilment: Mapped[str] = mapped_column(String(12), default="delivery")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    subtotal: Mapped[int] = mapped_column(BigInteger)
    delivery_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    address: Mapped[str] = mapped_column(String(300), default="")
    promise_minutes: Mapped[int] = mapped_column(SmallInteger)
    eta_minutes: Mapped[int] = mapped_column(SmallInteger)
    handover_code: Mapped[str] = mapped_column(String(8))
    handover_attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    safety: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    tried_pharmacy_ids: Mapped[list[str]] = mapped_column(ARRAY(String(36)), default=list)
    reroutes: Mapped[int] = mapped_column(SmallInteger, default=0)
    courier_id: Mapped[uuid.UUID | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    placed_at: Mapped[datetime]
    reservation_expires_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    offered_at: Mapped[datetime | None]
    promised_by: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    picked_up_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    delivered_lat: Mapped[float | None] = mapped_column(Float)
    delivered_lng: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)


class OrderItem(Base):
    """One product line of an order at the price paid."""

    __tablename__ = "order_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    medicine_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    picked: Mapped[bool] = mapped_column(default=False)


class OrderTransition(Base):
    """One step of an order's history: from, to, when, by whom and why."""

    __tablename__ = "order_transitions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    actor_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class Payment(Base):
    """The one payment of an order at a provider; a re-route keeps it."""

    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("provider", "provider_ref"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    provider: Mapped[str] = mapped_column(String(32))
    provider_ref: Mapped[str] = mapped_column(String(80))
    pay_url: Mapped[str] = mapped_column(String(300))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]
    succeeded_at: Mapped[datetime | None]


class PaymentWebhook(Base):
    """A provider event already processed (a replay is recognised and ignored)."""

    __tablename__ = "payment_webhooks"

    provider: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payment_ref: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]


class Refund(Base):
    """Money given back for an order."""

    __tablename__ = "refunds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    payment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    provider_ref: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[uuid.UUID | None]
    at: Mapped[datetime]


class IdempotencyKey(Base):
    """The first result of a state-changing request, replayed for retries with the same key and body."""

    __tablename__ = "idempotency_keys"
    # the retention purge's range scan (rows arrive in time order: a block range index suffices)
    __table_args__ = (Index("ix_idempotency_keys_created_at", "created_at", postgresql_using="brin"),)

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(SmallInteger)
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime]
