"""The demo set loads once, with hours, stock from the shipped catalog and staff accounts."""

import pytest
from sqlalchemy import func, select, text

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


async def test_the_demo_shops_have_eight_weeks_of_sales_that_add_up_to_their_shelves() -> None:
    async with db.session_scope() as session:
        await load_demo(session)
        shop = await session.scalar(
            select(pharmacies.Pharmacy).where(pharmacies.Pharmacy.licence_number == "DEMO-sh-01")
        )
        assert shop is not None
        insights = await pharmacies.pharmacy_insights(session, shop.id)
        ledger: dict[str, int] = dict(
            (
                await session.execute(
                    text(
                        "SELECT medicine_id, sum(quantity_delta) FROM pharmacy_stock_ledger "
                        "WHERE pharmacy_id = :p GROUP BY medicine_id"
                    ),
                    {"p": shop.id},
                )
            ).all()
        )
        shelves = {line.medicine_id: line.quantity for line in await pharmacies.stock_of(session, shop.id)}
    categories = dict(demo_products())
    # the forecast has history to work from, and the cold-and-flu surge in Shanghai is seen
    assert len(insights["products"]) == 20
    assert all(p["last_7_days"] > 0 for p in insights["products"])
    # (other tests' Shanghai shops sell in the same city: only the demo's cold medicines are counted)
    assert sum(categories.get(s["medicine_id"]) == "cold_cough" for s in insights["surges"]) >= 5
    # a delivery 56 days ago covers the sales since, so the ledger still adds up to each shelf
    assert ledger == shelves
