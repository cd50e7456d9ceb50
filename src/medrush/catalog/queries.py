"""Reads of the catalog tables."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog.models import CatalogMeta, CatalogVocab, Medicine
from medrush.catalog.products import Product, product_from_dict
from medrush.catalog.search import Vocabulary

__all__ = ["active_products", "changed_since", "data_version", "products_by_id", "vocabulary"]

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


async def changed_since(session: AsyncSession, since: datetime) -> dict[str, datetime]:
    """Every product (active or withdrawn) stored after ``since``, with the time it was stored."""
    rows = await session.execute(select(Medicine.id, Medicine.updated_at).where(Medicine.updated_at > since))
    return {row.id: row.updated_at for row in rows}


async def vocabulary(session: AsyncSession) -> Vocabulary:
    """The symptom and ingredient vocabularies stored with the catalog."""
    symptoms: dict[str, dict[str, list[str]]] = {}
    ingredients: dict[str, dict[str, list[str]]] = {}
    for row in await session.scalars(select(CatalogVocab).order_by(CatalogVocab.kind, CatalogVocab.key)):
        (symptoms if row.kind == "symptom" else ingredients)[row.key] = dict(row.terms)
    return Vocabulary.from_mappings(symptoms, ingredients)


async def data_version(session: AsyncSession) -> str | None:
    """The hash of the shipped data files last loaded, or None before the first load."""
    return await session.scalar(select(CatalogMeta.value).where(CatalogMeta.key == DATA_VERSION))
