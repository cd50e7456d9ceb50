"""Latest courier positions: in Redis when ``MEDRUSH_REDIS_URL`` is set, always on the courier row.

With Redis every ping lands there at once and the database row is refreshed at most every
``DB_REFRESH_SECONDS`` (so a fleet of pinging phones does not hammer PostgreSQL); without Redis
the row is the only store. Rounds read the row and overlay fresher Redis positions.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from medrush.settings import get_settings

__all__ = ["DB_REFRESH_SECONDS", "Position", "latest_positions", "remember_position"]

log = logging.getLogger(__name__)
DB_REFRESH_SECONDS = 15.0
_redis: Any = None


@dataclass(frozen=True, slots=True)
class Position:
    """A courier's position at a moment."""

    lat: float
    lng: float
    at: datetime


def _client() -> Any:
    global _redis
    url = get_settings().redis_url
    if not url:
        return None
    if _redis is None:
        import redis.asyncio as aioredis

        _redis = aioredis.from_url(url)
    return _redis


def _key(courier_id: uuid.UUID) -> str:
    return f"medrush:courier:{courier_id}:pos"


async def remember_position(courier_id: uuid.UUID, position: Position) -> bool:
    """Store a position in Redis; False when Redis is not configured or not reachable."""
    client = _client()
    if client is None:
        return False
    value = json.dumps({"lat": position.lat, "lng": position.lng, "at": position.at.isoformat()})
    try:
        await client.set(_key(courier_id), value, ex=3600)
    except Exception:  # noqa: BLE001 - fall back to the database row
        log.warning("redis unreachable; keeping courier positions in the database only")
        return False
    return True


async def latest_positions(courier_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Position]:
    """Positions held in Redis for these couriers (empty without Redis)."""
    client = _client()
    ids = list(courier_ids)
    if client is None or not ids:
        return {}
    try:
        values = await client.mget([_key(i) for i in ids])
    except Exception:  # noqa: BLE001
        return {}
    out: dict[uuid.UUID, Position] = {}
    for courier_id, raw in zip(ids, values, strict=True):
        if raw is None:
            continue
        data = json.loads(raw)
        out[courier_id] = Position(float(data["lat"]), float(data["lng"]), datetime.fromisoformat(data["at"]))
    return out
