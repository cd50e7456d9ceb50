"""Demo pharmacies with hours, stock, prices and staff accounts (``medrush demo`` on an empty database).

The pharmacies come from ``data/demo/pharmacies.csv``: synthetic shops around People's Square in
Shanghai and City Hall in Seoul, and six real Helsinki pharmacies from OpenStreetMap (ODbL, see
``data/demo/README.md``). Stock and prices are drawn with a fixed seed from the shipped catalog's
non-prescription products, so every load gives the same shelves.

Each shop also gets eight weeks of past sales in its stock ledger (a delivery from the wholesaler
56 days ago, then one ``sale`` row per product and day), drawn with a fixed seed: more on weekends,
painkillers and cold medicines selling most, and a cold-and-flu surge over the last three days in
Shanghai. They are demo data, marked ``ref="demo-history"``; the merchant's insights page reads
them as it reads real sales (forecast, restock, city surges).
"""

from __future__ import annotations

import csv
import hashlib
import logging
import random
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import clock
from medrush.kernel.paths import data_dir
from medrush.pharmacies.actions import apply_for_listing, approve_pharmacy, seed_stock, set_opening_hours
from medrush.pharmacies.enums import StockReason
from medrush.pharmacies.hours import parse_weekly
from medrush.pharmacies.models import Pharmacy, StockLedgerEntry

__all__ = ["DEMO_STAFF", "demo_products", "load_demo", "read_demo_pharmacies"]

log = logging.getLogger(__name__)


class _System:
    """The loader acts as the system (the demo's own actor; no account behind it)."""

    user_id = None
    pharmacy_id = None

    def has(self, role: Any) -> bool:
        """Only the system role."""
        return str(role) == "system"


SYSTEM = _System()
DEMO_PASSWORD = "medrush-demo"  # noqa: S105 - the published demo credential
# (e-mail, name, role, pharmacy key)
DEMO_STAFF = (
    ("staff.sh01@demo.medrush.org", "Zhou Qiang", "pharmacy_staff", "sh-01"),
    ("pharmacist.sh01@demo.medrush.org", "Wang Fang", "pharmacist", "sh-01"),
    ("staff.sh02@demo.medrush.org", "Huang Lei", "pharmacy_staff", "sh-02"),
    ("staff.se01@demo.medrush.org", "Park Jisoo", "pharmacy_staff", "se-01"),
    ("staff.hel@demo.medrush.org", "Aino Virtanen", "pharmacy_staff", "osm-1798012663"),
)
# rough exchange from the CNY base price, and the rounding step in minor units
_CURRENCY = {"CNY": (1.0, 50), "KRW": (1.9, 100), "EUR": (0.13, 5)}


def read_demo_pharmacies(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of the demo pharmacies file."""
    path = path or data_dir() / "demo" / "pharmacies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def demo_products() -> list[tuple[str, str]]:
    """(id, category) of the catalog's non-prescription products; empty when the catalog is missing."""
    from medrush.catalog import load_product_files

    folder = data_dir() / "catalog" / "products"
    try:
        products = load_product_files(folder) if folder.is_dir() else []
    except (OSError, ValueError) as exc:  # the demo still loads pharmacies without shelves
        log.warning("demo stock skipped: cannot read the catalog (%s)", exc)
        return []
    return [(p.id, p.category) for p in products if p.rx_class != "rx"]


def _base_price_fen(product_id: str) -> int:
    digest = int(hashlib.sha256(product_id.encode()).hexdigest()[:8], 16)
    return 600 + digest % 7400  # 6 to 80 yuan


def _price(product_id: str, currency: str, factor: float) -> int:
    rate, step = _CURRENCY.get(currency, (1.0, 50))
    minor = _base_price_fen(product_id) * factor * rate  # won have no minor unit: 1 fen ~ 1.9 won
    return max(step, int(round(minor / step) * step))


def _stock_for(key: str, currency: str, products: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    rng = random.Random(f"medrush-demo-{key}")
    factor = rng.uniform(0.9, 1.15)
    lines = []
    for product_id, _category in products:
        if rng.random() < 0.7:
            quantity = 0 if rng.random() < 0.08 else rng.randint(3, 40)
            lines.append((product_id, quantity, _price(product_id, currency, factor)))
    return lines


async def load_demo(session: AsyncSession) -> None:
    """Create the demo pharmacies, their hours, stock and staff unless they exist already.

    Skipped (with an error in the log) when the database has no pharmacies tables yet, so the
    rest of the demo still loads.
    """
    if not await session.scalar(text("SELECT to_regclass('pharmacies') IS NOT NULL")):
        log.error("demo pharmacies skipped: the database has no pharmacies tables (run `medrush db upgrade`)")
        return
    if await session.scalar(select(Pharmacy.id).where(Pharmacy.licence_number.like("DEMO-%")).limit(1)):
        return
    products = demo_products()
    by_key: dict[str, Any] = {}
    for row in read_demo_pharmacies():
        pharmacy = await apply_for_listing(
            session,
            name=row["name"],
            licence_number=f"DEMO-{row['key']}",
            lat=float(row["lat"]),
            lng=float(row["lng"]),
            address=row["address"],
            city=row["city"],
            timezone=row["timezone"],
            currency=row["currency"],
            service_radius_m=int(row["radius_m"]),
            pharmacist_on_duty=row["pharmacist"] or None,
            always_open=row["always_open"] == "yes",
            source=row["source"],
            banner=f"{row['name']}: delivered in 30 minutes",
            categories=[
                "analgesic_antipyretic",
                "cold_cough",
                "allergy",
                "digestive",
                "nasal",
                "oral_throat",
            ],
            promotions=[{"title": "Free delivery over 50", "code": "DEMO50"}]
            if row["key"].endswith("1")
            else [],
        )
        await approve_pharmacy(session, SYSTEM, pharmacy.id)
        if row["always_open"] != "yes":
            await set_opening_hours(session, SYSTEM, pharmacy.id, parse_weekly(row["hours"]))
        lines = _stock_for(row["key"], row["currency"], products)
        await _sales_history(session, pharmacy.id, row, lines, dict(products))
        await seed_stock(session, SYSTEM, pharmacy.id, lines)
        by_key[row["key"]] = pharmacy.id
    await _staff(session, by_key)


HISTORY_DAYS = 56
# units a shop sells of one product on an ordinary weekday, by category (the rest: 0.15)
_DAILY_UNITS = {
    "analgesic_antipyretic": 1.2,
    "cold_cough": 1.0,
    "allergy": 0.6,
    "digestive": 0.5,
    "nasal": 0.5,
    "oral_throat": 0.4,
    "skin": 0.3,
    "first_aid_antiseptic": 0.3,
    "epidemic_supplies": 0.3,
}
_WEEKDAY = (1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.25)  # Monday to Sunday
_SURGE = {"Shanghai": ("cold_cough", 3.5)}  # the last three days, by city: category and factor


async def _sales_history(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    row: dict[str, str],
    lines: list[tuple[str, int, int]],
    categories: dict[str, str],
) -> None:
    """Eight weeks of past sales of a demo shop (see the module text); written before its stock."""
    rng = np.random.default_rng(int(hashlib.sha256(f"history-{row['key']}".encode()).hexdigest()[:8], 16))
    today = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    start = today - timedelta(days=HISTORY_DAYS)
    shop = rng.uniform(0.6, 1.5)
    surge_category, surge_factor = _SURGE.get(row["city"], ("", 1.0))
    sales: list[dict[str, Any]] = []
    delivered: dict[str, int] = {}
    for medicine_id, _quantity, price in lines:
        category = categories.get(medicine_id, "")
        rate = _DAILY_UNITS.get(category, 0.15) * shop * rng.uniform(0.3, 1.7)
        for day in range(HISTORY_DAYS):
            when = start + timedelta(days=day)
            mean = rate * _WEEKDAY[when.weekday()]
            if category == surge_category and day >= HISTORY_DAYS - 3:
                mean *= surge_factor
            units = int(rng.poisson(mean))
            if units:
                at = when + timedelta(hours=float(rng.uniform(8, 22)))
                sales.append(_history_row(pharmacy_id, medicine_id, StockReason.SALE, -units, price, at))
                delivered[medicine_id] = delivered.get(medicine_id, 0) + units
    if not sales:
        return
    # the wholesaler's delivery that these sales came out of, so the ledger adds up to the shelf
    supply = [
        _history_row(pharmacy_id, m, StockReason.IMPORT, units, None, start) for m, units in delivered.items()
    ]
    await session.execute(insert(StockLedgerEntry), supply + sales)


def _history_row(
    pharmacy_id: uuid.UUID, medicine_id: str, reason: StockReason, delta: int, price: int | None, at: Any
) -> dict[str, Any]:
    return {
        "pharmacy_id": pharmacy_id,
        "medicine_id": medicine_id,
        "quantity_delta": delta,
        "reserved_delta": 0,
        "price": price,
        "reason": str(reason),
        "actor_id": None,
        "ref": "demo-history",
        "at": at,
    }


async def _staff(session: AsyncSession, by_key: dict[str, Any]) -> None:
    """Staff accounts of the demo pharmacies; the core demo's pharmacist joins the first shop.

    Accounts are created through ``medrush.accounts`` (demo seeding only; the domain itself
    never depends on accounts).
    """
    from medrush import accounts

    for email, name, role, key in DEMO_STAFF:
        if key not in by_key or await accounts.user_by_email(session, email) is not None:
            continue
        await accounts.create_user(
            session,
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            roles=(role,),
            pharmacy_id=by_key[key],
        )
    pharmacist = await accounts.user_by_email(session, "pharmacist@demo.medrush.org")
    if pharmacist is not None and pharmacist.pharmacy_id is None and "sh-01" in by_key:
        pharmacist.pharmacy_id = by_key["sh-01"]
