"""Insights from the ledger: daily sales, the 7-day forecast, restock and city surges."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import update
from tests.integration.pharmacies.world import make_pharmacy

from medrush.kernel import clock, db
from medrush.pharmacies.insights import city_surges, daily_sales, pharmacy_insights
from medrush.pharmacies.models import Pharmacy, StockLedgerEntry

pytestmark = pytest.mark.usefixtures("tables")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday
WEEK = [10, 10, 10, 10, 10, 20, 20]  # Monday..Sunday


async def sell(pharmacy_id: uuid.UUID, medicine_id: str, per_day: list[int]) -> None:
    """Ledger sale rows for the last len(per_day) days, the last entry being today."""
    async with db.session_scope() as session:
        for back, units in enumerate(reversed(per_day)):
            if units:
                session.add(
                    StockLedgerEntry(
                        pharmacy_id=pharmacy_id,
                        medicine_id=medicine_id,
                        quantity_delta=-units,
                        reserved_delta=-units,
                        reason="sale",
                        ref="test",
                        at=NOW - timedelta(days=back, hours=2),
                    )
                )


async def test_forecast_restock_and_surge_from_the_ledger() -> None:
    city = f"Testville-{uuid.uuid4().hex[:6]}"
    pid = await make_pharmacy(stock=[("steady", 30, 100), ("masks", 500, 100)])
    other = await make_pharmacy()
    async with db.session_scope() as session:  # a city of their own
        await session.execute(update(Pharmacy).where(Pharmacy.id.in_([pid, other])).values(city=city))
    history = [*(WEEK * 8)[1:], 10]  # 56 days ending on Monday (today)
    await sell(pid, "steady", history)
    await sell(pid, "masks", [5] * 53 + [40, 45, 50])
    await sell(other, "masks", [5] * 53 + [30, 30, 30])
    clock.set_clock(clock.FrozenClock(NOW))
    try:
        async with db.session_scope() as session:
            sales = await daily_sales(session, pharmacy_id=pid)
            report = await pharmacy_insights(session, pid)
            surges = await city_surges(session, city)
    finally:
        clock.set_clock(None)
    assert sales["steady"].tolist() == history
    steady = next(p for p in report["products"] if p["medicine_id"] == "steady")
    assert np.allclose(steady["forecast_7_days"], [10, 10, 10, 10, 20, 20, 10], atol=0.5)
    assert steady["last_7_days"] == 90
    assert steady["available"] == 30
    assert steady["restock"] == pytest.approx(60, abs=2)  # 90 expected - 30 on hand, no noise
    assert [s["medicine_id"] for s in surges] == ["masks"]
    assert surges[0]["ratio"] == 7.5  # (70 + 75 + 80) / 3 against 10 a day in the city
