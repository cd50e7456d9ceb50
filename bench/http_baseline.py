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
import uuid

import httpx

from harness import free_port, fresh_database, run_load, start_server, summarise


async def load(
    port: int, path: str, headers: dict[str, str], seconds: float, connections: int
) -> dict[str, float]:
    """Drive ``connections`` parallel keep-alive connections for ``seconds``; summarise."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode()
    result = await run_load(port, [lambda _i: request] * connections, seconds)
    return {**summarise(result.latencies, result.elapsed), "errors": sum(result.failures.values())}


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
