"""HTTP baseline: requests/s and p50/p99 latency of /healthz and an authenticated profile read,
served by `medrush serve` with 1 and then 2 worker processes, side by side.

    .venv/bin/python bench/http_baseline.py [--seconds 10] [--connections 32] [--database URL]

The load generator is a small keep-alive HTTP/1.1 client on raw asyncio streams (one process),
so the figures measure the server rather than a heavy client library. Client and server share
the machine; the report prints the CPU count so runs can be compared honestly.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402 - the repository root is on the path only now


async def one_connection(port: int, request: bytes, stop_at: float, latencies: list[float]) -> int:
    """Send ``request`` back to back on one keep-alive connection until ``stop_at``; count errors."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_line.startswith(b"HTTP/1.1 200"):
                errors += 1
    finally:
        writer.close()
    return errors


async def load(
    port: int, path: str, headers: dict[str, str], seconds: float, connections: int
) -> dict[str, float]:
    """Drive ``connections`` parallel keep-alive connections for ``seconds``; summarise."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode()
    latencies: list[float] = []
    await asyncio.gather(*(one_connection(port, request, time.perf_counter() + 1.0, []) for _ in range(4)))
    stop_at = time.perf_counter() + seconds
    started = time.perf_counter()
    errors = sum(
        await asyncio.gather(*(one_connection(port, request, stop_at, latencies) for _ in range(connections)))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


def start_server(port: int, workers: int, database: str) -> subprocess.Popen[bytes]:
    """`medrush serve` in a child process, healthy or an exception."""
    env = {**os.environ, "MEDRUSH_DATABASE_URL": database, "MEDRUSH_LOG_LEVEL": "warning"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                time.sleep(1.0)  # let every worker finish its start-up
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def prepare(database: str) -> tuple[str, str]:
    """Create a user with one profile through the API; return its token and profile id."""
    port = free_port()
    proc = start_server(port, 1, database)
    try:
        base = f"http://127.0.0.1:{port}"
        email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
        httpx.post(
            f"{base}/api/v1/accounts", json={"email": email, "password": "bench-pass", "display_name": "B"}
        )
        token = httpx.post(
            f"{base}/api/v1/auth/token", json={"email": email, "password": "bench-pass"}
        ).json()["token"]
        profile = httpx.post(
            f"{base}/api/v1/profiles",
            json={"name": "Bench", "birth_date": "1990-01-01", "sex": "female", "allergies": ["penicillin"]},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        return token, profile["id"]
    finally:
        proc.terminate()
        proc.wait()


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


def main() -> None:
    """Run both targets with 1 and 2 workers and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", help="postgresql:// URL of a server to create the bench database on")
    args = parser.parse_args()
    database = fresh_database(args.database)
    token, profile_id = prepare(database)
    targets = [
        ("GET /healthz", "/healthz", {}),
        (
            "GET /api/v1/profiles/{id} (bearer)",
            f"/api/v1/profiles/{profile_id}",
            {"Authorization": f"Bearer {token}"},
        ),
    ]
    results: dict[tuple[str, int], dict[str, float]] = {}
    for workers in (1, 2):
        port = free_port()
        proc = start_server(port, workers, database)
        try:
            for label, path, headers in targets:
                results[(label, workers)] = asyncio.run(
                    load(port, path, headers, args.seconds, args.connections)
                )
        finally:
            proc.terminate()
            proc.wait()
    print(
        f"\nmachine: {os.cpu_count()} CPUs (client and server share them); {args.connections} connections, "
        f"{args.seconds:.0f} s per cell; database: {'external' if args.database else 'embedded'}\n"
    )
    print("| endpoint | workers | req/s | p50 ms | p99 ms | errors | req/s vs 1 worker |")
    print("|---|---|---|---|---|---|---|")
    for label, _path, _headers in targets:
        base = results[(label, 1)]["rps"]
        for workers in (1, 2):
            r = results[(label, workers)]
            print(
                f"| {label} | {workers} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                f"{int(r['errors'])} | {r['rps'] / base:.2f}x |"
            )


if __name__ == "__main__":
    main()
