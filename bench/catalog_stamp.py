"""What the write stamp of the catalog catch-up costs: writing products with and without it.

    python bench/catalog_stamp.py [--server postgresql://postgres@127.0.0.1:5432/test] [--rows 100000]

On a fresh migrated database, the real ``medicines`` table (its ``BEFORE INSERT OR UPDATE``
trigger stamps ``written_xid``) is written ``--rows`` products, then upserted again, beside a copy
of the table without the trigger, in alternating order; prints the seconds and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import asyncpg

from harness import fresh_database

COLUMNS = "(id, name_en, name_zh, name_ko, generic_name_en, dosage_form, category, rx_class, data)"
ROWS_SQL = """
SELECT 'bench-' || g, 'Product ' || g, '', '', '', '', 'other', 'otc_b', $1::jsonb
  FROM generate_series(1, $2) g
"""


async def _write(conn: asyncpg.Connection, table: str, rows: int, data: str) -> tuple[float, float]:
    await conn.execute(f"TRUNCATE {table}")
    started = time.perf_counter()
    await conn.execute(
        f"INSERT INTO {table} {COLUMNS} {ROWS_SQL}",
        data,
        rows,
    )
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    await conn.execute(
        f"INSERT INTO {table} {COLUMNS} {ROWS_SQL} "
        "ON CONFLICT (id) DO UPDATE SET data = excluded.data, active = true",
        data,
        rows,
    )
    return inserted, time.perf_counter() - started


async def main(url: str, rows: int, repeat: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "CREATE TABLE medicines_plain (LIKE medicines INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        # a product's JSON about as large as a shipped one
        data = json.dumps(
            {
                "names": {"en": "x" * 40, "zh": "药" * 10},
                "ingredients": [{"inn": "ibuprofen"}] * 2,
                "indications": ["fever"] * 6,
                "text": "y" * 600,
            }
        )
        results: dict[str, list[tuple[float, float]]] = {"medicines_plain": [], "medicines": []}
        for _ in range(repeat):
            for table in ("medicines_plain", "medicines"):
                results[table].append(await _write(conn, table, rows, data))
        await conn.execute("TRUNCATE medicines")
    finally:
        await conn.close()
    plain = [min(r[i] for r in results["medicines_plain"]) for i in (0, 1)]
    stamped = [min(r[i] for r in results["medicines"]) for i in (0, 1)]
    print(f"{rows} products, best of {repeat}:")
    for label, i in (("insert", 0), ("upsert", 1)):
        print(
            f"  {label}: without the stamp {plain[i]:.3f} s, with it {stamped[i]:.3f} s "
            f"(x{stamped[i] / plain[i]:.2f}, +{(stamped[i] - plain[i]) / rows * 1e6:.1f} us per row)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server", help="a PostgreSQL server where databases may be created (default: embedded)"
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = fresh_database(args.server)
    try:
        asyncio.run(main(url, args.rows, args.repeat))
    finally:
        from tests.conftest import _with_database, drop_database  # importable once harness set the path

        drop_database(url, _with_database(url, "postgres"))
