"""End-to-end search benchmark: GET /api/v1/search on a national-size catalog and city-size stock.

    .venv/bin/python bench/search_http.py [--products 100000] [--pharmacies 2000] [--seconds 10]
                                          [--connections 8] [--database URL]

1. Creates a fresh database (embedded PostgreSQL under var/bench-home, or on ``--database``),
   loads the shipped catalog with ``catalog.load_shipped_catalog``, and COPYs in synthetic products
   (``bench/search.py``'s generator: the real products cloned under numbered names) up to
   ``--products``, then ``--pharmacies`` approved, always-open pharmacies spread over Shanghai
   (uniform over a 20 km disc around 31.23N 121.47E, 3 km service radius) with their stock: each
   stocks 30-70% of the shipped products (the common medicines) and 200-600 synthetic ones.
2. In this process, on the same products: the search function's latency (``SearchIndex.search``),
   the offers lookup it is followed by (``orders.search_offers``, and its ``pharmacies.offers_near``
   part) for the same hits, and PostgreSQL full-text search (``bench/search.py``'s).
3. Starts ``medrush serve`` with 1 and then 2 workers, waits until every process has built its
   index (CPU idle), reports their resident memory from /proc, and drives the endpoint with the
   queries of ``data/catalog/relevance.yaml``, with a location (one of 25 customer points in the
   city) and without, over 1 keep-alive connection (latency alone) and over ``--connections``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_baseline import free_port, fresh_database  # noqa: E402
from medrush.catalog.products import Product, load_product_files  # noqa: E402
from medrush.catalog.search import Vocabulary  # noqa: E402
from search import build, percentiles, postgres_fts, synthetic  # noqa: E402

CATALOG = ROOT / "data" / "catalog"
CENTRE = (31.23, 121.47)  # Shanghai, People's Square
CITY_RADIUS_M = 20_000
CUSTOMER_RADIUS_M = 15_000
SERVICE_RADIUS_M = 3_000
M_PER_DEG = 111_320.0


def point_in_disc(rng: random.Random, radius_m: float) -> tuple[float, float]:
    """A point uniformly distributed over a disc of ``radius_m`` around the centre."""
    r = radius_m * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    lat = CENTRE[0] + r * math.sin(a) / M_PER_DEG
    lng = CENTRE[1] + r * math.cos(a) / (M_PER_DEG * math.cos(math.radians(CENTRE[0])))
    return round(lat, 6), round(lng, 6)


def medicine_record(p: Product) -> tuple[Any, ...]:
    """A ``medicines`` row for COPY (the columns ``catalog.load_shipped_catalog`` writes)."""
    return (
        p.id,
        p.name_en,
        p.name_zh,
        p.name_ko,
        p.generic_name_en,
        p.atc,
        p.dosage_form,
        p.category,
        p.rx_class,
        True,
        json.dumps(p.to_dict(), ensure_ascii=False),
    )


async def populate(
    database: str, shipped: list[Product], extra: list[Product], pharmacies: int, seed: int
) -> dict[str, int]:
    """Load the catalog, the synthetic products, the pharmacies and their stock; counts per table."""
    import asyncpg

    from medrush import catalog
    from medrush.kernel import db

    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
    await db.dispose()
    rng = random.Random(seed)
    conn = await asyncpg.connect(database)
    try:
        columns = [
            "id",
            "name_en",
            "name_zh",
            "name_ko",
            "generic_name_en",
            "atc",
            "dosage_form",
            "category",
            "rx_class",
            "active",
            "data",
        ]
        await conn.copy_records_to_table(
            "medicines", records=[medicine_record(p) for p in extra], columns=columns
        )
        # the load's catalog.product_changed event would make a server rebuild its index a second
        # time once started (after the first build already saw every product): mark it delivered
        await conn.execute("UPDATE outbox_events SET delivered_at = now() WHERE delivered_at IS NULL")
        rows: list[tuple[Any, ...]] = []
        for i in range(pharmacies):
            lat, lng = point_in_disc(rng, CITY_RADIUS_M)
            rows.append(
                (
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    f"Bench pharmacy {i:04d}",
                    f"BENCH-{seed}-{i:05d}",
                    "approved",
                    lat,
                    lng,
                    f"{i} Bench Road, Shanghai",
                    "Shanghai",
                    "Asia/Shanghai",
                    "CNY",
                    True,
                    "[]",
                    "[]",
                    "Bench Pharmacist",
                    SERVICE_RADIUS_M,
                    [],
                    5,
                    "bench/search_http.py",
                    0,
                    0,
                    0,
                    0.0,
                )
            )
        await conn.copy_records_to_table(
            "pharmacies",
            records=rows,
            columns=[
                "id",
                "name",
                "licence_number",
                "status",
                "lat",
                "lng",
                "address",
                "city",
                "timezone",
                "currency",
                "always_open",
                "categories",
                "promotions",
                "pharmacist_on_duty",
                "service_radius_m",
                "service_cells",
                "picking_minutes",
                "source",
                "orders_offered",
                "orders_accepted",
                "orders_rejected",
                "accept_seconds_total",
            ],
        )
        shipped_ids = [p.id for p in shipped]
        extra_ids = [p.id for p in extra]
        stock = 0
        for row in rows:
            chosen = rng.sample(shipped_ids, int(len(shipped_ids) * rng.uniform(0.3, 0.7)))
            if extra_ids:
                chosen += rng.sample(extra_ids, min(len(extra_ids), rng.randint(200, 600)))
            records = [(row[0], m, rng.randint(300, 9000), rng.randint(3, 60), 0) for m in chosen]
            await conn.copy_records_to_table(
                "pharmacy_stock",
                records=records,
                columns=["pharmacy_id", "medicine_id", "price", "quantity", "reserved"],
            )
            stock += len(records)
        await conn.execute("ANALYZE medicines")
        await conn.execute("ANALYZE pharmacies")
        await conn.execute("ANALYZE pharmacy_stock")
        return {"medicines": len(shipped) + len(extra), "pharmacies": len(rows), "stock_rows": stock}
    finally:
        await conn.close()


def function_latency(index: Any, queries: list[str], rounds: int) -> list[float]:
    """Wall-clock milliseconds of ``index.search(query, limit=10)`` over the queries."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            index.search(query, limit=10)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


BOX_SQL = """
SELECT p.*, s.* FROM pharmacies p JOIN pharmacy_stock s ON s.pharmacy_id = p.id
WHERE p.status = 'approved' AND p.lat BETWEEN $1::float8 - 0.5 AND $1::float8 + 0.5
  AND p.lng BETWEEN $2::float8 - 1.0 AND $2::float8 + 1.0
  AND s.medicine_id = ANY($3::text[]) AND s.quantity - s.reserved > 0
"""  # the statement pharmacies.offers_near sends (a 0.5 degree box, then areas checked in Python)
# the same with a box just wide enough for a 5 km service area (0.05 degree of latitude is 5.6 km,
# 0.06 degree of longitude 5.7 km at 31N): what a tighter filter in SQL would leave to fetch
TIGHT_SQL = BOX_SQL.replace("0.5", "0.05").replace("1.0", "0.06")


async def offers_latency(
    database: str, index: Any, cases: list[tuple[str, tuple[float, float]]]
) -> dict[str, Any]:
    """Per case's top 10: milliseconds of the raw box query (asyncpg, no ORM), of
    ``pharmacies.offers_near`` and of ``orders.search_offers``; rows fetched and offers kept."""
    import asyncpg

    from medrush import orders, pharmacies
    from medrush.kernel import db

    raw = await asyncpg.connect(database)
    raw_ms: list[float] = []
    tight_ms: list[float] = []
    tight_rows = 0
    near_ms: list[float] = []
    full_ms: list[float] = []
    fetched = 0
    offers = 0
    for query, (lat, lng) in cases:
        ids = [hit.product.id for hit in index.search(query, limit=10)]
        if not ids:
            continue
        start = time.perf_counter()
        fetched += len(await raw.fetch(BOX_SQL, lat, lng, ids))
        raw_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        tight_rows += len(await raw.fetch(TIGHT_SQL, lat, lng, ids))
        tight_ms.append((time.perf_counter() - start) * 1000)
        async with db.session_scope() as session:
            start = time.perf_counter()
            await pharmacies.offers_near(session, ids, lat, lng)
            near_ms.append((time.perf_counter() - start) * 1000)
        async with db.session_scope() as session:
            start = time.perf_counter()
            found = await orders.search_offers(session, ids, lat, lng)
            full_ms.append((time.perf_counter() - start) * 1000)
            offers += sum(len(v) for v in found.values())
    await db.dispose()
    await raw.close()
    n = max(1, len(full_ms))
    return {
        "raw": raw_ms,
        "tight": tight_ms,
        "near": near_ms,
        "full": full_ms,
        "rows": fetched / n,
        "tight_rows": tight_rows / n,
        "offers": offers / n,
    }


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU seconds used so far by these processes."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Resident memory of one process in MiB."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def start_server(port: int, workers: int, database: str) -> tuple[subprocess.Popen[bytes], float]:
    """``medrush serve`` answering /healthz with every process idle (index built); seconds it took."""
    env = {**os.environ, "MEDRUSH_DATABASE_URL": database, "MEDRUSH_LOG_LEVEL": "warning"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "medrush", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 900
    healthy = False
    idle = 0
    last = cpu_seconds(process_tree(proc.pid))
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(1.0)
        if not healthy:
            with contextlib.suppress(httpx.HTTPError):
                healthy = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
        now = cpu_seconds(process_tree(proc.pid))
        idle = idle + 1 if now - last < 0.25 * workers else 0
        last = now
        if healthy and idle >= 3:
            return proc, time.perf_counter() - started - 3
    proc.kill()
    raise RuntimeError("server did not start")


async def one_connection(
    port: int, requests: list[bytes], offset: int, stop_at: float, latencies: list[float]
) -> int:
    """Send the requests in turn (from ``offset``) on one keep-alive connection; count non-200s."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    i = offset
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(requests[i % len(requests)])
            i += 1
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
            latencies.append((time.perf_counter() - started) * 1000)
            if not status_line.startswith(b"HTTP/1.1 200"):
                errors += 1
    finally:
        writer.close()
    return errors


async def drive(port: int, paths: list[str], seconds: float, connections: int) -> dict[str, float]:
    """``connections`` keep-alive connections cycling through ``paths`` for ``seconds``."""
    requests = [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in paths]
    step = max(1, len(requests) // connections)
    warm_until = time.perf_counter() + 1.0
    await asyncio.gather(
        *(one_connection(port, requests, i * step, warm_until, []) for i in range(connections))
    )
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = started + seconds
    errors = sum(
        await asyncio.gather(
            *(one_connection(port, requests, i * step, stop_at, latencies) for i in range(connections))
        )
    )
    elapsed = time.perf_counter() - started
    p50, p95, p99, worst = percentiles(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "max": worst,
        "errors": errors,
        "n": len(latencies),
    }


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    """Build the data, measure function, offers, PostgreSQL FTS and the endpoint; print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=100_000, help="catalog size (shipped + synthetic)")
    parser.add_argument("--pharmacies", type=int, default=2_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measured cell")
    parser.add_argument("--connections", type=int, default=8, help="connections of the loaded cells")
    parser.add_argument("--database", help="postgresql:// URL of a server to create the bench database on")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the bench database (dropped by default)")
    args = parser.parse_args()

    print(f"load average at start: {loadavg()}; {os.cpu_count()} CPUs shared by client, server, PostgreSQL")
    t0 = time.perf_counter()
    database = fresh_database(args.database)
    os.environ["MEDRUSH_DATABASE_URL"] = database
    shipped = load_product_files(CATALOG / "products")
    vocab = Vocabulary.load(CATALOG)
    everything = synthetic(shipped, args.products)
    extra = everything[len(shipped) :]
    try:
        counts = asyncio.run(populate(database, shipped, extra, args.pharmacies, args.seed))
        return measure(args, database, everything, vocab, counts, t0)
    finally:
        if not args.keep:
            from tests.conftest import _admin, _with_database

            name = database.split("?")[0].rsplit("/", 1)[1]
            asyncio.run(_admin(_with_database(database, "postgres"), f'DROP DATABASE IF EXISTS "{name}"'))


def measure(
    args: argparse.Namespace,
    database: str,
    everything: list[Product],
    vocab: Vocabulary,
    counts: dict[str, int],
    t0: float,
) -> int:
    """Everything after the data is loaded: in-process figures, then the servers; prints the report."""
    print(f"database ready in {time.perf_counter() - t0:.0f} s: {counts}")

    cases = yaml.safe_load((CATALOG / "relevance.yaml").read_text(encoding="utf-8"))
    queries = [c["query"] for c in cases]
    rng = random.Random(args.seed + 1)
    points = [point_in_disc(rng, CUSTOMER_RADIUS_M) for _ in range(25)]
    located = [(q, points[i % len(points)]) for i, q in enumerate(queries)]

    # in-process: the function, then the offers lookup for its hits, on the same data
    index, build_s, build_cpu, index_mib = build(everything, vocab)
    fn = function_latency(index, queries, 3)
    offers = asyncio.run(offers_latency(database, index, located))
    del index
    gc.unfreeze()
    gc.collect()
    _found, fts = asyncio.run(postgres_fts(everything, queries * 3))
    print(
        f"in-process index of {len(everything)} products: build {build_s:.1f} s wall "
        f"({build_cpu:.1f} s CPU), resident memory added {index_mib:.0f} MiB"
    )

    paths_near = [f"/api/v1/search?q={quote(q)}&lat={lat}&lng={lng}&limit=10" for q, (lat, lng) in located]
    paths_plain = [f"/api/v1/search?q={quote(q)}&limit=10" for q in queries]
    cells: list[tuple[str, int, int, dict[str, float]]] = []
    servers: list[str] = []
    for workers in (1, 2):
        port = free_port()
        proc, ready_s = start_server(port, workers, database)
        try:
            tree = process_tree(proc.pid)
            memory = ", ".join(f"{rss_mib(pid):.0f}" for pid in tree)
            servers.append(
                f"{workers} worker(s): ready (index built, CPU idle) after {ready_s:.0f} s; "
                f"RSS per process (MiB): {memory}; total {sum(rss_mib(p) for p in tree):.0f} MiB"
            )
            sample = httpx.get(f"http://127.0.0.1:{port}{paths_near[0]}", timeout=30)
            assert sample.status_code == 200, sample.text
            for label, paths in (("with location", paths_near), ("no location", paths_plain)):
                for connections in (1, args.connections):
                    result = asyncio.run(drive(port, paths, args.seconds, connections))
                    cells.append((label, workers, connections, result))
                    print(f"  {label}, {workers} worker(s), {connections} conn: {result}", flush=True)
        finally:
            proc.terminate()
            proc.wait()

    print(f"\nload average at end: {loadavg()}; total {time.perf_counter() - t0:.0f} s")
    print(
        f"data: {counts['medicines']} products, {counts['pharmacies']} pharmacies, "
        f"{counts['stock_rows']} stock rows; {len(queries)} queries from relevance.yaml, "
        f"{len(points)} customer points; {args.seconds:.0f} s per HTTP cell"
    )
    for line in servers:
        print(line)
    print("\n| what | workers | connections | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, samples in (
        ("search function (in process)", fn),
        ("offers box query alone, asyncpg (in process)", offers["raw"]),
        ("the same with a 5 km box, asyncpg (in process)", offers["tight"]),
        ("pharmacies.offers_near for the top 10 (in process)", offers["near"]),
        ("orders.search_offers for the top 10 (in process)", offers["full"]),
        ("PostgreSQL FTS, one round trip", fts),
    ):
        p50, p95, p99, worst = percentiles(samples)
        print(f"| {name} | | | | {p50:.2f} | {p95:.2f} | {p99:.2f} | {worst:.2f} | |")
    for label, workers, connections, r in cells:
        print(
            f"| GET /api/v1/search, {label} | {workers} | {connections} | {r['rps']:.0f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | {int(r['errors'])} |"
        )
    print(
        f"\nper located request (top 10): {offers['rows']:.0f} stock rows fetched by the box query "
        f"({offers['tight_rows']:.0f} with a 5 km box), {offers['offers']:.0f} offers kept"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
