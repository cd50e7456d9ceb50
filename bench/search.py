"""Relevance and speed of catalog search on the shipped catalog, beside a substring baseline.

    python bench/search.py                      # relevance.yaml, latency, build time and memory
    python bench/search.py --scale 100000       # also latency on a synthetic catalog of that size
    python bench/search.py --relevance data/catalog/heldout.yaml --misses   # another query set

Relevance: for each query of ``data/catalog/relevance.yaml`` a result counts as correct when its id
is in ``expect_ids`` or it contains one of ``expect_ingredients``. Printed per language and per
kind: top-1, top-3, top-5 and top-10 hit rate (recall@k of an acceptable answer) and MRR
(reciprocal rank of the first correct result in the top 10), for the search index and for a
baseline that returns products whose name (en, zh or ko) contains the query as a case-insensitive
substring, shortest name first.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from medrush.catalog.products import Product, load_product_files
from medrush.catalog.search import SearchIndex, Vocabulary
from medrush.catalog.search.index import warm_up

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "data" / "catalog"

Searcher = Callable[[str], Sequence[Product]]


def baseline(products: list[Product]) -> Searcher:
    """Case-insensitive substring match of the whole query on the product names."""
    names = [(p, (p.name_en.casefold(), p.name_zh.casefold(), p.name_ko.casefold())) for p in products]

    def run(query: str) -> list[Product]:
        needle = query.strip().casefold()
        if not needle:
            return []
        found = [
            (min(len(n) for n in ns if needle in n), p.id, p)
            for p, ns in names
            if any(needle in n for n in ns)
        ]
        return [p for _, _, p in sorted(found, key=lambda item: (item[0], item[1]))][:10]

    return run


async def postgres_fts(
    products: list[Product], queries: list[str]
) -> tuple[dict[str, list[str]], list[float]]:
    """PostgreSQL full-text search ('simple' configuration) over names, brands and ingredients.

    Runs on a scratch database of the embedded server (no extension needed: pg_trgm and the
    Chinese parsers are not available there). Returns the ids found per query and the latencies.
    """
    import asyncpg

    from medrush.kernel.embedded import embedded_postgres
    from medrush.kernel.paths import home_dir

    server = embedded_postgres(home_dir())
    server.ensure_database("medrush_bench_search")
    conn = await asyncpg.connect(server.libpq_url("medrush_bench_search"))
    try:
        await conn.execute("DROP TABLE IF EXISTS bench_products")
        await conn.execute("CREATE TABLE bench_products (id text PRIMARY KEY, doc tsvector NOT NULL)")
        rows = []
        for p in products:
            text = " ".join(
                [
                    p.name_en,
                    p.name_zh,
                    p.name_ko,
                    p.generic_name_en,
                    *p.ingredient_names,
                    *(b.name for b in p.brands),
                ]
            )
            rows.append((p.id, text))
        await conn.executemany("INSERT INTO bench_products VALUES ($1, to_tsvector('simple', $2))", rows)
        await conn.execute("CREATE INDEX ON bench_products USING gin (doc)")
        await conn.execute("ANALYZE bench_products")
        sql = (
            "SELECT id FROM bench_products, plainto_tsquery('simple', $1) q WHERE doc @@ q "
            "ORDER BY ts_rank(doc, q) DESC, id LIMIT 10"
        )
        found: dict[str, list[str]] = {}
        samples: list[float] = []
        for query in queries:
            start = time.perf_counter()
            result = await conn.fetch(sql, query)
            samples.append((time.perf_counter() - start) * 1000)
            found[query] = [r["id"] for r in result]
        await conn.execute("DROP TABLE bench_products")
        return found, samples
    finally:
        await conn.close()


def percentiles(samples: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 and max of latency samples in milliseconds."""
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return pct(0.50), pct(0.95), pct(0.99), ordered[-1]


def correct(product: Product, case: dict[str, Any]) -> bool:
    """Whether a result answers a relevance case."""
    if product.id in (case.get("expect_ids") or ()):
        return True
    wanted = set(case.get("expect_ingredients") or ())
    return bool(wanted & set(product.ingredient_names))


def rank_of(results: list[Product], case: dict[str, Any]) -> int | None:
    """The rank of the first correct result; a case with ``expect_empty`` (something the catalog
    does not carry) is answered at rank 1 by no result at all."""
    if case.get("expect_empty"):
        return None if results else 1
    return next((i + 1 for i, p in enumerate(results) if correct(p, case)), None)


def evaluate(searcher: Searcher, cases: list[dict[str, Any]]) -> dict[tuple[str, str], list[float]]:
    """Per (group, value): sums of [top1, top3, top5, top10, reciprocal rank] and the case count."""
    rows: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    for case in cases:
        results = list(searcher(case["query"]))[:10]
        rank = rank_of(results, case)
        scores = [
            float(rank == 1),
            float(rank is not None and rank <= 3),
            float(rank is not None and rank <= 5),
            float(rank is not None),
            1.0 / rank if rank else 0.0,
        ]
        for key in (("all", "all"), ("lang", case["lang"]), ("kind", case["kind"])):
            row = rows[key]
            for i, value in enumerate(scores):
                row[i] += value
            row[5] += 1
    return rows


def misses(searcher: Searcher, cases: list[dict[str, Any]]) -> list[str]:
    """Queries whose top 3 holds no correct answer, with what came first."""
    out = []
    for case in cases:
        results = list(searcher(case["query"]))[:10]
        rank = rank_of(results, case)
        if rank is None or rank > 3:
            first = ", ".join(p.id for p in results[:3]) or "(nothing)"
            out.append(f"  [{case['lang']}/{case['kind']}] {case['query']!r}: got {first}")
    return out


def print_relevance(
    engine: dict[tuple[str, str], list[float]],
    base: dict[tuple[str, str], list[float]],
    other: str = "baseline",
) -> None:
    """One line per group: the engine's figures, then those of the other method."""
    print(
        f"{'group':<18}{'n':>5} {'top1':>7}{'top3':>7}{'top5':>7}{'top10':>7}{'MRR':>7}   |"
        f" {other}: top1, top3, top5, top10, MRR"
    )
    langs = sorted(k for k in engine if k[0] == "lang")
    order = [("all", "all"), *langs, *sorted(k for k in engine if k[0] == "kind")]
    for key in order:
        e, b = engine[key], base[key]
        n = e[5]
        label = f"{key[0]}={key[1]}" if key[0] != "all" else "overall"
        cells = "".join(f"{v / n:>7.1%}" for v in e[:4]) + f"{e[4] / n:>7.3f}"
        other_cells = "".join(f"{v / n:>7.1%}" for v in b[:4]) + f"{b[4] / n:>7.3f}"
        print(f"{label:<18}{int(n):>5} {cells}   | {other_cells}")


def latency(index: SearchIndex, queries: list[str], rounds: int) -> str:
    """Percentiles of one search call, wall clock and CPU time of the calling thread, as a line.

    The CPU figure leaves out time the thread spent waiting for a core, which on a shared machine
    is most of the difference.
    """
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.search(query, limit=10)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    lines = []
    for label, samples in (("wall", wall), ("cpu ", cpu)):
        p50, p95, p99, worst = percentiles(samples)
        lines.append(f"  {label}: p50 {p50:.3f} ms, p95 {p95:.3f} ms, p99 {p99:.3f} ms, max {worst:.3f} ms")
    return f"{len(wall)} calls\n" + "\n".join(lines)


def synthetic(products: list[Product], size: int) -> list[Product]:
    """``size`` products made by cloning the real ones under new ids and numbered names."""
    out = list(products)
    i = 0
    while len(out) < size:
        base = products[i % len(products)]
        n = i // len(products) + 1
        out.append(
            replace(
                base,
                id=f"{base.id}-syn{n}",
                name_en=f"{base.name_en} {n}",
                name_zh=f"{base.name_zh}{n}",
                name_ko=f"{base.name_ko} {n}",
                brands=(),
            )
        )
        i += 1
    return out


def rss_mib() -> float:
    """This process's resident memory in MiB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def build(products: list[Product], vocab: Vocabulary) -> tuple[SearchIndex, float, float, float]:
    """The index, its build time in seconds (wall and CPU), and the resident memory it added in MiB."""
    gc.collect()
    before = rss_mib()
    start, start_cpu = time.perf_counter(), time.process_time()
    index = SearchIndex.build(products, vocab)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    gc.collect()
    gc.freeze()  # as catalog.rebuild_index does: the collector no longer rescans the index
    return index, seconds, cpu_seconds, rss_mib() - before


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--catalog", type=Path, default=CATALOG, help="catalog data folder")
    parser.add_argument("--rounds", type=int, default=20, help="timed passes over the queries")
    parser.add_argument(
        "--scale", type=int, default=0, help="also time a synthetic catalog of this many products"
    )
    parser.add_argument(
        "--relevance",
        type=Path,
        default=None,
        help="relevance file to score (default: relevance.yaml of the catalog folder; e.g. heldout.yaml)",
    )
    parser.add_argument("--misses", action="store_true", help="list the queries missed in the top 3")
    parser.add_argument(
        "--postgres", action="store_true", help="also run PostgreSQL full-text search (embedded server)"
    )
    args = parser.parse_args(argv)

    products = load_product_files(args.catalog / "products")
    vocab = Vocabulary.load(args.catalog)
    relevance_path = (args.relevance or args.catalog / "relevance.yaml").resolve()
    cases: list[dict[str, Any]] = (
        yaml.safe_load(relevance_path.read_text(encoding="utf-8")) if relevance_path.exists() else []
    )
    start = time.perf_counter()
    warm_up()
    print(f"one-time start-up (jieba dictionary, pypinyin tables): {time.perf_counter() - start:.2f} s")
    index, seconds, cpu_seconds, mib = build(products, vocab)
    print(
        f"catalog: {len(products)} products, {len(vocab.symptoms)} symptoms,"
        f" {len(vocab.ingredients)} ingredients"
    )
    print(
        f"index build: {seconds * 1000:.0f} ms wall ({cpu_seconds * 1000:.0f} ms CPU),"
        f" resident memory added: {mib:.1f} MiB, {index.stats()}"
    )

    if cases:
        shown = relevance_path.relative_to(ROOT) if relevance_path.is_relative_to(ROOT) else relevance_path
        print(f"\nrelevance: {len(cases)} queries from {shown}")

        def engine(query: str) -> list[Product]:
            return [hit.product for hit in index.search(query, limit=10)]

        print_relevance(evaluate(engine, cases), evaluate(baseline(products), cases))
        if args.postgres:
            import asyncio

            by_id = {p.id: p for p in products}
            found, samples = asyncio.run(postgres_fts(products, [c["query"] for c in cases] * 3))

            def fts(query: str) -> list[Product]:
                return [by_id[i] for i in found[query]]

            print("\nthe engine beside PostgreSQL full-text search ('simple' configuration, GIN index):")
            print_relevance(evaluate(engine, cases), evaluate(fts, cases), "postgres-fts")
            p50, p95, p99, worst = percentiles(samples)
            print(
                f"PostgreSQL FTS latency (one round trip, {len(samples)} calls): p50 {p50:.3f} ms, "
                f"p95 {p95:.3f} ms, p99 {p99:.3f} ms, max {worst:.3f} ms"
            )
        if args.misses:
            print("\nmissed in the top 3:")
            print("\n".join(misses(engine, cases)) or "  none")
        queries = [c["query"] for c in cases]
    else:
        print("\nno relevance.yaml: relevance skipped")
        queries = [
            "ibuprofen",
            "布洛芬",
            "타이레놀",
            "buluofen",
            "ibuprofin",
            "runny nose and sneezing",
            "拉肚子",
        ]

    print(f"\nsearch latency, shipped catalog, {latency(index, queries, args.rounds)}")

    if args.scale:
        big = synthetic(products, args.scale)
        big_index, big_seconds, big_cpu, big_mib = build(big, vocab)
        print(
            f"\nsynthetic catalog of {len(big)} products: build {big_seconds:.1f} s wall"
            f" ({big_cpu:.1f} s CPU), resident memory added {big_mib:.0f} MiB"
        )
        print(f"search latency, synthetic catalog, {latency(big_index, queries, max(1, args.rounds // 4))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
