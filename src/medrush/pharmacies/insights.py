"""Merchant insights from the stock ledger: 7-day demand forecast, restock suggestions, city surges."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import clock
from medrush.pharmacies.enums import StockReason
from medrush.pharmacies.forecast import fit_holt_winters, restock_quantity, surge_score
from medrush.pharmacies.models import Pharmacy, StockItem, StockLedgerEntry

__all__ = ["city_surges", "daily_sales", "pharmacy_insights"]

HISTORY_DAYS = 56
SURGE_RATIO = 1.8
SURGE_Z = 3.0


async def daily_sales(
    session: AsyncSession,
    *,
    pharmacy_id: uuid.UUID | None = None,
    city: str | None = None,
    days: int = HISTORY_DAYS,
) -> dict[str, np.ndarray]:
    """Units sold per product per UTC day over the last ``days`` days (oldest first)."""
    today = clock.now().date()
    start = today - timedelta(days=days - 1)
    day = func.date_trunc("day", StockLedgerEntry.at)
    stmt = (
        select(StockLedgerEntry.medicine_id, day, func.sum(-StockLedgerEntry.quantity_delta))
        .where(StockLedgerEntry.reason == str(StockReason.SALE), StockLedgerEntry.at >= start)
        .group_by(StockLedgerEntry.medicine_id, day)
    )
    if pharmacy_id is not None:
        stmt = stmt.where(StockLedgerEntry.pharmacy_id == pharmacy_id)
    if city is not None:
        ids = select(Pharmacy.id).where(Pharmacy.city == city)
        stmt = stmt.where(StockLedgerEntry.pharmacy_id.in_(ids))
    series: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(days))
    for medicine_id, when, units in (await session.execute(stmt)).all():
        index = (when.date() if hasattr(when, "date") else date.fromisoformat(str(when)[:10])) - start
        if 0 <= index.days < days:
            series[medicine_id][index.days] += float(units)
    return dict(series)


async def city_surges(session: AsyncSession, city: str) -> list[dict[str, Any]]:
    """Products whose sales in the city jumped: last 3 days vs the 28 before (ratio and z-score)."""
    alerts = []
    for medicine_id, y in (await daily_sales(session, city=city, days=31)).items():
        ratio, z = surge_score(y)
        if ratio >= SURGE_RATIO and z >= SURGE_Z and y[-3:].sum() >= 5:
            alerts.append({"medicine_id": medicine_id, "ratio": round(ratio, 2), "z": round(z, 1)})
    return sorted(alerts, key=lambda a: -a["ratio"])


async def pharmacy_insights(
    session: AsyncSession, pharmacy_id: uuid.UUID, *, top: int = 20
) -> dict[str, Any]:
    """Forecast of the next 7 days for the pharmacy's best sellers, what to restock, and city surges."""
    pharmacy = await session.get(Pharmacy, pharmacy_id)
    assert pharmacy is not None
    sales = await daily_sales(session, pharmacy_id=pharmacy_id)
    stock = {
        s.medicine_id: s
        for s in (await session.scalars(select(StockItem).where(StockItem.pharmacy_id == pharmacy_id))).all()
    }
    best = sorted(sales.items(), key=lambda kv: -kv[1].sum())[:top]
    products: list[dict[str, Any]] = []
    for medicine_id, y in best:
        if y.sum() <= 0:
            continue
        model = fit_holt_winters(y)
        forecast = model.forecast(7)
        line = stock.get(medicine_id)
        available = (line.quantity - line.reserved) if line is not None else 0
        products.append(
            {
                "medicine_id": medicine_id,
                "last_7_days": int(y[-7:].sum()),
                "forecast_7_days": [round(float(v), 1) for v in forecast],
                "forecast_total": round(float(forecast.sum()), 1),
                "available": available,
                "restock": restock_quantity(forecast, model.sigma, available),
            }
        )
    return {
        "products": products,
        "restock": [p for p in products if p["restock"] > 0],
        "surges": await city_surges(session, pharmacy.city),
        "history_days": HISTORY_DAYS,
    }
