"""The process-wide search index: built from the database at start-up, kept current by events."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog import queries
from medrush.catalog.products import Product, load_product_files
from medrush.catalog.search import SearchHit, SearchIndex, Vocabulary
from medrush.kernel.errors import NotFound
from medrush.kernel.paths import data_dir

__all__ = [
    "apply_changes",
    "catch_up",
    "current_index",
    "ensure_index",
    "get_product",
    "rebuild_index",
    "results_with_offers",
    "search",
    "search_index",
    "search_result_dict",
    "set_search_index",
]

_lock = threading.Lock()
_index: SearchIndex | None = None
REBUILD_ABOVE = 1000  # more changed products than this in one look: rebuild instead


@dataclass(frozen=True, slots=True)
class _Mark:
    """How far the process index has caught up with the ``medicines`` table: the PostgreSQL
    snapshot of its last look (every row written by a transaction it could not see is news) and
    the catalog data version then."""

    snapshot: str
    version: str | None


_mark: _Mark | None = None


def set_search_index(index: SearchIndex | None) -> None:
    """Install ``index`` as the process-wide one (None forgets it).

    An index installed here has no catch-up mark (``catch_up`` leaves it alone) until
    ``rebuild_index`` builds one from the database.
    """
    global _index, _mark
    with _lock:
        _index = index
        _mark = None


def current_index() -> SearchIndex | None:
    """The process-wide index if one was built, without building one."""
    return _index


async def rebuild_index(session: AsyncSession) -> SearchIndex:
    """Build the index from the active products and the vocabulary in the database; install it."""
    global _mark
    # taken before the build reads: what it reads later may be applied once more, never missed;
    # rows written by this very transaction (still open) are news for the next look too, which
    # also heals an index built from writes that were then rolled back
    snapshot = await queries.current_snapshot(session)
    version = await queries.data_version(session)
    products = await queries.active_products(session)
    vocab = await queries.vocabulary(session)
    index = SearchIndex.build(products, vocab)
    set_search_index(index)
    _mark = _Mark(snapshot, version)
    # the index is long-lived: keep the collector from rescanning its many objects (pauses of
    # seconds at 100,000 products otherwise). The index holds no reference cycles, so an index
    # replaced later is still freed by reference counting; collect first so that no cyclic
    # garbage of the moment gets frozen with it.
    gc.collect()
    gc.freeze()
    return index


async def ensure_index(session: AsyncSession) -> SearchIndex:
    """The process-wide index, rebuilt from the database if this process has none yet."""
    return current_index() or await rebuild_index(session)


def search_index() -> SearchIndex:
    """The process-wide index; before any ``rebuild_index`` it is built from the shipped files."""
    global _index
    with _lock:
        if _index is None:
            folder = data_dir() / "catalog"
            products = load_product_files(folder / "products") if (folder / "products").is_dir() else []
            _index = SearchIndex.build(products, Vocabulary.load(folder))
        return _index


async def apply_changes(session: AsyncSession, medicine_ids: list[str], *, vocabulary_changed: bool) -> None:
    """Bring the process-wide index up to date with the database for these products."""
    index = current_index()
    if index is None:
        return
    if vocabulary_changed:
        await rebuild_index(session)
        return
    for medicine_id, product in (await queries.products_by_id(session, medicine_ids)).items():
        if product is None:
            index.remove(medicine_id)
        else:
            index.upsert(product)


async def catch_up(session: AsyncSession) -> int:
    """Apply the products written since the last look to the process index; returns how many.

    The bus broadcast of a catalog change is the fast path; this look, run periodically by every
    process (``worker.Background``), is what makes a missed broadcast (a dropped listener
    connection, a Redis restart) heal within the period instead of lasting until a restart. The
    news are the rows written by transactions the last look's snapshot could not see, so a late
    commit is never missed and no clock is involved. A changed ``data_version`` (a catalog load,
    which may change the vocabulary) or more than ``REBUILD_ABOVE`` changed products rebuild the
    index.
    """
    global _mark
    mark = _mark
    if current_index() is None or mark is None:
        return 0
    version = await queries.data_version(session)
    snapshot, fresh = await queries.written_since(session, mark.snapshot)
    if version != mark.version or len(fresh) > REBUILD_ABOVE:
        await rebuild_index(session)
        return len(fresh)
    if fresh:
        await apply_changes(session, fresh, vocabulary_changed=False)
    _mark = _Mark(snapshot, version)
    return len(fresh)


def search(query: str, limit: int = 10, lang: str | None = None) -> list[SearchHit]:
    """Search the process-wide index (see ``SearchIndex.search``)."""
    return search_index().search(query, limit=limit, lang=lang)


def get_product(medicine_id: str) -> Product:
    """The active product with this id; raises NotFound."""
    product = search_index().get(medicine_id)
    if product is None:
        raise NotFound("no product {medicine_id}", code="unknown_medicine", medicine_id=medicine_id)
    return product


def search_result_dict(hit: SearchHit, lang: str | None = None) -> dict[str, Any]:
    """A hit in the shape of the search contract (``medicine_id``, ``name``, ... ``rx_class``)."""
    product = hit.product
    return {
        "medicine_id": product.id,
        "name": product.name_in(lang or "en"),
        "generic_name_en": product.generic_name_en,
        "ingredients": [name.lower() for name in product.ingredient_names],
        "atc": product.atc,
        "category": product.category,
        "rx_class": product.rx_class,
    }


def results_with_offers(
    hits: list[SearchHit], offers: dict[str, list[dict[str, Any]]], lang: str | None = None
) -> list[dict[str, Any]]:
    """Contract results with ``offers``; among equally relevant products, those on offer come first."""
    results = [
        search_result_dict(hit, lang) | {"offers": list(offers.get(hit.product.id, []))} for hit in hits
    ]
    groups: list[int] = []
    for position, hit in enumerate(hits):
        if position == 0:
            groups.append(0)
        else:
            groups.append(groups[-1] + (hit.score != hits[position - 1].score))
    order = sorted(range(len(results)), key=lambda i: (groups[i], not results[i]["offers"]))
    return [results[i] for i in order]
