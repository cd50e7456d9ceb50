"""The demo set loads once, with hours, stock from the shipped catalog and staff accounts."""

import pytest
from sqlalchemy import func, select

from medrush import accounts, orders, pharmacies
from medrush.kernel import db
from medrush.pharmacies.demo import demo_products, load_demo, read_demo_pharmacies

pytestmark = pytest.mark.usefixtures("tables")


async def test_the_demo_loads_once_and_sells_around_peoples_square() -> None:
    rows = read_demo_pharmacies()
    assert len(rows) == 41
    assert {r["city"] for r in rows} == {"Shanghai", "Seoul", "Helsinki"}
    async with db.session_scope() as session:
        await load_demo(session)
    async with db.session_scope() as session:
        await load_demo(session)  # a second call changes nothing
        count = await session.scalar(
            select(func.count())
            .select_from(pharmacies.Pharmacy)
            .where(pharmacies.Pharmacy.licence_number.like("DEMO-%"))
        )
        staff = await accounts.user_by_email(session, "staff.sh01@demo.medrush.org")
        products = {pid for pid, _ in demo_products()}
        offers = await orders.search_offers(session, ["paracetamol-500mg-tab-20"], 31.2304, 121.4737)
    assert count == 41
    assert staff is not None and staff.pharmacy_id is not None and staff.roles == ["pharmacy_staff"]
    assert "paracetamol-500mg-tab-20" in products
    assert len(offers["paracetamol-500mg-tab-20"]) >= 1
    first = offers["paracetamol-500mg-tab-20"][0]
    assert first["in_stock"] > 0
    assert first["eta_minutes"] <= 60
