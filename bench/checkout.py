"""Checkout throughput: checkouts/s and p50/p99 latency of `POST /api/v1/orders` at 50 concurrent
clients against `medrush serve --workers 2`, beside the PostgreSQL-only limit: the same checkout
transactions (idempotency key, quote, safety check, order, payment, stock hold) run by as many
processes with no HTTP in front.

    .venv/bin/python bench/checkout.py [--seconds 15] [--clients 50] [--workers 2] [--pharmacies 20]
        [--hot] [--only http|db] [--database postgresql://127.0.0.1:5432/test]

The world: ``--pharmacies`` open, approved pharmacies in Shanghai, each stocking 8 OTC products of
the shipped catalog; every client is a customer with its own bearer token who orders one or two
products from one pharmacy (a delivery point 1 km away), one checkout after another on a
keep-alive connection, each with a fresh ``Idempotency-Key`` (having read and confirmed any
safety warnings, as the shop page asks). ``--hot`` sends everyone to one
product of one pharmacy (a single stock row). Without ``--database`` the embedded PostgreSQL is
used (under ``var/bench-home``). The load generator is the raw asyncio client of
``bench/harness.py`` and shares the machine's cores with the server and the database.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from sqlalchemy import select, text

from harness import (
    cpu_seconds,
    cpu_spent,
    free_port,
    fresh_database,
    postgres_processes,
    process_tree,
    run_load,
    start_server,
    summarise,
)

PRODUCTS_PER_PHARMACY = 8
CENTRE = (31.2304, 121.4737)
TARGET_RATE, TARGET_P99_MS = 300.0, 150.0


def asyncpg_url(url: str) -> str:
    """The libpq URL in the form SQLAlchemy's asyncpg dialect expects."""
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


@dataclass(frozen=True)
class Client:
    """One simulated customer: who they are and what they order where."""

    user_id: str
    token: str
    pharmacy_id: str
    items: list[dict[str, Any]]
    lat: float
    lng: float

    def body(self) -> dict[str, Any]:
        """The checkout request body."""
        return {
            "pharmacy_id": self.pharmacy_id,
            "items": self.items,
            "lat": self.lat,
            "lng": self.lng,
            "confirm_warnings": True,
        }


async def build_world(url: str, clients: int, pharmacy_count: int, hot: bool) -> list[Client]:
    """Catalog, pharmacies with deep stock, and ``clients`` customers with tokens."""
    from medrush import accounts, catalog, pharmacies
    from medrush.accounts import SYSTEM, Actor, Role, TokenKind
    from medrush.catalog.models import Medicine
    from medrush.kernel import db

    db.configure(asyncpg_url(url))
    rng = random.Random(7)
    operator = Actor(user_id=uuid.uuid4(), roles=frozenset({"operator"}))
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
    async with db.session_scope() as session:
        otc = sorted(
            (
                await session.scalars(select(Medicine.id).where(Medicine.rx_class.in_(("otc_a", "otc_b"))))
            ).all()
        )
    shops: list[tuple[str, float, float, list[str]]] = []
    for n in range(1 if hot else pharmacy_count):
        lat = CENTRE[0] + (n // 5) * 0.02
        lng = CENTRE[1] + (n % 5) * 0.02
        products = [otc[0]] if hot else rng.sample(otc, PRODUCTS_PER_PHARMACY)
        async with db.session_scope() as session:
            shop = await pharmacies.apply_for_listing(
                session,
                name=f"Bench Pharmacy {n + 1}",
                licence_number=uuid.uuid4().hex,
                lat=lat,
                lng=lng,
                address=f"{n + 1} Bench Road",
                city="Shanghai",
                service_radius_m=5000,
                always_open=True,
                pharmacist_on_duty="Li Wei",
            )
            await pharmacies.approve_pharmacy(session, operator, shop.id)
            for medicine_id in products:
                await pharmacies.set_stock(
                    session, SYSTEM, shop.id, medicine_id, quantity=10_000_000, price=rng.randint(500, 4000)
                )
        shops.append((str(shop.id), lat, lng, products))
    result = []
    for i in range(clients):
        async with db.session_scope() as session:
            user = await accounts.create_user(
                session,
                email=f"bench-{uuid.uuid4().hex[:12]}@example.org",
                password=uuid.uuid4().hex,
                display_name=f"Bench Customer {i + 1}",
                roles=(Role.CUSTOMER,),
            )
            token, _ = await accounts.issue_token(session, user, TokenKind.API)
        shop_id, lat, lng, products = shops[i % len(shops)]
        picked = products[:1] if hot else rng.sample(products, rng.choice((1, 1, 2)))
        items = [{"medicine_id": m, "quantity": rng.choice((1, 1, 2))} for m in picked]
        result.append(Client(str(user.id), token, shop_id, items, lat + 0.009, lng))
    await db.dispose()
    return result


def http_makers(clients: list[Client], run: str) -> list[Any]:
    """One request maker per client: its checkout with a new Idempotency-Key each time."""

    def maker(client: Client) -> Any:
        payload = json.dumps(client.body()).encode()
        head = (
            "POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {client.token}\r\nContent-Length: {len(payload)}\r\n"
        )

        def make(i: int) -> bytes:
            return f"{head}Idempotency-Key: {run}-{client.user_id}-{i}\r\n\r\n".encode() + payload

        return make

    return [maker(c) for c in clients]


def http_load(
    port: int, clients: list[Client], seconds: float, rate: float | None, per_connection: int, server: int
) -> dict[str, Any]:
    """In a fresh child process (a small heap, no collector pauses): one load run, summarised, with
    the CPU time the web processes, PostgreSQL and this client spent per checkout."""
    gc.disable()
    makers = http_makers(clients, f"http{rate}-{per_connection}")
    groups = {"web": process_tree(server), "postgres": postgres_processes(), "client": {os.getpid()}}
    before: dict[str, dict[int, float]] = {}

    def start() -> None:
        before.update({name: cpu_seconds(pids) for name, pids in groups.items()})

    load = asyncio.run(
        run_load(
            port,
            makers,
            seconds,
            expect=b"201",
            rate=rate,
            warmup=3.0,
            per_connection=per_connection,
            on_start=start,
        )
    )
    done = max(1, len(load.latencies))
    groups["postgres"] = postgres_processes()  # with the sessions opened during the run
    cpu = {name: cpu_spent(before[name], cpu_seconds(pids)) * 1000 / done for name, pids in groups.items()}
    return {**summarise(load.latencies, load.elapsed), "failures": load.failures, "cpu_ms": cpu}


def db_only_process(url: str, clients: list[Client], seconds: float, start_at: float) -> dict[str, Any]:
    """In a child process: the checkout transactions of the API handler, with no HTTP, for ``seconds``."""
    os.environ["MEDRUSH_DATABASE_URL"] = url
    os.environ["MEDRUSH_LOG_LEVEL"] = "warning"

    async def main() -> dict[str, Any]:
        from medrush import orders
        from medrush.accounts import Actor
        from medrush.catalog import rebuild_index
        from medrush.kernel import db
        from medrush.worker import Background

        db.configure(asyncpg_url(url))
        background = Background()
        await background.start()
        async with db.session_scope() as session:
            await rebuild_index(session)
        gc.collect()
        gc.freeze()  # as the web app does after start-up
        latencies: list[float] = []
        failures: dict[str, int] = {}

        async def one(client: Client, actor: Actor, key: str) -> None:
            body = client.body()
            async with db.session_scope() as session:

                async def produce() -> tuple[int, dict[str, Any]]:
                    placed = await orders.checkout(
                        session,
                        actor,
                        pharmacy_id=uuid.UUID(client.pharmacy_id),
                        items=[(i["medicine_id"], i["quantity"]) for i in client.items],
                        lat=client.lat,
                        lng=client.lng,
                        confirm_warnings=True,
                    )
                    return 201, placed.to_dict()

                scope = f"{actor.user_id}:POST:/api/v1/orders"
                await orders.run_idempotent(session, scope=scope, key=key, body=body, produce=produce)

        async def loop(client: Client, stop_at: float, record: bool) -> None:
            actor = Actor(user_id=uuid.UUID(client.user_id), roles=frozenset({"customer"}))
            i = 0
            while time.perf_counter() < stop_at:
                i += 1
                started = time.perf_counter()
                try:
                    await one(client, actor, f"db-{record}-{client.user_id}-{i}")
                except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
                    failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
                    continue
                if record:
                    latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(loop(c, time.perf_counter() + 1.0, False) for c in clients[:4]))
        await asyncio.sleep(max(0.0, start_at - time.time()))
        started = time.perf_counter()
        await asyncio.gather(*(loop(c, started + seconds, True) for c in clients))
        elapsed = time.perf_counter() - started
        await background.stop()
        await db.dispose()
        return {"latencies": latencies, "elapsed": elapsed, "failures": failures}

    return asyncio.run(main())


def run_db_only(url: str, clients: list[Client], processes: int, seconds: float) -> dict[str, Any]:
    """The PostgreSQL-only limit: ``processes`` processes sharing the clients, started together."""
    shares = [clients[p::processes] for p in range(processes)]
    start_at = time.time() + 10.0  # every process has booted and warmed up by then
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(db_only_process, url, share, seconds, start_at) for share in shares]
        parts = [f.result() for f in futures]
    latencies = [x for part in parts for x in part["latencies"]]
    failures: dict[str, int] = {}
    for part in parts:
        for name, count in part["failures"].items():
            failures[name] = failures.get(name, 0) + count
    return {**summarise(latencies, max(p["elapsed"] for p in parts)), "failures": failures}


async def vacuum(url: str) -> None:
    """VACUUM ANALYZE the bench database, so that every run starts from the same kind of state
    (autovacuum would get there too, but on its own schedule)."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def count_orders(url: str) -> int:
    """Orders stored in the bench database."""
    from medrush.kernel import db

    db.configure(asyncpg_url(url))
    async with db.session_scope() as session:
        count = int(await session.scalar(text("SELECT count(*) FROM orders")) or 0)
    await db.dispose()
    return count


def main() -> None:
    """Build the world, run the HTTP and the database-only loads, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="web worker processes (and db-only processes)")
    parser.add_argument("--pharmacies", type=int, default=20)
    parser.add_argument("--hot", action="store_true", help="everyone buys one product at one pharmacy")
    parser.add_argument(
        "--rate", type=float, default=TARGET_RATE, help="checkouts/s offered in the paced run"
    )
    parser.add_argument(
        "--requests-per-connection",
        type=int,
        default=10,
        help="in the last run, a client replaces its connection after this many checkouts",
    )
    parser.add_argument("--only", choices=("http", "db"))
    parser.add_argument("--database", help="postgresql:// URL of a server to create the bench database on")
    args = parser.parse_args()
    url = fresh_database(args.database)
    clients = asyncio.run(build_world(url, args.clients, args.pharmacies, args.hot))
    rows: list[tuple[str, dict[str, Any]]] = []
    paced: dict[str, Any] | None = None
    if args.only in (None, "http"):
        port = free_port()
        proc = start_server(port, args.workers, url)
        try:
            per = args.requests_per_connection
            runs = [
                ("as fast as answered", None, 0),
                (f"paced at {args.rate:.0f}/s", args.rate, 0),
                (f"paced at {args.rate:.0f}/s, a new connection every {per} checkouts", args.rate, per),
            ]
            for label, rate, per_connection in runs:
                asyncio.run(vacuum(url))
                with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                    result = pool.submit(
                        http_load, port, clients, args.seconds, rate, per_connection, proc.pid
                    ).result()
                rows.append((f"HTTP, {args.workers} web workers, {label}", result))
                paced = result if rate and not per_connection else paced
        finally:
            proc.terminate()
            proc.wait()
    if args.only in (None, "db"):
        asyncio.run(vacuum(url))
        rows.append(
            (
                f"PostgreSQL only, {args.workers} processes",
                run_db_only(url, clients, args.workers, args.seconds),
            )
        )
    stored = asyncio.run(count_orders(url))
    load1, load5, _ = os.getloadavg()
    world = (
        "one hot stock row"
        if args.hot
        else f"{args.pharmacies} pharmacies x {PRODUCTS_PER_PHARMACY} products"
    )
    print(
        f"\nmachine: {os.cpu_count()} CPUs shared by client, server and database; load average {load1:.1f} "
        f"(5 min {load5:.1f}); {args.clients} clients, {args.seconds:.0f} s per row; "
        f"{world}; "
        f"database: {'external' if args.database else 'embedded'}\n"
    )
    print("| run | checkouts/s | p50 ms | p99 ms | failures | vs PostgreSQL only |")
    print("|---|---:|---:|---:|---:|---:|")
    limit = rows[-1][1]["rps"] if args.only in (None, "db") else 0.0
    for label, r in rows:
        ratio = f"{r['rps'] / limit:.2f}x" if limit else "-"
        failed = sum(r["failures"].values())
        print(f"| {label} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {failed} | {ratio} |")
        if "cpu_ms" in r:
            cpu = ", ".join(f"{name} {ms:.2f}" for name, ms in r["cpu_ms"].items())
            print(f"|   CPU ms per checkout: {cpu} |||||")
        for reason, count in sorted(r["failures"].items()):
            print(f"|   {count} x {reason} |||||")
    if paced is not None:
        met = paced["rps"] >= 0.99 * args.rate and paced["p99_ms"] <= TARGET_P99_MS
        print(
            f"\ntarget (HTTP, {args.clients} clients offering {args.rate:.0f} checkouts/s): "
            f">= {TARGET_RATE:.0f}/s served with p99 <= {TARGET_P99_MS:.0f} ms: {'met' if met else 'missed'}"
        )
    print(f"orders stored: {stored} (warm-up checkouts included)")


if __name__ == "__main__":
    main()
