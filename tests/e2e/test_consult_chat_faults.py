"""Chat faults with real WebSocket clients: disconnects, a server killed and restarted, two servers.

Each client checks on every frame that sequence numbers arrive as 1, 2, 3 ... (no gap, no
duplicate, order kept) across reconnections, resumes with ``?after=<last seq>`` and resends
unacknowledged messages with their original ``client_id``. At the end both sides must hold the
same conversation and every message sent exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from medrush import consult
from medrush.kernel import db
from tests.conftest import free_port
from tests.factories.accounts import Someone
from tests.integration.prescriptions.world import doctor, patient_with_profile

ROOT = Path(__file__).resolve().parents[2]


class ChatClient:
    """A chat participant that survives disconnects without losing or repeating a message."""

    def __init__(self, name: str, base: str, consultation_id: str, token: str) -> None:
        self.name = name
        self.base = base.replace("http://", "ws://")
        self.consultation_id = consultation_id
        self.token = token
        self.last = 0
        self.log: list[dict[str, Any]] = []
        self.pending: dict[str, str] = {}
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.violations: list[str] = []

    async def connect(self, base: str | None = None) -> None:
        """(Re)connect, resuming after the last message seen, and resend what was not acknowledged."""
        if base is not None:
            self.base = base.replace("http://", "ws://")
        url = (
            f"{self.base}/api/v1/consultations/{self.consultation_id}/ws?after={self.last}&token={self.token}"
        )
        self.ws = await websockets.connect(url, open_timeout=10)
        self.reader = asyncio.create_task(self._read(self.ws))
        for client_id, body in list(self.pending.items()):
            await self.ws.send(json.dumps({"type": "message", "client_id": client_id, "text": body}))

    async def _read(self, ws: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "message":
                    if frame["seq"] != self.last + 1:
                        self.violations.append(f"{self.name}: got seq {frame['seq']} after {self.last}")
                    self.last = max(self.last, frame["seq"])
                    self.log.append(frame)
                elif frame["type"] == "ack":
                    self.pending.pop(frame["client_id"], None)

    async def send(self, client_id: str, body: str) -> None:
        """Send a message (kept as pending until acknowledged); a dead socket is not an error."""
        self.pending[client_id] = body
        with contextlib.suppress(websockets.ConnectionClosed, OSError):
            await self.ws.send(json.dumps({"type": "message", "client_id": client_id, "text": body}))

    async def drop(self) -> None:
        """Lose the connection abruptly (no close handshake)."""
        self.ws.transport.abort() if hasattr(self.ws, "transport") else None
        with contextlib.suppress(Exception):
            await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await self.reader

    async def close(self) -> None:
        """Close normally."""
        with contextlib.suppress(Exception):
            await self.ws.close()
        if self.reader is not None:
            with contextlib.suppress(Exception):
                await self.reader


async def _conversation() -> tuple[Someone, Someone, str]:
    patient, profile = await patient_with_profile()
    doc = await doctor()
    async with db.session_scope() as session:
        c = await consult.open_consultation(
            session, patient.actor, profile_id=profile.id, mode="doctor", symptoms="itchy rash on both arms"
        )
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)
    return patient, doc, str(c.id)


async def _stored(consultation_id: str) -> list[tuple[int, str | None, str]]:
    async with db.session_scope() as session:
        rows = await consult.messages_since(session, uuid.UUID(consultation_id), 0)
    return [(m.seq, m.client_id, m.text) for m in rows]


async def _settle(*clients: ChatClient, total: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(c.last >= total and not c.pending for c in clients):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(
        f"not settled: {[(c.name, c.last, sorted(c.pending)) for c in clients]} (want {total})"
    )


def _check(clients: list[ChatClient], stored: list[tuple[int, str | None, str]], sent: list[str]) -> None:
    for c in clients:
        assert c.violations == []
        assert [f["seq"] for f in c.log] == list(range(1, len(stored) + 1))
        assert [(f["seq"], f["client_id"], f["text"]) for f in c.log] == stored
    client_ids = [cid for _, cid, _ in stored if cid is not None]
    assert sorted(client_ids) == sorted(sent)
    assert len(client_ids) == len(set(client_ids))
    for prefix in ("p-", "d-"):  # each sender's messages keep their order
        own = [cid for cid in client_ids if cid.startswith(prefix)]
        assert own == sorted(own, key=lambda x: int(x.split("-")[1]))


async def test_disconnect_and_reconnect_loses_nothing(live_server: str) -> None:
    patient, doc, cid = await _conversation()
    p = ChatClient("patient", live_server, cid, patient.token)
    d = ChatClient("doctor", live_server, cid, doc.token)
    await p.connect()
    await d.connect()
    sent: list[str] = []
    for n in range(30):
        if n % 2 == 0:
            await p.send(f"p-{n}", f"patient says {n}")
            sent.append(f"p-{n}")
        else:
            await d.send(f"d-{n}", f"doctor says {n}")
            sent.append(f"d-{n}")
        if n == 10:
            await p.drop()  # mid-conversation; the next messages go nowhere until reconnect
        if n == 14:
            await p.connect()
        if n == 20:
            await d.drop()
            await d.connect()
    await _settle(p, d, total=2 + 30)
    await p.close()
    await d.close()
    _check([p, d], await _stored(cid), sent)


def _start_server(database: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MEDRUSH_DATABASE_URL": database, "MEDRUSH_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


@pytest.mark.slow
async def test_server_killed_and_restarted_loses_nothing(live_server: str, database: str) -> None:
    patient, doc, cid = await _conversation()
    port = free_port()
    server = await asyncio.to_thread(_start_server, database, port)
    base = f"http://127.0.0.1:{port}"
    try:
        p = ChatClient("patient", base, cid, patient.token)
        d = ChatClient("doctor", live_server, cid, doc.token)  # the other side on another process
        await p.connect()
        await d.connect()
        sent: list[str] = []
        for n in range(24):
            who, prefix = (p, "p") if n % 2 == 0 else (d, "d")
            await who.send(f"{prefix}-{n}", f"{prefix} {n}")
            sent.append(f"{prefix}-{n}")
            if n == 9:
                server.send_signal(signal.SIGKILL)  # the patient's server dies mid-conversation
                await asyncio.to_thread(server.wait)
            if n == 15:
                server = await asyncio.to_thread(_start_server, database, port)
                await p.drop()
                await p.connect()
        await _settle(p, d, total=2 + 24, timeout=30)
        await p.close()
        await d.close()
        _check([p, d], await _stored(cid), sent)
    finally:
        server.kill()
        server.wait()


async def test_socket_refusals_are_clear_and_store_nothing(live_server: str) -> None:
    import base64

    patient, doc, cid = await _conversation()
    url = f"{live_server.replace('http://', 'ws://')}/api/v1/consultations/{cid}/ws?after=2&token={patient.token}"

    async def frames_until(ws: Any, kind: str) -> dict[str, Any]:
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if frame["type"] == kind:
                return frame

    async with websockets.connect(url, max_size=None) as ws:
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
        await ws.send(
            json.dumps({"type": "photo", "client_id": "ok", "data": base64.b64encode(png).decode()})
        )
        assert (await frames_until(ws, "ack"))["seq"] == 3
        bad = [
            (
                {
                    "type": "photo",
                    "client_id": "gif",
                    "data": base64.b64encode(b"GIF89a" + b"0" * 20).decode(),
                },
                "attachment_type",
            ),
            (
                {
                    "type": "photo",
                    "client_id": "big",
                    "data": base64.b64encode(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)).decode(),
                },
                "attachment_too_large",
            ),
            ({"type": "photo", "client_id": "b64", "data": "not base64!"}, "bad_base64"),
            ({"type": "message", "client_id": "empty", "text": "   "}, "bad_text"),
            ({"type": "message", "client_id": "nul", "text": "a\u0000b"}, "invalid_text"),
            ({"type": "dance"}, "bad_frame"),
        ]
        for frame, code in bad:
            await ws.send(json.dumps(frame))
            assert (await frames_until(ws, "error"))["code"] == code
        await ws.send("not json")
        assert (await frames_until(ws, "error"))["code"] == "bad_frame"
    async with db.session_scope() as session:
        await consult.close_consultation(session, doc.actor, uuid.UUID(cid))
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "message", "client_id": "late", "text": "are you there?"}))
        assert (await frames_until(ws, "error"))["code"] == "consultation_closed"
    stored = await _stored(cid)
    assert [s[1] for s in stored] == [None, None, "ok", None]
    stranger = await doctor()
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(url.replace(patient.token, stranger.token)) as ws:
            await ws.recv()
