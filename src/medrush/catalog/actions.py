"""Writes of the catalog: loading the shipped data files, adding, changing and withdrawing products.

Every change emits ``catalog.product_changed`` through the outbox in the same transaction, so
the in-process search index (and anything else listening) follows the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.catalog.events import PRODUCT_CHANGED
from medrush.catalog.models import CatalogMeta, CatalogVocab, Medicine
from medrush.catalog.products import Product, load_product_files
from medrush.catalog.queries import DATA_VERSION
from medrush.kernel import clock, emit
from medrush.kernel.errors import NotFound
from medrush.kernel.paths import data_dir

__all__ = [
    "LOAD_LOCK",
    "catalog_folder",
    "load_catalog_folder",
    "load_shipped_catalog",
    "shipped_version",
    "upsert_product",
    "withdraw_product",
]

LOAD_LOCK = 7_318_101  # advisory lock key: one loader at a time across processes
VOCAB_FILES = {"symptom": "symptoms.yaml", "ingredient": "ingredients.yaml", "not_sold": "not_sold.yaml"}


def catalog_folder() -> Path:
    """Where the shipped catalog lives: ``data/catalog`` (or MEDRUSH_DATA_DIR/catalog)."""
    return data_dir() / "catalog"


def _files(folder: Path) -> list[Path]:
    files = sorted((folder / "products").glob("*.yaml"))
    files += [folder / name for name in VOCAB_FILES.values() if (folder / name).exists()]
    return files


def shipped_version(folder: Path) -> str:
    """A hash of the catalog data files (names and bytes): it changes whenever one of them does."""
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _row(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "name_en": product.name_en,
        "name_zh": product.name_zh,
        "name_ko": product.name_ko,
        "generic_name_en": product.generic_name_en,
        "atc": product.atc,
        "dosage_form": product.dosage_form,
        "category": product.category,
        "rx_class": product.rx_class,
        "active": True,
        "data": product.to_dict(),
        "updated_at": clock.now(),
    }


async def _upsert_rows(session: AsyncSession, products: Iterable[Product]) -> list[str]:
    """Insert or update products; returns the ids whose stored data actually changed."""
    rows = [_row(p) for p in products]
    if not rows:
        return []
    result = await session.execute(
        select(Medicine.id, Medicine.data, Medicine.active).where(Medicine.id.in_([r["id"] for r in rows]))
    )
    existing = {medicine_id: (data, active) for medicine_id, data, active in result}
    changed = [r["id"] for r in rows if existing.get(r["id"]) != (r["data"], True)]
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        statement = insert(Medicine).values(chunk)
        columns = {c: statement.excluded[c] for c in chunk[0] if c != "id"}
        await session.execute(statement.on_conflict_do_update(index_elements=[Medicine.id], set_=columns))
    return changed


async def _replace_vocabulary(session: AsyncSession, folder: Path) -> None:
    await session.execute(delete(CatalogVocab))
    values: list[dict[str, Any]] = []
    for kind, name in VOCAB_FILES.items():
        path = folder / name
        if not path.exists():
            continue
        raw: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, terms in raw.items():
            values.append({"kind": kind, "key": str(key), "terms": dict(terms or {})})
    for start in range(0, len(values), 1000):
        await session.execute(insert(CatalogVocab).values(values[start : start + 1000]))


async def load_catalog_folder(session: AsyncSession, folder: Path, *, force: bool = False) -> int:
    """Load a catalog data folder when its version differs from the loaded one; returns products loaded.

    Products are upserted; a product no longer in the files is marked inactive, never deleted,
    because orders and prescriptions may still reference it.
    """
    if not (folder / "products").is_dir():
        return 0
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK})
    version = shipped_version(folder)
    current = await session.scalar(select(CatalogMeta).where(CatalogMeta.key == DATA_VERSION))
    if current is not None and current.value == version and not force:
        return 0
    products = load_product_files(folder / "products")
    changed = await _upsert_rows(session, products)
    shipped = {p.id for p in products}
    withdrawn = list(
        (
            await session.scalars(
                update(Medicine)
                .where(Medicine.active.is_(True), Medicine.id.not_in(shipped))
                .values(active=False, updated_at=clock.now())
                .returning(Medicine.id)
            )
        ).all()
    )
    await _replace_vocabulary(session, folder)
    meta = insert(CatalogMeta).values(key=DATA_VERSION, value=version, updated_at=clock.now())
    await session.execute(
        meta.on_conflict_do_update(
            index_elements=[CatalogMeta.key], set_={"value": version, "updated_at": clock.now()}
        )
    )
    if changed or withdrawn:
        await emit(
            session,
            PRODUCT_CHANGED,
            {"medicine_ids": sorted(changed + withdrawn), "reason": "load", "vocabulary_changed": True},
        )
    return len(products)


async def load_shipped_catalog(session: AsyncSession, *, force: bool = False) -> int:
    """Load the shipped catalog (``data/catalog``) when missing or changed; returns products loaded."""
    return await load_catalog_folder(session, catalog_folder(), force=force)


async def upsert_product(session: AsyncSession, product: Product) -> bool:
    """Add or change one product; returns whether its stored data changed."""
    changed = await _upsert_rows(session, [product])
    if changed:
        await emit(session, PRODUCT_CHANGED, {"medicine_ids": changed, "reason": "upsert"})
    return bool(changed)


async def withdraw_product(session: AsyncSession, medicine_id: str) -> None:
    """Mark a product inactive: it leaves search but stays for the orders that reference it."""
    found = await session.scalar(
        update(Medicine)
        .where(Medicine.id == medicine_id)
        .values(active=False, updated_at=clock.now())
        .returning(Medicine.id)
    )
    if found is None:
        raise NotFound("no product {medicine_id}", code="unknown_medicine", medicine_id=medicine_id)
    await emit(session, PRODUCT_CHANGED, {"medicine_ids": [medicine_id], "reason": "withdraw"})
