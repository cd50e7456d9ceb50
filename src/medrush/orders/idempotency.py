"""Idempotency keys: the first result of a request is stored with a hash of its body.

A retry with the same key and the same body gets the stored result; the same key with another
body is a Conflict. The key row is inserted in the same transaction as the change, so a request
that fails leaves no key behind and may be retried; two concurrent requests with one key
serialise on the primary key and the second sees the first's result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput
from medrush.orders.models import IdempotencyKey

__all__ = ["IdempotentResult", "body_hash", "purge_idempotency_keys", "run_idempotent"]

MAX_KEY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class IdempotentResult:
    """A response and whether it was replayed from an earlier request."""

    status_code: int
    body: dict[str, Any]
    replayed: bool


def body_hash(body: Any) -> str:
    """A stable SHA-256 of a JSON-able request body."""
    raw = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(raw).hexdigest()


async def run_idempotent(
    session: AsyncSession,
    *,
    scope: str,
    key: str | None,
    body: Any,
    produce: Callable[[], Awaitable[tuple[int, dict[str, Any]]]],
) -> IdempotentResult:
    """Run ``produce`` once per (scope, key); without a key it simply runs."""
    if key is None:
        status, response = await produce()
        return IdempotentResult(status, response, replayed=False)
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            "Idempotency-Key must be 1 to {max_key_length} characters",
            code="bad_idempotency_key",
            max_key_length=MAX_KEY_LENGTH,
        )
    digest = body_hash(body)
    # claim the key first: a concurrent request with the same key waits here until we commit
    connection = await db.driver(session)  # a hot path: SQLAlchemy's per-statement work is skipped
    claimed = await connection.fetchval(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at) "
        "VALUES ($1, $2, $3, 0, '{}', $4) ON CONFLICT DO NOTHING RETURNING key",
        scope,
        key,
        digest,
        clock.now(),
    )
    if claimed is None:
        row = (
            await session.scalars(
                select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
            )
        ).one()
        if row.request_hash != digest:
            raise Conflict(
                "this Idempotency-Key was used with a different request body", code="idempotency_mismatch"
            )
        return IdempotentResult(row.status_code, dict(row.response), replayed=True)
    status, response = await produce()
    await session.flush()
    await connection.execute(
        "UPDATE idempotency_keys SET status_code = $1, response = $2 WHERE scope = $3 AND key = $4",
        status,
        json.dumps(response, default=str),
        scope,
        key,
    )
    return IdempotentResult(status, response, replayed=False)


_PURGE = """
    WITH gone AS (
        DELETE FROM idempotency_keys WHERE (scope, key) IN (
            SELECT scope, key FROM idempotency_keys WHERE created_at < $1 LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        RETURNING 1
    )
    SELECT count(*) FROM gone
"""


async def purge_idempotency_keys(session: AsyncSession, *, older_than: datetime, limit: int = 5000) -> int:
    """Delete up to ``limit`` idempotency keys created before ``older_than``; returns how many.
    A retry after that runs as a new request."""
    connection = await db.driver(session)
    return int(await connection.fetchval(_PURGE, older_than, limit))
