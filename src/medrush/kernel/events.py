"""Events through a transactional outbox.

``emit`` writes an event row in the caller's transaction. When that transaction commits, a relay
is woken: this process's own when it runs one, else those of other processes by one
``pg_notify`` per short interval from a separate, non-durable transaction (see ``_Announcer``),
so an event of a rolled-back transaction is neither stored nor announced. A NOTIFY inside the writing
transaction would serialise every committing transaction on PostgreSQL's notification lock,
WAL flush included (measured: checkouts queued on it, bench/checkout.py). ``OutboxRelay`` takes
undelivered rows with ``FOR UPDATE SKIP LOCKED`` and runs the subscribed handlers in the same
transaction that marks the row delivered: a relay killed mid-batch rolls everything back and the
next relay delivers again (at least once). Each handler run is recorded in ``handled_events`` so
a handler never runs twice for one event. A wake-up that is lost (a crash right after commit) is
made up by the relays' polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnDefault,
    DateTime,
    Identity,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    select,
    text,
    update,
)
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from medrush.kernel import clock, db
from medrush.kernel.db import Base

__all__ = [
    "NOTIFY_CHANNEL",
    "Event",
    "HandledEvent",
    "Handler",
    "OutboxEvent",
    "OutboxRelay",
    "announcer",
    "emit",
    "handlers_for",
    "purge_delivered",
    "subscribe",
]

log = logging.getLogger(__name__)
NOTIFY_CHANNEL = "medrush_outbox"
MAX_ATTEMPTS = 8


class OutboxEvent(Base):
    """An event waiting to be (or already) delivered to its handlers."""

    __tablename__ = "outbox_events"
    # the relay's scan: only undelivered rows, however many delivered ones pile up
    __table_args__ = (
        Index(
            "ix_outbox_events_pending",
            "id",
            postgresql_where=text("delivered_at IS NULL AND failed_at IS NULL"),
        ),
        # the retention purge's range scan; rows arrive in time order, so a block range index is
        # enough and costs the checkout's insert next to nothing
        Index("ix_outbox_events_created_at", "created_at", postgresql_using="brin"),
    )

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


@dataclass(frozen=True, slots=True)
class _Column:
    """What writing one column of a new row needs, worked out once per table."""

    key: str
    default: Any  # the Python-side default: a value, a callable taking a context, or _NO_DEFAULT
    callable_default: bool
    json: bool


_NO_DEFAULT = object()
_columns: dict[Table, tuple[_Column, ...]] = {}


def _columns_of(table: Table) -> tuple[_Column, ...]:
    columns = _columns.get(table)
    if columns is None:
        found = []
        for column in table.columns:
            default = column.default
            has_default = isinstance(default, ColumnDefault)
            found.append(
                _Column(
                    key=column.key,
                    default=default.arg if has_default else _NO_DEFAULT,  # type: ignore[union-attr]
                    callable_default=has_default and default.is_callable,  # type: ignore[union-attr]
                    json=isinstance(column.type, JSON),
                )
            )
        columns = _columns[table] = tuple(found)
    return columns


def _new_row(obj: Base, columns: tuple[_Column, ...]) -> dict[str, Any]:
    """Column values of a new object, with the Python-side defaults the ORM would have applied
    (SQLAlchemy does not apply them to an INSERT inside a CTE). A new object's values are read
    from its ``__dict__``: what was never set is absent there."""
    state = obj.__dict__
    values: dict[str, Any] = {}
    for column in columns:
        value = state.get(column.key)
        if value is None and column.default is not _NO_DEFAULT:
            value = column.default(None) if column.callable_default else column.default
        values[column.key] = value
    return values


# The event row and the rows written with it, as one statement per shape (tables, columns and row
# counts), built once. It runs on the driver connection (``db.driver``): at checkout rates
# SQLAlchemy's per-statement work cost more than the statement (bench/checkout.py).
_Shape = tuple[tuple[str, tuple[str, ...], int], ...]
_statements: dict[_Shape, str] = {}


def _statement(shape: _Shape) -> str:
    statement = _statements.get(shape)
    if statement is not None:
        return statement
    parts: list[str] = []
    n = 0
    for t, (name, columns, count) in enumerate(shape):
        tuples = []
        for _ in range(count):
            tuples.append("(" + ", ".join(f"${n + i + 1}" for i in range(len(columns))) + ")")
            n += len(columns)
        parts.append(f"w{t} AS (INSERT INTO {name} ({', '.join(columns)}) VALUES {', '.join(tuples)})")
    statement = "WITH " + ",\n".join(parts) + "\nSELECT 1"
    if len(_statements) < 1000:
        _statements[shape] = statement
    return statement


def _driver_value(column: _Column, value: Any) -> Any:
    """A value as asyncpg takes it for this column (JSON as text, enum members as their value)."""
    if value is None:
        return None
    if column.json:
        return json.dumps(value, default=str)
    if isinstance(value, enum.Enum):
        return value.value
    return value


async def emit(
    session: AsyncSession, topic: str, payload: dict[str, Any], *, rows: Sequence[Base] = ()
) -> None:
    """Write an event in the caller's transaction; it is announced only if that transaction commits.

    ``rows`` are new ORM objects (not added to the session) that the same statement inserts
    beside the event row: a new aggregate and the event announcing it cost one round trip. Their
    primary keys must be set when anything reads them back; unset columns take their defaults.
    Pending changes of the session are flushed first, so statements keep their order.
    """
    now = clock.now()
    event = OutboxEvent(topic=topic, payload=payload, created_at=now, available_at=now, attempts=0)
    groups: dict[Table, list[dict[str, Any]]] = {}
    for obj in (event, *rows):
        table = obj.__table__
        assert isinstance(table, Table)
        groups.setdefault(table, []).append(_new_row(obj, _columns_of(table)))
    shape: list[tuple[str, tuple[str, ...], int]] = []
    args: list[Any] = []
    for table, group in groups.items():
        used = [c for c in _columns_of(table) if any(row[c.key] is not None for row in group)]
        shape.append((table.name, tuple(c.key for c in used), len(group)))
        for row in group:
            args += [_driver_value(c, row[c.key]) for c in used]
    await session.flush()
    connection = await db.driver(session)
    await connection.execute(_statement(tuple(shape)), *args)
    session.info[_EMITTED] = True


_EMITTED = "medrush.outbox.emitted"
ANNOUNCE_INTERVAL_SECONDS = 0.025
GATHER_SECONDS = 0.05


_PURGE_DELIVERED = """
    WITH gone AS (
        DELETE FROM outbox_events WHERE id IN (
            SELECT id FROM outbox_events
            WHERE created_at < $1 AND delivered_at IS NOT NULL
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id
    ),
    handled AS (DELETE FROM handled_events h USING gone WHERE h.event_id = gone.id)
    SELECT count(*) FROM gone
"""


async def purge_delivered(session: AsyncSession, *, older_than: datetime, limit: int = 5000) -> int:
    """Delete up to ``limit`` delivered events created before ``older_than``, with their handler
    records; returns how many. Pending and failed events stay (failed ones for an operator)."""
    connection = await db.driver(session)
    return int(await connection.fetchval(_PURGE_DELIVERED, older_than, limit))


class _Announcer:
    """Wakes relays after a commit that wrote events (see the module notes)."""

    def __init__(self) -> None:
        self.local: weakref.WeakSet[OutboxRelay] = weakref.WeakSet()
        self._due: set[asyncio.AbstractEventLoop] = set()

    def committed(self) -> None:
        woken = False
        for relay in list(self.local):
            with contextlib.suppress(RuntimeError):  # a relay of an event loop that has ended
                relay.wake()
                woken = True
        if woken:  # any relay delivers any event: this process's own is enough
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a synchronous caller: the relays' polling picks the events up
            return
        if loop not in self._due:
            self._due.add(loop)
            loop.call_later(ANNOUNCE_INTERVAL_SECONDS, lambda: loop.create_task(self._notify(loop)))

    async def _notify(self, loop: asyncio.AbstractEventLoop) -> None:
        self._due.discard(loop)
        try:
            async with db.get_engine().connect() as conn:
                await conn.execute(text("SET LOCAL synchronous_commit = off"))  # a hint, not a record
                await conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})
                await conn.commit()
        except Exception:
            log.warning("could not announce new outbox events", exc_info=True)


announcer = _Announcer()


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_EMITTED, False):
        announcer.committed()


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_EMITTED, None)


_SKIP_UNHANDLED = text(
    """
    UPDATE outbox_events SET delivered_at = now()
    WHERE id IN (
        SELECT id FROM outbox_events
        WHERE delivered_at IS NULL AND failed_at IS NULL AND available_at <= now()
          AND NOT (topic = ANY(CAST(:topics AS varchar[])))
        ORDER BY id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    """
)


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
        topics = [topic for topic, handlers in _handlers.items() if handlers]
        async with self._session_factory() as session, session.begin():
            # events nobody here handles (most of them at checkout rates) are marked in one go
            skipped = (
                await session.execute(_SKIP_UNHANDLED, {"topics": topics, "limit": self.batch_size * 10})
            ).rowcount
            rows = (
                await session.scalars(
                    select(OutboxEvent)
                    .where(
                        OutboxEvent.delivered_at.is_(None),
                        OutboxEvent.failed_at.is_(None),
                        OutboxEvent.available_at <= func.now(),
                        OutboxEvent.topic.in_(topics),
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
            if rows or skipped:
                # Nothing is lost if a crash forgets this commit: the handlers' effects go with it
                # and the events are delivered again, so it need not wait for the WAL flush.
                await session.execute(text("SET LOCAL synchronous_commit = off"))
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
        return len(rows) + max(0, skipped or 0)

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
        announcer.local.add(self)  # commits in this process wake this relay directly
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
                await asyncio.sleep(GATHER_SECONDS)  # let a burst of commits make one batch
