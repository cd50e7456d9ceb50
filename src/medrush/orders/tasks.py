"""Periodic work of orders and pharmacies: expire holds and unpaid orders, re-route unaccepted ones."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medrush import pharmacies
from medrush.orders.actions import expire_unaccepted, expire_unpaid

__all__ = ["run_order_timers"]


async def run_order_timers(session: AsyncSession) -> dict[str, int]:
    """One pass of every timer; the worker calls it every few seconds (idempotent, safe to overlap)."""
    unpaid = await expire_unpaid(session)
    refs = await pharmacies.expire_reservations(session)
    unaccepted = await expire_unaccepted(session)
    return {"unpaid_cancelled": unpaid, "holds_expired": len(refs), "rerouted": unaccepted}
