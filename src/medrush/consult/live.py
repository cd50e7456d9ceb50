"""Live delivery: each committed change is broadcast on ``consult:<id>`` through ``kernel.bus``.

The bus is the fast path, not the reliable one: a message is stored (with its sequence number)
before it is announced, and a client that missed an announcement asks for ``seq > last seen``.
Each function here runs one unit of work, commits, then publishes, so nothing is announced
that a rollback could take back.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from medrush.accounts import Actor
from medrush.consult import actions, queries
from medrush.consult.enums import MessageKind
from medrush.kernel import session_scope
from medrush.kernel.bus import get_bus

__all__ = [
    "QUEUE_CHANNEL",
    "announce_routing",
    "announce_sync",
    "channel",
    "clinician_channel",
    "publish",
    "send_message",
    "send_photo",
    "send_read",
    "send_typing",
]


QUEUE_CHANNEL = "consult:queue"


def channel(consultation_id: uuid.UUID | str) -> str:
    """The bus channel of one conversation."""
    return f"consult:{consultation_id}"


def clinician_channel(user_id: uuid.UUID | str) -> str:
    """The bus channel telling one clinician about new assignments."""
    return f"clinician:{user_id}"


_publishing = asyncio.Lock()


async def publish(consultation_id: uuid.UUID | str, message: dict[str, Any]) -> None:
    """Broadcast one event to every listener of a conversation, in every process.

    Publishes of this process go one at a time: the PostgreSQL bus sends through a single
    connection, which refuses a second statement while one is in flight.
    """
    async with _publishing:
        await get_bus().publish(channel(consultation_id), message)


async def send_message(
    actor: Actor,
    consultation_id: uuid.UUID,
    body: str,
    *,
    client_id: str | None = None,
    quick_reply: bool = False,
) -> tuple[dict[str, Any], bool]:
    """Store a message, commit, broadcast it; returns its view and whether it was new."""
    kind = MessageKind.QUICK_REPLY if quick_reply else MessageKind.TEXT
    async with session_scope() as session:
        posted = await actions.post_message(
            session, actor, consultation_id, body=body, client_id=client_id, kind=kind
        )
        view = queries.message_view(posted.message)
    await publish(consultation_id, view)
    return view, posted.created


async def send_photo(
    actor: Actor, consultation_id: uuid.UUID, data: bytes, *, client_id: str | None = None
) -> dict[str, Any]:
    """Store a photo as a message, commit, broadcast it."""
    async with session_scope() as session:
        posted = await actions.add_attachment(session, actor, consultation_id, data, client_id=client_id)
        view = queries.message_view(posted.message)
    await publish(consultation_id, view)
    return view


async def send_read(actor: Actor, consultation_id: uuid.UUID, seq: int) -> int:
    """Store a read receipt, commit, broadcast it."""
    async with session_scope() as session:
        upto = await actions.mark_read(session, actor, consultation_id, seq)
    await publish(consultation_id, {"type": "read", "user_id": str(actor.user_id), "seq": upto})
    return upto


async def send_typing(actor: Actor, consultation_id: uuid.UUID, typing: bool) -> None:
    """Broadcast a typing indicator (never stored)."""
    await publish(consultation_id, {"type": "typing", "user_id": str(actor.user_id), "typing": typing})


async def announce_routing(pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Tell conversations and clinicians about assignments, and consoles that the queue changed."""
    for consultation_id, clinician_id in pairs:
        await publish(consultation_id, {"type": "assigned", "clinician_id": str(clinician_id)})
        async with _publishing:
            await get_bus().publish(
                clinician_channel(clinician_id), {"type": "assigned", "consultation_id": str(consultation_id)}
            )
    async with _publishing:
        await get_bus().publish(QUEUE_CHANNEL, {"type": "queue"})


async def announce_sync(consultation_id: uuid.UUID) -> None:
    """Ask every listener to fetch what was stored since their last message (after an outcome, a close)."""
    await publish(consultation_id, {"type": "sync"})
