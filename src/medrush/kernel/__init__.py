"""The kernel: database, unit of work, clock, ids, errors, events and outbox, bus, geo, i18n, money.

It imports no domain; every domain imports it.
"""

from medrush.kernel import clock
from medrush.kernel.db import Base, session_scope
from medrush.kernel.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
    Unauthenticated,
)
from medrush.kernel.events import Event, emit, subscribe
from medrush.kernel.ids import new_id

__all__ = [
    "Base",
    "Conflict",
    "DomainError",
    "Event",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Unauthenticated",
    "clock",
    "emit",
    "new_id",
    "session_scope",
    "subscribe",
]
