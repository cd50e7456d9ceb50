"""Helpers shared by the pharmacies and orders database tests: tables, pharmacies, stock, actors."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text

from medrush import pharmacies
from medrush.accounts import SYSTEM, Actor
from medrush.kernel import db
from medrush.kernel.db import Base

PEOPLES_SQUARE = (31.2304, 121.4737)
OPERATOR = Actor(user_id=uuid.uuid4(), roles=frozenset({"operator"}))
MY_TABLES = (
    "pharmacies",
    "pharmacy_hours",
    "pharmacy_holidays",
    "pharmacy_stock",
    "pharmacy_stock_ledger",
    "pharmacy_reservations",
    "carts",
    "cart_items",
    "orders",
    "order_items",
    "order_transitions",
    "payments",
    "payment_webhooks",
    "refunds",
    "idempotency_keys",
)


async def ensure_tables() -> None:
    """Create this area's tables when the migration history does not have them yet."""
    import medrush.orders.models
    import medrush.pharmacies.models  # noqa: F401

    tables = [Base.metadata.tables[name] for name in MY_TABLES]
    async with db.get_engine().begin() as conn:
        await conn.run_sync(lambda sync: Base.metadata.create_all(sync, tables=tables, checkfirst=True))


def staff_of(pharmacy_id: uuid.UUID, role: str = "pharmacy_staff") -> Actor:
    """A staff member of one pharmacy."""
    return Actor(user_id=uuid.uuid4(), roles=frozenset({role}), pharmacy_id=pharmacy_id)


def customer() -> Actor:
    """A new customer."""
    return Actor(user_id=uuid.uuid4(), roles=frozenset({"customer"}))


async def make_pharmacy(
    *,
    lat: float = PEOPLES_SQUARE[0],
    lng: float = PEOPLES_SQUARE[1],
    stock: Iterable[tuple[str, int, int]] = (),
    always_open: bool = True,
    approved: bool = True,
    pharmacist: str | None = "Li Wei",
    radius_m: int = 3000,
    **fields: Any,
) -> uuid.UUID:
    """An open, approved pharmacy (by default) with ``(medicine_id, quantity, price)`` stock lines."""
    async with db.session_scope() as session:
        pharmacy = await pharmacies.apply_for_listing(
            session,
            name=fields.pop("name", "Test Pharmacy"),
            licence_number=uuid.uuid4().hex,
            lat=lat,
            lng=lng,
            address="1 Test Road",
            city="Shanghai",
            service_radius_m=radius_m,
            always_open=always_open,
            pharmacist_on_duty=pharmacist,
            **fields,
        )
        if approved:
            await pharmacies.approve_pharmacy(session, OPERATOR, pharmacy.id)
        for medicine_id, quantity, price in stock:
            await pharmacies.set_stock(
                session, SYSTEM, pharmacy.id, medicine_id, quantity=quantity, price=price
            )
        return pharmacy.id


async def stock_row(pharmacy_id: uuid.UUID, medicine_id: str) -> tuple[int, int]:
    """(quantity, reserved) of a stock line."""
    async with db.session_scope() as session:
        row = (
            await session.execute(
                text(
                    "SELECT quantity, reserved FROM pharmacy_stock "
                    "WHERE pharmacy_id = :p AND medicine_id = :m"
                ),
                {"p": pharmacy_id, "m": medicine_id},
            )
        ).one()
        return int(row[0]), int(row[1])


async def ledger_sum(pharmacy_id: uuid.UUID, medicine_id: str) -> tuple[int, int]:
    """The ledger's (sum of quantity deltas, sum of reserved deltas) of a stock line."""
    async with db.session_scope() as session:
        row = (
            await session.execute(
                text(
                    "SELECT coalesce(sum(quantity_delta), 0), coalesce(sum(reserved_delta), 0) "
                    "FROM pharmacy_stock_ledger WHERE pharmacy_id = :p AND medicine_id = :m"
                ),
                {"p": pharmacy_id, "m": medicine_id},
            )
        ).one()
        return int(row[0]), int(row[1])


async def make_city(pharmacy_count: int = 2, radius_m: int = 2000) -> str:
    """A city of its own (a unique name) with approved pharmacies 2 km apart near People's Square."""
    city = f"Simtown-{uuid.uuid4().hex[:6]}"
    async with db.session_scope() as session:
        for n in range(pharmacy_count):
            shop = await pharmacies.apply_for_listing(
                session,
                name=f"Sim Pharmacy {n}",
                licence_number=uuid.uuid4().hex,
                lat=PEOPLES_SQUARE[0],
                lng=PEOPLES_SQUARE[1] + 0.021 * n,
                address="1 Sim Road",
                city=city,
                service_radius_m=radius_m,
                always_open=True,
                pharmacist_on_duty="Li Wei",
            )
            await pharmacies.approve_pharmacy(session, OPERATOR, shop.id)
    return city
