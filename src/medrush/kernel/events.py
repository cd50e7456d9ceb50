"""Events through a transactional outbox.

``emit`` writes an event row in the caller's transaction and queues a ``pg_notify``; PostgreSQL
delivers notifications only on commit, so an event of a rolled-back transaction is neither stored
nor announced. ``OutboxRelay`` takes undelivered rows with ``FOR UPDATE SKIP LOCKED`` and runs
the subscribed handlers in the same transaction that marks the row delivered: a relay killed
mid-batch rolls everything back and the next relay delivers again (at least once). Each handler
run is recorded in ``handled_events`` so a handler never runs twice for one event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnDefault,
    DateTime,
    Identity,
    Integer,
    String,
    Table,
    Text,
    TextClause,
    bindparam,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import BindParameter

from medrush.kernel import clock
from medrush.kernel.db import Base

__all__ = [
    "NOTIFY_CHANNEL",
    "Event",
    "HandledEvent",
    "Handler",
    "OutboxEvent",
    "OutboxRelay",
    "emit",
    "handlers_for",
    "subscribe",
]

log = logging.getLogger(__name__)
NOTIFY_CHANNEL = "medrush_outbox"
MAX_ATTEMPTS = 8


class OutboxEvent(Base):
    """An event waiting to be (or already) delivered to its handlers."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    topic: Mapped[str] = mapped_column(String(120), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class HandledEvent(Base):
    """Proof that one handler has processed one event (the idempotency record)."""

    __tablename__ = "handled_events"

    handler: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@dataclass(frozen=True, slots=True)
class Event:
    """An event as handlers see it."""

    id: int
    topic: str
    payload: dict[str, Any]
    created_at: datetime


Handler = Callable[[AsyncSession, Event], Awaitable[None]]
_handlers: dict[str, list[tuple[str, Handler]]] = defaultdict(list)


def subscribe(topic: str, name: str | None = None) -> Callable[[Handler], Handler]:
    """Register an async handler ``(session, event)`` for a topic; the name keys its idempotency record."""

    def register(func: Handler) -> Handler:
        key = name or f"{func.__module__}.{func.__qualname__}"
        if all(existing != key for existing, _ in _handlers[topic]):
            _handlers[topic].append((key, func))
        return func

    return register


def handlers_for(topic: str) -> list[tuple[str, Handler]]:
    """The handlers subscribed to a topic, in registration order."""
    return list(_handlers.get(topic, ()))


def _new_row(obj: Base, table: Table) -> dict[str, Any]:
    """Column values of a new object, with the Python-side defaults the ORM would have applied
    (SQLAlchemy does not apply them to an INSERT inside a CTE)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        value = getattr(obj, column.key)
        default = column.default
        if value is None and isinstance(default, ColumnDefault):
            value = default.arg(None) if default.is_callable else default.arg
        values[column.key] = value
    return values


# The event row and the rows written with it, as one statement per shape (tables, columns and row
# counts): built once and kept, so SQLAlchemy's compiled cache serves every later call.
_Shape = tuple[tuple[str, tuple[str, ...], int], ...]
_statements: dict[_Shape, TextClause] = {}
_EVENT_COLUMNS = ("topic", "payload", "created_at", "available_at", "attempts")


def _statement(shape: _Shape, tables: dict[str, Table]) -> TextClause:
    statement = _statements.get(shape)
    if statement is not None:
        return statement
    parts: list[str] = []
    params: list[BindParameter[Any]] = []
    for t, (name, columns, count) in enumerate(shape):
        table = tables[name]
        tuples = []
        for r in range(count):
            keys = [f"t{t}_{r}_{c}" for c in columns]
            params += [bindparam(k, type_=table.c[c].type) for k, c in zip(keys, columns, strict=True)]
            tuples.append("(" + ", ".join(f":{k}" for k in keys) + ")")
        parts.append(f"w{t} AS (INSERT INTO {name} ({', '.join(columns)}) VALUES {', '.join(tuples)})")
    params += [bindparam("notify_channel", type_=String()), bindparam("notify_topic", type_=String())]
    sql = "WITH " + ",\n".join(parts) + "\nSELECT pg_notify(:notify_channel, :notify_topic)"
    statement = text(sql).bindparams(*params)
    if len(_statements) < 1000:
        _statements[shape] = statement
    return statement


async def emit(
    session: AsyncSession, topic: str, payload: dict[str, Any], *, rows: Sequence[Base] = ()
) -> None:
    """Write an event in the caller's transaction; it is announced only if that transaction commits.

    ``rows`` are new ORM objects (not added to the session) that the same statement inserts
    beside the event row: a new aggregate and the event announcing it cost one round trip. Their
    primary keys must be set when anything reads them back; unset columns take their defaults.
    """
    now = clock.now()
    event_table = OutboxEvent.__table__
    assert isinstance(event_table, Table)
    groups: dict[str, list[dict[str, Any]]] = {
        "outbox_events": [
            {"topic": topic, "payload": payload, "created_at": now, "available_at": now, "attempts": 0}
        ]
    }
    tables = {"outbox_events": event_table}
    for obj in rows:
        table = obj.__table__
        assert isinstance(table, Table)
        tables[table.name] = table
        groups.setdefault(table.name, []).append(_new_row(obj, table))
    shape: list[tuple[str, tuple[str, ...], int]] = []
    values: dict[str, Any] = {"notify_channel": NOTIFY_CHANNEL, "notify_topic": topic}
    for t, (name, group) in enumerate(groups.items()):
        columns = tuple(c for c in group[0] if any(v[c] is not None for v in group))
        shape.append((name, columns, len(group)))
        for r, row in enumerate(group):
            values.update({f"t{t}_{r}_{c}": row[c] for c in columns})
    await session.execute(_statement(tuple(shape), tables), values)


class OutboxRelay:
    """Delivers outbox events to in-process handlers; run one or many, anywhere."""

    def __init__(
        self,
        session_factory: Callable[[], Any],
        *,
        batch_size: int = 100,
        after_delivery: Callable[[Event], Awaitable[None]] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.batch_size = batch_size
        self._after_delivery = after_delivery
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Ask a sleeping relay loop to look for events now (called on NOTIFY)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Deliver one batch; returns how many events were delivered or retried."""
        delivered: list[Event] = []
        async with self._session_factory() as session, session.begin():
            rows = (
                await session.scalars(
                    select(OutboxEvent)
                    .where(
                        OutboxEvent.delivered_at.is_(None),
                        OutboxEvent.failed_at.is_(None),
                        OutboxEvent.available_at <= func.now(),
                    )
                    .order_by(OutboxEvent.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                event = Event(row.id, row.topic, dict(row.payload), row.created_at)
                if await self._deliver(session, row, event):
                    delivered.append(event)
            if delivered:
                await session.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id.in_([e.id for e in delivered]))
                    .values(delivered_at=clock.now())
                    .execution_options(synchronize_session=False)
                )
        if self._after_delivery is not None:
            for event in delivered:
                try:
                    await self._after_delivery(event)
                except Exception:  # a broadcast failure must not stop the relay
                    log.exception("after-delivery hook failed for event %s", event.id)
        return len(rows)

    async def _deliver(self, session: AsyncSession, row: OutboxEvent, event: Event) -> bool:
        handlers = handlers_for(row.topic)
        done: set[str] = set()
        if handlers:  # records of an earlier delivery (a retry, a replay) skip what already ran
            done = set(
                (
                    await session.scalars(select(HandledEvent.handler).where(HandledEvent.event_id == row.id))
                ).all()
            )
        for key, handler in handlers:
            if key in done:
                continue
            try:
                async with session.begin_nested():
                    await handler(session, event)
                    await session.execute(
                        insert(HandledEvent).values(handler=key, event_id=row.id).on_conflict_do_nothing()
                    )
            except Exception as exc:  # noqa: BLE001 - one failing handler delays only its own event
                row.attempts += 1
                row.last_error = f"{key}: {type(exc).__name__}: {exc}"[:2000]
                if row.attempts >= MAX_ATTEMPTS:
                    row.failed_at = clock.now()
                    log.error("event %s (%s) failed for good: %s", row.id, row.topic, row.last_error)
                else:
                    row.available_at = clock.now() + timedelta(seconds=2**row.attempts)
                    log.warning("event %s (%s) will be retried: %s", row.id, row.topic, row.last_error)
                return False
        return True

    async def run_forever(self, poll_seconds: float = 1.0, stop: asyncio.Event | None = None) -> None:
        """Deliver batches until stopped, sleeping until a NOTIFY or the poll interval."""
        while stop is None or not stop.is_set():
            try:
                count = await self.run_once()
            except Exception:  # keep relaying through transient database errors
                log.exception("outbox relay batch failed")
                count = 0
            if count >= self.batch_size:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=poll_seconds)
