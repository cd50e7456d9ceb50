"""Live messages queued during a transaction and sent on ``kernel.bus`` only after it commits.

Channels: ``courier:<user id>`` (offers and withdrawals), ``order:<order id>`` (the customer's
tracking map: ETAs and courier position), ``pharmacy:<pharmacy id>`` (the inbox: courier ETA).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.kernel.bus import get_bus

__all__ = ["Outgoing", "queue_message", "send_queued", "take_queued"]

log = logging.getLogger(__name__)
Outgoing = list[tuple[str, dict[str, Any]]]
_KEY = "medrush.dispatch.live.outgoing"


def queue_message(session: AsyncSession, channel: str, message: dict[str, Any]) -> None:
    """Remember a message to broadcast once the session's transaction has committed."""
    session.info.setdefault(_KEY, []).append((channel, message))


def take_queued(session: AsyncSession) -> Outgoing:
    """The messages queued on a session (and forget them there)."""
    queued: Outgoing = session.info.pop(_KEY, [])
    return queued


async def send_queued(messages: Outgoing) -> None:
    """Broadcast messages; a failure is logged, never raised (live updates are best effort)."""
    bus = get_bus()
    for channel, message in messages:
        try:
            await bus.publish(channel, message)
        except Exception:
            log.exception("live publish to %s failed", channel)
