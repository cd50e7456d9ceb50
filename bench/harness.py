"""What the HTTP benchmarks share: a fresh bench database, `medrush serve` in a child process, and a
small keep-alive HTTP/1.1 load generator on raw asyncio streams.

The load generator is deliberately thin (no client library) so that the figures measure the
server rather than the client: client and server share the machine's cores.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402 - the repository root is on the path only now

__all__ = [
    "ROOT",
    "Load",
    "cpu_seconds",
    "cpu_spent",
    "free_port",
    "fresh_database",
    "postgres_processes",
    "process_tree",
    "run_load",
    "start_server",
    "summarise",
]

# request bytes for the i-th request of a connection
RequestMaker = Callable[[int], bytes]


class Load:
    """Latencies and failures of one load run."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}
        self.elapsed = 0.0

    def fail(self, status_line: bytes, body: bytes) -> None:
        """Count a response that was not the expected status, by status and the first bytes."""
        label = status_line.decode(errors="replace").strip() + " " + body[:120].decode(errors="replace")
        self.failures[label] = self.failures.get(label, 0) + 1


async def _connection(
    port: int,
    make: RequestMaker,
    expect: bytes,
    stop_at: float,
    load: Load | None,
    interval: float | None = None,
    phase: float = 0.0,
    per_connection: int = 0,
) -> None:
    """One client until ``stop_at``: requests back to back, or one every ``interval`` seconds on a
    fixed schedule, on a keep-alive connection that is replaced after ``per_connection`` requests
    (0: never) and whenever the server answers ``Connection: close``. A paced request's latency
    counts from when it was due, so a server that falls behind is not excused by the client
    waiting for it (no coordinated omission); a reconnection counts in the latency of the request
    that needed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    closed = False
    due = time.perf_counter() + phase
    try:
        while time.perf_counter() < stop_at:
            request = make(i)
            i += 1
            if interval is not None:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                started = due
                due += interval
            else:
                started = time.perf_counter()
            # a new connection every per_connection requests, or when the server ended the keep-alive
            if closed or (per_connection and i > 1 and (i - 1) % per_connection == 0):
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            closed = False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value.strip())
                elif name == b"connection" and value.strip().lower() == b"close":
                    closed = True
            body = await reader.readexactly(length)
            if load is None:
                continue
            load.latencies.append(time.perf_counter() - started)
            if not status_line.startswith(b"HTTP/1.1 " + expect):
                load.fail(status_line, body)
    finally:
        writer.close()


async def run_load(
    port: int,
    makers: list[RequestMaker],
    seconds: float,
    *,
    expect: bytes = b"200",
    warmup: float = 1.0,
    rate: float | None = None,
    per_connection: int = 0,
    on_start: Callable[[], None] | None = None,
) -> Load:
    """One keep-alive connection per request maker, all in parallel for ``seconds`` after a warm-up:
    as fast as the server answers (closed loop), or at ``rate`` requests/s in all, spread evenly."""
    await asyncio.gather(  # every connection, so that pools and database sessions are warm too
        *(_connection(port, make, expect, time.perf_counter() + warmup, None) for make in makers)
    )
    if on_start is not None:
        on_start()
    load = Load()
    stop_at = time.perf_counter() + seconds
    started = time.perf_counter()
    interval = len(makers) / rate if rate else None
    await asyncio.gather(
        *(
            _connection(
                port,
                make,
                expect,
                stop_at,
                load,
                interval,
                (interval or 0.0) * n / len(makers),
                per_connection,
            )
            for n, make in enumerate(makers)
        )
    )
    load.elapsed = time.perf_counter() - started
    return load


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """CPU time (user + system) used so far by each of these processes that still runs."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two ``cpu_seconds`` readings (a process that started in between
    counts whole; one that ended in between is missed)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


def process_tree(root: int) -> set[int]:
    """``root`` and all its descendants now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def postgres_processes() -> set[int]:
    """Every PostgreSQL server process on the machine (embedded or external)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def summarise(latencies: list[float], elapsed: float) -> dict[str, float]:
    """Rate, p50 and p99 (milliseconds) of a list of latencies in seconds."""
    ordered = sorted(latencies)
    if not ordered:
        return {"rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0, "requests": 0}
    return {
        "rps": len(ordered) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
        "requests": len(ordered),
    }


def start_server(
    port: int, workers: int, database: str, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`medrush serve` in a child process, healthy or an exception."""
    child_env = {
        **os.environ,
        "MEDRUSH_DATABASE_URL": database,
        "MEDRUSH_LOG_LEVEL": "warning",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", str(workers)],
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                time.sleep(1.5)  # let every worker finish its start-up
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def fresh_database(server: str | None) -> str:
    """A new database on ``server`` (or the embedded PostgreSQL under var/bench-home), migrated."""
    from tests.conftest import _admin, _migrate, _with_database

    if server is None:
        os.environ["MEDRUSH_HOME"] = str(ROOT / "var" / "bench-home")
        from medrush.kernel.embedded import embedded_postgres

        server = embedded_postgres(ROOT / "var" / "bench-home").libpq_url("postgres")
    name = f"medrush_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    url = _with_database(server, name)
    asyncio.run(_migrate(url))
    return url
