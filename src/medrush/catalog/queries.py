"""Reads of the catalog tables."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog.models import CatalogMeta, CatalogVocab, Medicine
from medrush.catalog.products import Product, product_from_dict
from medrush.catalog.search import Vocabulary

__all__ = [
    "active_products",
    "current_snapshot",
    "data_version",
    "products_by_id",
    "vocabulary",
    "written_since",
]

DATA_VERSION = "data_version"


async def active_products(session: AsyncSession) -> list[Product]:
    """Every active product, by id."""
    rows = await session.scalars(select(Medicine.data).where(Medicine.active.is_(True)).order_by(Medicine.id))
    return [product_from_dict(data) for data in rows]


async def products_by_id(session: AsyncSession, ids: Iterable[str]) -> dict[str, Product | None]:
    """The active product for each id, None for an unknown or withdrawn one."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Product | None] = dict.fromkeys(wanted)
    rows = await session.execute(
        select(Medicine.id, Medicine.data).where(Medicine.id.in_(wanted), Medicine.active.is_(True))
    )
    for medicine_id, data in rows:
        found[medicine_id] = product_from_dict(data)
    return found


async def current_snapshot(session: AsyncSession) -> str:
    """The PostgreSQL snapshot of this statement (``pg_snapshot`` text): what a look has seen."""
    return str(await session.scalar(text("SELECT pg_current_snapshot()::text")))


async def written_since(session: AsyncSession, snapshot: str) -> tuple[str, list[str]]:
    """The products (active or withdrawn) written by transactions ``snapshot`` could not see.

    Returns this statement's own snapshot with them, to pass next time: a row written by a
    transaction still open now is not visible here and will be news then, however long that
    transaction stays open and whatever the clocks of the nodes say.
    """
    row = (
        await session.execute(
            text(
                "SELECT pg_current_snapshot()::text AS snapshot, ARRAY("
                " SELECT id FROM medicines"
                " WHERE written_xid >= pg_snapshot_xmin(CAST(:seen AS text)::pg_snapshot)::text::bigint"
                " AND NOT pg_visible_in_snapshot(written_xid::text::xid8, CAST(:seen AS text)::pg_snapshot)"
                " ORDER BY id) AS ids"
            ),
            {"seen": snapshot},
        )
    ).one()
    return row.snapshot, list(row.ids)


async def vocabulary(session: AsyncSession) -> Vocabulary:
    """The symptom, ingredient and not-sold vocabularies stored with the catalog."""
    kinds: dict[str, dict[str, dict[str, list[str]]]] = {"symptom": {}, "ingredient": {}, "not_sold": {}}
    for row in await session.scalars(select(CatalogVocab).order_by(CatalogVocab.kind, CatalogVocab.key)):
        kinds.setdefault(row.kind, {})[row.key] = dict(row.terms)
    return Vocabulary.from_mappings(kinds["symptom"], kinds["ingredient"], kinds["not_sold"])


async def data_version(session: AsyncSession) -> str | None:
    """The hash of the shipped data files last loaded, or None before the first load."""
    return await session.scalar(select(CatalogMeta.value).where(CatalogMeta.key == DATA_VERSION))
