"""Reactions of the consult domain to other domains' events (run by the outbox relay)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import Event, subscribe

__all__ = ["release_hold_on_rejection"]


@subscribe("prescriptions.reviewed", name="consult.release_hold_on_rejection")
async def release_hold_on_rejection(session: AsyncSession, event: Event) -> None:
    """A rejected prescription frees the stock held for its consultation at the chosen pharmacy."""
    consultation_id = event.payload.get("consultation_id")
    if event.payload.get("decision") != "reject" or consultation_id in (None, "None"):
        return
    from medrush import pharmacies

    await pharmacies.release_reservations(session, f"consult:{consultation_id}")
