"""Reactions of the catalog to events: keep every process's search index in step with the database.

The relay of one process handles each ``catalog.product_changed`` event; it updates its own index
and broadcasts the change on the bus, and every other process updates its index on that message
(the safety check and search read the in-process index, so none may stay behind until restart).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog.events import PRODUCT_CHANGED
from medrush.catalog.service import apply_changes
from medrush.kernel import Event, db, subscribe
from medrush.kernel.bus import follow, get_bus

__all__ = ["CATALOG_CHANNEL", "follow_catalog_changes", "refresh_search_index"]

CATALOG_CHANNEL = "catalog.changed"
_ORIGIN = uuid.uuid4().hex  # this process, so it skips its own broadcasts


@subscribe(PRODUCT_CHANGED, name="catalog.refresh_search_index")
async def refresh_search_index(session: AsyncSession, event: Event) -> None:
    """Update the in-process index for the products an event names, then tell the other processes."""
    ids = [str(i) for i in event.payload.get("medicine_ids", [])]
    vocabulary_changed = bool(event.payload.get("vocabulary_changed"))
    await apply_changes(session, ids, vocabulary_changed=vocabulary_changed)
    await get_bus().publish(
        CATALOG_CHANNEL, {"medicine_ids": ids, "vocabulary_changed": vocabulary_changed, "origin": _ORIGIN}
    )


@follow(CATALOG_CHANNEL)
async def follow_catalog_changes(message: dict[str, Any]) -> None:
    """Another process handled a catalog change: bring this process's index up to date too."""
    if message.get("origin") == _ORIGIN:
        return
    ids = [str(i) for i in message.get("medicine_ids", [])]
    async with db.session_scope() as session:
        await apply_changes(session, ids, vocabulary_changed=bool(message.get("vocabulary_changed")))
