"""Reactions of the catalog to events: keep this process's search index in step with the database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog.events import PRODUCT_CHANGED
from medrush.catalog.service import apply_changes
from medrush.kernel import Event, subscribe

__all__ = ["refresh_search_index"]


@subscribe(PRODUCT_CHANGED, name="catalog.refresh_search_index")
async def refresh_search_index(session: AsyncSession, event: Event) -> None:
    """Update the in-process index for the products an event names."""
    ids = [str(i) for i in event.payload.get("medicine_ids", [])]
    await apply_changes(session, ids, vocabulary_changed=bool(event.payload.get("vocabulary_changed")))
