"""Search results marked for one family member: each product checked alone by the safety engine."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts, catalog, safety
from medrush.kernel import clock

__all__ = ["mark_results"]


async def mark_results(
    session: AsyncSession,
    actor: accounts.Actor,
    profile_id: uuid.UUID,
    results: list[dict[str, Any]],
    lang: str,
) -> None:
    """Add ``safety`` (``level`` and ``findings``) to each result for the profile (an audited read)."""
    profile = await accounts.access_profile_by_id(session, actor, profile_id)
    patient = safety.patient_from_profile(profile, clock.now().date())
    products = [catalog.get_product(str(r["medicine_id"])) for r in results]
    marks = safety.mark_products(patient, products, lang=lang)
    for result in results:
        verdict = marks[str(result["medicine_id"])].to_json_dict()
        result["safety"] = {"level": verdict["level"], "findings": verdict["findings"]}
