"""Demo pharmacies with hours, stock, prices and staff accounts (``medrush demo`` on an empty database).

The pharmacies come from ``data/demo/pharmacies.csv``: synthetic shops around People's Square in
Shanghai and City Hall in Seoul, and six real Helsinki pharmacies from OpenStreetMap (ODbL, see
``data/demo/README.md``). Stock and prices are drawn with a fixed seed from the shipped catalog's
non-prescription products, so every load gives the same shelves.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import random
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel.paths import data_dir
from medrush.pharmacies.actions import apply_for_listing, approve_pharmacy, seed_stock, set_opening_hours
from medrush.pharmacies.hours import parse_weekly
from medrush.pharmacies.models import Pharmacy

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
    """(id, rx_class) of the catalog's non-prescription products; empty when the catalog is missing."""
    from medrush.catalog import load_product_files

    folder = data_dir() / "catalog" / "products"
    try:
        products = load_product_files(folder) if folder.is_dir() else []
    except (OSError, ValueError) as exc:  # the demo still loads pharmacies without shelves
        log.warning("demo stock skipped: cannot read the catalog (%s)", exc)
        return []
    return [(p.id, p.rx_class) for p in products if p.rx_class != "rx"]


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
    for product_id, _rx_class in products:
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
        await seed_stock(session, SYSTEM, pharmacy.id, _stock_for(row["key"], row["currency"], products))
        by_key[row["key"]] = pharmacy.id
    await _staff(session, by_key)


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
