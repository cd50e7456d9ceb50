"""JSON API and WebSocket of consultations: open, queue, chat, photos, outcomes, close, rate, FHIR."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, WebSocket, WebSocketDisconnect, status
from pydantic import BaseModel, ConfigDict, Field

from medrush import consult, interop, prescriptions
from medrush.accounts import Actor, AuditAction, Role
from medrush.kernel import db
from medrush.kernel.bus import get_bus
from medrush.kernel.errors import DomainError, InvalidInput
from medrush.web.deps import require_actor, require_roles, websocket_actor
from medrush.web.rendering import page_lang

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["consult"])
clinician = require_roles(Role.DOCTOR, Role.PHARMACIST)


class Strict(BaseModel):
    """Request bodies refuse unknown fields."""

    model_config = ConfigDict(extra="forbid")


class ConsultationIn(Strict):
    """A new consultation."""

    profile_id: uuid.UUID
    mode: Literal["doctor", "pharmacist"] = "doctor"
    symptoms: str = Field(min_length=3, max_length=4000)
    specialty: str = "general"
    language: Literal["en", "zh", "ko"] = "en"
    pharmacy_id: uuid.UUID | None = None


class MessageIn(Strict):
    """A chat message sent over HTTP (the WebSocket takes the same fields)."""

    text: str = Field(min_length=1, max_length=4000)
    client_id: str | None = Field(None, min_length=1, max_length=64)
    quick_reply: bool = False


class ReadIn(Strict):
    """A read receipt."""

    seq: int = Field(ge=0)


class OutcomeIn(Strict):
    """An outcome recorded by the assigned clinician."""

    kind: Literal["advice", "otc", "prescription", "referral", "follow_up"]
    data: dict[str, Any]


class RatingIn(Strict):
    """Stars after closing."""

    stars: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=1000)


class PresenceIn(Strict):
    """A clinician's presence and skills."""

    online: bool
    specialties: list[str] | None = None
    languages: list[Literal["en", "zh", "ko"]] | None = None
    capacity: int | None = Field(None, ge=1, le=10)


async def _route_and_announce() -> None:
    async with db.session_scope() as session:
        pairs = await consult.route_waiting(session)
    await consult.announce_routing(pairs)


async def _detail(actor: Actor, consultation_id: uuid.UUID) -> dict[str, Any]:
    async with db.session_scope() as session:
        c = await consult.access_consultation_by_id(session, actor, consultation_id)
        view = consult.consultation_view(c)
        view["outcomes"] = [
            {"id": str(o.id), "kind": o.kind, "data": o.data, "created_at": o.created_at.isoformat()}
            for o in await consult.outcomes_of(session, c.id)
        ]
        view["read"] = await consult.read_marks(session, c.id)
        view["role"] = consult.role_in(actor, c)
    return view


@router.post("/consultations", status_code=status.HTTP_201_CREATED)
async def open_consultation(data: ConsultationIn, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """Open a consultation: triage first (an emergency is answered at once), then the queue."""
    async with db.session_scope() as session:
        c = await consult.open_consultation(
            session,
            actor,
            profile_id=data.profile_id,
            mode=data.mode,
            symptoms=data.symptoms,
            specialty=data.specialty,
            language=data.language,
            pharmacy_id=data.pharmacy_id,
        )
        consultation_id = c.id
    await _route_and_announce()
    return await _detail(actor, consultation_id)


@router.get("/consultations")
async def my_consultations(actor: Actor = Depends(require_actor)) -> list[dict[str, Any]]:
    """The caller's own consultations, newest first."""
    async with db.session_scope() as session:
        return [consult.consultation_view(c) for c in await consult.my_consultations(session, actor)]


@router.get("/consultations/quick-replies")
async def quick_replies(_actor: Actor = Depends(clinician)) -> dict[str, str]:
    """The clinicians' quick replies by key."""
    return dict(consult.QUICK_REPLIES)


@router.get("/consultations/operator")
async def operator_figures(
    target_seconds: float = Query(120, gt=0, le=3600),
    target_level: float = Query(0.9, gt=0, lt=1),
    handle_minutes: float = Query(12, gt=0, le=240),
    chats_each: int = Query(3, ge=1, le=10),
    actor: Actor = Depends(require_roles(Role.OPERATOR)),
) -> dict[str, Any]:
    """Waiting now, clinicians online, waits by hour and the staffing suggestion (operators)."""
    async with db.session_scope() as session:
        return await consult.operator_figures(
            session,
            actor,
            target_seconds=target_seconds,
            target_level=target_level,
            handle_minutes=handle_minutes,
            chats_each=chats_each,
        )


@router.get("/consultations/attachments/{attachment_id}")
async def attachment(attachment_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> Response:
    """A photo of a consultation the caller may read."""
    async with db.session_scope() as session:
        found = await consult.attachment_for(session, actor, attachment_id)
        return Response(found.data, media_type=found.content_type, headers={"Cache-Control": "private"})


@router.get("/consultations/{consultation_id}")
async def consultation(consultation_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """One consultation with its outcomes and read marks."""
    return await _detail(actor, consultation_id)


@router.get("/consultations/{consultation_id}/messages")
async def messages(
    consultation_id: uuid.UUID, after: int = Query(0, ge=0), actor: Actor = Depends(require_actor)
) -> list[dict[str, Any]]:
    """Messages with ``seq > after`` (at most 500), in order."""
    async with db.session_scope() as session:
        rows = await consult.messages_after(session, actor, consultation_id, after)
        return [consult.message_view(m) for m in rows]


@router.post("/consultations/{consultation_id}/messages", status_code=status.HTTP_201_CREATED)
async def send(
    consultation_id: uuid.UUID, data: MessageIn, response: Response, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Send a message; resending the same ``client_id`` returns the stored one (200)."""
    view, created = await consult.send_message(
        actor, consultation_id, data.text, client_id=data.client_id, quick_reply=data.quick_reply
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return view


@router.post("/consultations/{consultation_id}/attachments", status_code=status.HTTP_201_CREATED)
async def upload(
    consultation_id: uuid.UUID,
    request: Request,
    client_id: str | None = Query(None, min_length=1, max_length=64),
    actor: Actor = Depends(require_actor),
) -> dict[str, Any]:
    """Send a photo as the raw request body (JPEG, PNG or WebP by content, at most 5 MB)."""
    data = await request.body()
    return await consult.send_photo(actor, consultation_id, data, client_id=client_id)


@router.post("/consultations/{consultation_id}/read")
async def read(
    consultation_id: uuid.UUID, data: ReadIn, actor: Actor = Depends(require_actor)
) -> dict[str, int]:
    """Record a read receipt."""
    return {"seq": await consult.send_read(actor, consultation_id, data.seq)}


@router.post("/consultations/{consultation_id}/pick-up")
async def pick_up(consultation_id: uuid.UUID, actor: Actor = Depends(clinician)) -> dict[str, Any]:
    """A clinician takes a waiting consultation."""
    async with db.session_scope() as session:
        await consult.pick_up(session, actor, consultation_id)
    await consult.announce_routing([(consultation_id, actor.user_id)])  # type: ignore[list-item]
    return await _detail(actor, consultation_id)


@router.post("/consultations/{consultation_id}/outcomes", status_code=status.HTTP_201_CREATED)
async def outcome(
    consultation_id: uuid.UUID, data: OutcomeIn, actor: Actor = Depends(clinician)
) -> dict[str, Any]:
    """Record advice, OTC suggestions (safety-checked), an e-prescription, a referral or a follow-up."""
    async with db.session_scope() as session:
        o = await consult.record_outcome(session, actor, consultation_id, data.kind, data.data)
        body = {"id": str(o.id), "kind": o.kind, "data": o.data, "created_at": o.created_at.isoformat()}
    await consult.announce_sync(consultation_id)
    return body


@router.post("/consultations/{consultation_id}/close")
async def close(consultation_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """End the consultation (patient or assigned clinician); the clinician's slot is routed again."""
    async with db.session_scope() as session:
        await consult.close_consultation(session, actor, consultation_id)
    await consult.announce_sync(consultation_id)
    await _route_and_announce()
    return await _detail(actor, consultation_id)


@router.post("/consultations/{consultation_id}/rating")
async def rate(
    consultation_id: uuid.UUID, data: RatingIn, actor: Actor = Depends(require_actor)
) -> dict[str, Any]:
    """Rate a closed consultation once."""
    async with db.session_scope() as session:
        await consult.rate_consultation(session, actor, consultation_id, data.stars, data.comment)
    return await _detail(actor, consultation_id)


@router.get("/consultations/{consultation_id}/fhir")
async def fhir(consultation_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """The consultation as a FHIR R4 Bundle (Encounter, Communication, MedicationRequest); audited."""
    async with db.session_scope() as session:
        c = await consult.access_consultation_by_id(
            session, actor, consultation_id, action=AuditAction.EXPORT
        )
        rows = await consult.messages_since(session, c.id, 0, limit=500)
        rxs = await prescriptions.prescriptions_of_consultation(session, c.id)
        for rx in rxs:
            if rx.status != "draft":
                prescriptions.verify(rx, rx.signature)
        return interop.consultation_bundle(c, rows, [(rx, prescriptions.effective_status(rx)) for rx in rxs])


@router.put("/clinicians/me/presence")
async def presence(data: PresenceIn, actor: Actor = Depends(clinician)) -> dict[str, Any]:
    """Go online or offline; going online may bring waiting consultations at once."""
    async with db.session_scope() as session:
        row = await consult.set_presence(
            session,
            actor,
            online=data.online,
            specialties=data.specialties,
            languages=list(data.languages) if data.languages is not None else None,
            capacity=data.capacity,
        )
        body = {
            "online": row.online,
            "modes": row.modes,
            "specialties": row.specialties,
            "languages": row.languages,
            "capacity": row.capacity,
            "active": row.active_count,
        }
    if data.online:
        await _route_and_announce()
    return body


@router.get("/clinicians/me/queue")
async def queue(actor: Actor = Depends(clinician)) -> list[dict[str, Any]]:
    """Waiting consultations the caller could pick up."""
    async with db.session_scope() as session:
        return [consult.consultation_view(c) for c in await consult.queue_for(session, actor)]


@router.get("/clinicians/me/chats")
async def chats(actor: Actor = Depends(clinician)) -> list[dict[str, Any]]:
    """The caller's active consultations."""
    async with db.session_scope() as session:
        return [consult.consultation_view(c) for c in await consult.clinician_chats(session, actor)]


# ---------------------------------------------------------------- WebSocket


class _Conversation:
    """One WebSocket: sends stored messages in seq order exactly once, relays the bus, takes input."""

    def __init__(self, websocket: WebSocket, actor: Actor, consultation_id: uuid.UUID, after: int) -> None:
        self.ws = websocket
        self.actor = actor
        self.consultation_id = consultation_id
        self.sent = after
        self.lock = asyncio.Lock()

    async def send_backlog(self, rows: list[Any]) -> None:
        """Send messages read together with the access check, then go on from the last one."""
        async with self.lock:
            for m in rows:
                if m.seq == self.sent + 1:
                    await self.ws.send_json(consult.message_view(m))
                    self.sent = m.seq
        if len(rows) < 500:
            return
        await self.catch_up()

    async def catch_up(self) -> None:
        """Send every stored message after the last one sent, in order (fills any gap)."""
        async with self.lock:
            while True:
                async with db.session_scope() as session:
                    rows = await consult.messages_since(session, self.consultation_id, self.sent)
                for m in rows:
                    await self.ws.send_json(consult.message_view(m))
                    self.sent = m.seq
                if len(rows) < 500:
                    return

    async def deliver(self, event: dict[str, Any]) -> None:
        """Relay one bus event: messages strictly in order, others as they come."""
        if event.get("type") == "message":
            seq = int(event["seq"])
            if seq <= self.sent:
                return
            if seq == self.sent + 1:
                async with self.lock:
                    if seq == self.sent + 1:
                        await self.ws.send_json(event)
                        self.sent = seq
                        return
            await self.catch_up()
            return
        if event.get("type") in ("assigned", "sync"):
            await self.catch_up()
        if event.get("user_id") == str(self.actor.user_id) and event.get("type") == "typing":
            return
        await self.ws.send_json(event)

    async def handle(self, raw: str) -> None:
        """One frame from the client."""
        try:
            frame = json.loads(raw)
            kind = frame.get("type") if isinstance(frame, dict) else None
        except json.JSONDecodeError:
            kind = None
        if kind is None:
            await self.ws.send_json(
                {"type": "error", "code": "bad_frame", "message": "send a JSON object with a type"}
            )
            return
        client_id = frame.get("client_id")
        try:
            if kind == "message":
                view, _created = await consult.send_message(
                    self.actor,
                    self.consultation_id,
                    str(frame.get("text") or ""),
                    client_id=None if client_id is None else str(client_id),
                    quick_reply=bool(frame.get("quick_reply")),
                )
                await self.ws.send_json({"type": "ack", "client_id": client_id, "seq": view["seq"]})
                await self.deliver(view)
            elif kind == "photo":
                try:
                    data = base64.b64decode(str(frame.get("data") or ""), validate=True)
                except (binascii.Error, ValueError):
                    raise InvalidInput("photo data must be base64", code="bad_base64") from None
                view = await consult.send_photo(
                    self.actor,
                    self.consultation_id,
                    data,
                    client_id=None if client_id is None else str(client_id),
                )
                await self.ws.send_json({"type": "ack", "client_id": client_id, "seq": view["seq"]})
                await self.deliver(view)
            elif kind == "typing":
                await consult.send_typing(self.actor, self.consultation_id, bool(frame.get("typing", True)))
            elif kind == "read":
                await consult.send_read(self.actor, self.consultation_id, int(frame.get("seq") or 0))
            elif kind == "ping":
                await self.ws.send_json({"type": "pong"})
            else:
                raise InvalidInput("unknown frame type {kind!r}", code="bad_frame", kind=kind)
        except DomainError as exc:
            await self.ws.send_json(
                {
                    "type": "error",
                    "client_id": client_id,
                    "code": exc.code,
                    "message": exc.translated(page_lang(self.ws)),
                }
            )
        except (WebSocketDisconnect, RuntimeError):
            raise
        except Exception:  # a stored message must not cost the connection; the client resends
            log.exception("chat frame failed in consultation %s", self.consultation_id)
            await self.ws.send_json(
                {"type": "error", "client_id": client_id, "code": "internal", "message": "try again"}
            )


@router.websocket("/consultations/{consultation_id}/ws")
async def chat_socket(websocket: WebSocket, consultation_id: uuid.UUID, after: int = 0) -> None:
    """Live chat: ``?after=<seq>`` resumes without loss or duplicates; frames are JSON objects."""
    actor = await websocket_actor(websocket)
    if actor.user_id is None:
        await websocket.close(code=4401, reason="sign in first")
        return
    async with get_bus().subscribe(consult.channel(consultation_id)) as queue:
        # subscribed before reading the backlog, so nothing falls between the two
        try:
            async with db.session_scope() as session:
                await consult.access_consultation_by_id(session, actor, consultation_id)
                backlog = await consult.messages_since(session, consultation_id, max(0, after))
        except DomainError:
            await websocket.close(code=4404, reason="no such consultation")
            return
        await websocket.accept()
        conversation = _Conversation(websocket, actor, consultation_id, max(0, after))
        await conversation.send_backlog(backlog)

        async def pump() -> None:
            while True:
                event = await queue.get()
                await conversation.deliver(event)

        pumping = asyncio.create_task(pump())
        try:
            while True:
                raw = await websocket.receive_text()
                await conversation.handle(raw)
        except WebSocketDisconnect:
            pass
        finally:
            pumping.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pumping


@router.websocket("/clinicians/me/ws")
async def console_socket(websocket: WebSocket) -> None:
    """A clinician console's live feed: ``queue`` when the queue changes, ``assigned`` for new chats."""
    actor = await websocket_actor(websocket)
    if actor.user_id is None or not (actor.has(Role.DOCTOR) or actor.has(Role.PHARMACIST)):
        await websocket.close(code=4403, reason="clinicians only")
        return
    bus = get_bus()
    async with (
        bus.subscribe(consult.QUEUE_CHANNEL) as queue,
        bus.subscribe(consult.clinician_channel(actor.user_id)) as mine,
    ):
        await websocket.accept()

        async def relay(source: asyncio.Queue[dict[str, Any]]) -> None:
            while True:
                await websocket.send_json(await source.get())

        tasks = [asyncio.create_task(relay(queue)), asyncio.create_task(relay(mine))]
        try:
            while True:
                await websocket.receive_text()  # pings; the feed is one way
        except WebSocketDisconnect:
            pass
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
