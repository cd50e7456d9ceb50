"""Identifiers: time-ordered UUIDs (v7 layout) so primary keys index well and sort by creation."""

from __future__ import annotations

import os
import secrets
import time
import uuid

__all__ = ["new_id", "short_code"]


def new_id() -> uuid.UUID:
    """A new UUIDv7: 48-bit millisecond timestamp, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76
    value &= ~(0x3 << 62)
    value |= 0x2 << 62
    return uuid.UUID(int=value)


def short_code(length: int = 6) -> str:
    """A short numeric code people can read aloud (handover codes, verification codes)."""
    return "".join(secrets.choice("0123456789") for _ in range(length))
