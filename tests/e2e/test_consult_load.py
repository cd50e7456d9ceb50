"""Load: many concurrent WebSocket clients in many conversations against one server (2 workers).

The issue's size is 1,000 conversations with 2,000 clients (a patient and a doctor each, 100
doctors holding 10 chats each); a plain test run uses 100 conversations to stay quick. Each
side sends ``MEDRUSH_LOAD_MESSAGES`` messages at random moments over ``MEDRUSH_LOAD_SECONDS``;
delivery latency runs from the sender's ``send`` to the other side's receipt. The test fails on
any lost, duplicated or reordered message and prints p50/p95/p99 latency; the latency target
is checked by ``bench/consult_load.py``, never here.

    MEDRUSH_TEST_DATABASE=postgresql://postgres@127.0.0.1:5432/postgres MEDRUSH_LOAD_CONVERSATIONS=1000 \
      MEDRUSH_LOAD_SECONDS=60 pytest -q -s tests/e2e/test_consult_load.py
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import insert

from medrush import accounts
from medrush.accounts import PatientProfile, Role, User
from medrush.consult import Clinician, Consultation, Message
from medrush.kernel import clock, db
from medrush.kernel.ids import new_id
from tests.conftest import free_port

pytestmark = pytest.mark.slow

CONVERSATIONS = int(os.environ.get("MEDRUSH_LOAD_CONVERSATIONS", "100"))
MESSAGES = int(os.environ.get("MEDRUSH_LOAD_MESSAGES", "3"))
SECONDS = float(os.environ.get("MEDRUSH_LOAD_SECONDS", "20"))
CHATS_PER_DOCTOR = 10
WORKERS = os.environ.get("MEDRUSH_LOAD_WORKERS", "2")


async def _world(n: int) -> list[tuple[str, str, str]]:
    """n conversations already active: (consultation id, patient token, doctor token), built in bulk."""
    now = clock.now()
    doctors = [new_id() for _ in range((n + CHATS_PER_DOCTOR - 1) // CHATS_PER_DOCTOR)]
    patients = [new_id() for _ in range(n)]
    profiles = [new_id() for _ in range(n)]
    consultations = [new_id() for _ in range(n)]
    tag = uuid.uuid4().hex[:8]
    async with db.session_scope() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": u,
                    "email": f"load-{tag}-{i}@example.org",
                    "password_hash": "!",
                    "display_name": "Load",
                    "roles": [str(Role.DOCTOR if u in doctors else Role.CUSTOMER)],
                    "locale": "en",
                    "is_active": True,
                }
                for i, u in enumerate(doctors + patients)
            ],
        )
        await session.execute(
            insert(PatientProfile),
            [
                {
                    "id": p,
                    "account_id": u,
                    "name": "Load",
                    "relationship": "self",
                    "birth_date": date(1990, 1, 1),
                    "sex": "female",
                    "pregnant": False,
                    "breastfeeding": False,
                    "allergies": [],
                    "conditions": [],
                    "current_medications": [],
                }
                for p, u in zip(profiles, patients, strict=True)
            ],
        )
        await session.execute(
            insert(Clinician),
            [
                {
                    "user_id": d,
                    "online": False,
                    "modes": ["doctor"],
                    "specialties": ["general"],
                    "languages": ["en"],
                    "capacity": CHATS_PER_DOCTOR,
                    "active_count": CHATS_PER_DOCTOR,
                    "last_assigned_at": now,
                    "updated_at": now,
                }
                for d in doctors
            ],
        )
        await session.execute(
            insert(Consultation),
            [
                {
                    "id": c,
                    "account_id": u,
                    "profile_id": p,
                    "mode": "doctor",
                    "specialty": "general",
                    "language": "en",
                    "symptoms": "load test",
                    "triage_level": "allow",
                    "triage": {},
                    "priority": 2,
                    "status": "active",
                    "clinician_id": doctors[i // CHATS_PER_DOCTOR],
                    "clinician_ids": [doctors[i // CHATS_PER_DOCTOR]],
                    "last_seq": 0,
                    "created_at": now,
                    "assigned_at": now,
                    "retain_until": now.replace(year=now.year + 15),
                }
                for i, (c, u, p) in enumerate(zip(consultations, patients, profiles, strict=True))
            ],
        )
        tokens: dict[uuid.UUID, str] = {}
        users = {
            u.id: u
            for u in (
                await session.scalars(
                    accounts.User.__table__.select()
                    .where(User.id.in_(doctors + patients))
                    .with_only_columns(User)
                )
            ).all()
        }
        for uid in doctors + patients:
            raw, _ = await accounts.issue_token(session, users[uid])
            tokens[uid] = raw
    return [
        (str(c), tokens[patients[i]], tokens[doctors[i // CHATS_PER_DOCTOR]])
        for i, c in enumerate(consultations)
    ]


class Side:
    """One WebSocket client of the load test."""

    def __init__(self, name: str, consultation_id: str, token: str, sent_at: dict[str, float]) -> None:
        self.name = name
        self.consultation_id = consultation_id
        self.token = token
        self.sent_at = sent_at
        self.last = 0
        self.seen: list[str | None] = []
        self.latencies: list[float] = []
        self.violations = 0
        self.ws: Any = None

    async def connect(self, base: str) -> None:
        url = f"{base}/api/v1/consultations/{self.consultation_id}/ws?after=0&token={self.token}"
        for attempt in range(5):
            try:
                self.ws = await websockets.connect(url, open_timeout=60, max_queue=None, ping_interval=None)
                return
            except (OSError, websockets.InvalidStatus, TimeoutError):
                await asyncio.sleep(0.5 * (attempt + 1))
        self.ws = await websockets.connect(url, open_timeout=60, max_queue=None, ping_interval=None)

    async def read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] != "message":
                    continue
                if frame["seq"] != self.last + 1:
                    self.violations += 1
                self.last = frame["seq"]
                client_id = frame["client_id"]
                self.seen.append(client_id)
                if client_id is not None and not client_id.startswith(self.name):
                    self.latencies.append(time.perf_counter() - self.sent_at[client_id])

    async def talk(self, n: int, seconds: float, rng: random.Random) -> None:
        moments = sorted(rng.uniform(0, seconds) for _ in range(n))
        started = time.perf_counter()
        for i, at in enumerate(moments):
            delay = started + at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            client_id = f"{self.name}-{self.consultation_id}-{i}"
            self.sent_at[client_id] = time.perf_counter()
            await self.ws.send(
                json.dumps({"type": "message", "client_id": client_id, "text": f"{self.name} {i}"})
            )


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _server(database: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A server process of our own whose log goes to a file (a full pipe would stall it)."""
    port = free_port()
    env = {
        **os.environ,
        "MEDRUSH_DATABASE_URL": database,
        "MEDRUSH_PORT": str(port),
        # 30 per worker for the issue-size run; under pytest-xdist the conftest's small pool, so that
        # the other worker's tests fit beside it in a default server's 100 connections
        "MEDRUSH_DATABASE_POOL_SIZE": os.environ.get("MEDRUSH_DATABASE_POOL_SIZE", "30"),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", WORKERS],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc, f"ws://127.0.0.1:{port}"
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


async def test_load(database: str, tmp_path: Path) -> None:
    world = await _world(CONVERSATIONS)
    server, base = await asyncio.to_thread(_server, database, tmp_path / "server.log")
    try:
        await _run(world, base)
    finally:
        server.terminate()
        server.wait(timeout=30)
        tail = (tmp_path / "server.log").read_text(errors="replace")[-3000:]
        if tail.strip():
            print("\nserver log tail:\n" + tail)


async def _run(world: list[tuple[str, str, str]], base: str) -> None:
    sent_at: dict[str, float] = {}
    sides: list[tuple[Side, Side]] = [
        (Side("p", cid, pt, sent_at), Side("d", cid, dt, sent_at)) for cid, pt, dt in world
    ]
    everyone = [s for pair in sides for s in pair]
    started = time.perf_counter()
    gate = asyncio.Semaphore(20)

    async def connect(side: Side) -> None:
        async with gate:
            await side.connect(base)

    await asyncio.gather(*(connect(s) for s in everyone))
    connect_seconds = time.perf_counter() - started
    print(f"\nconnected {len(everyone)} clients in {connect_seconds:.1f} s", flush=True)
    readers = [asyncio.create_task(s.read()) for s in everyone]
    rng = random.Random(11)
    await asyncio.gather(*(s.talk(MESSAGES, SECONDS, random.Random(rng.random())) for s in everyone))
    expected = 2 * MESSAGES
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(s.last < expected for s in everyone):
        await asyncio.sleep(0.2)
    for s in everyone:
        await s.ws.close()
    for task in readers:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    latencies = [lat for s in everyone for lat in s.latencies]
    lost = sum(max(0, expected - len(s.seen)) for s in everyone)
    duplicated = sum(len(s.seen) - len(set(s.seen)) for s in everyone)
    violations = sum(s.violations for s in everyone)
    async with db.session_scope() as session:
        from sqlalchemy import func, select

        stored = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.consultation_id.in_([uuid.UUID(c) for c, _, _ in world]))
        )
    report = {
        "conversations": CONVERSATIONS,
        "clients": len(everyone),
        "messages_sent": len(sent_at),
        "messages_stored": int(stored or 0),
        "deliveries_measured": len(latencies),
        "connect_seconds": round(connect_seconds, 1),
        "rate_per_second": round(len(sent_at) / SECONDS, 1),
        "p50_ms": round(_pct(latencies, 0.50), 1),
        "p95_ms": round(_pct(latencies, 0.95), 1),
        "p99_ms": round(_pct(latencies, 0.99), 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "lost": lost,
        "duplicated": duplicated,
        "order_violations": violations,
    }
    print("\nconsult load:", json.dumps(report))
    assert (lost, duplicated, violations) == (0, 0, 0)
    assert report["messages_stored"] == len(sent_at) == CONVERSATIONS * expected
    assert len(latencies) == len(sent_at)
