"""Events the catalog emits (through the outbox, in the transaction of the change)."""

from __future__ import annotations

__all__ = ["PRODUCT_CHANGED"]

# payload: {"medicine_ids": [...], "reason": "load" | "upsert" | "withdraw"}
PRODUCT_CHANGED = "catalog.product_changed"
