"""Loading the catalog into PostgreSQL, rebuilding the index from it, and following changes.

Uses the session database of ``tests/conftest.py``; each test runs in a transaction that is rolled
back, so the catalog tables of that database are left as they were.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from medrush import catalog
from medrush.catalog.models import CatalogMeta, CatalogVocab, Medicine
from medrush.kernel import clock, db
from medrush.kernel.errors import NotFound
from medrush.kernel.events import OutboxEvent

FIXTURES = Path(__file__).parents[2] / "unit" / "catalog" / "fixtures"


@pytest.fixture
async def session(database: str) -> AsyncIterator[AsyncSession]:
    async with db.get_engine().connect() as conn:
        outer = await conn.begin()
        session = AsyncSession(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
        for table in (Medicine, CatalogVocab, CatalogMeta, OutboxEvent):
            await session.execute(delete(table))
        await session.commit()  # releases the savepoint; the outer transaction is rolled back below
        try:
            yield session
        finally:
            await session.close()
            await outer.rollback()
            catalog.set_search_index(None)


def copy_fixtures(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURES, folder)
    return folder


async def load_and_index(session: AsyncSession, tmp_path: Path) -> tuple[Path, catalog.SearchIndex]:
    """The fixture catalog copied, loaded and indexed: its folder and the installed index."""
    folder = copy_fixtures(tmp_path)
    async with session.begin():
        await catalog.load_catalog_folder(session, folder)
        index = await catalog.rebuild_index(session)
    return folder, index


async def test_load_is_idempotent_and_versioned(session: AsyncSession, tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    async with session.begin():
        assert await catalog.load_catalog_folder(session, folder) == 21
    async with session.begin():
        assert await catalog.load_catalog_folder(session, folder) == 0
        assert await catalog.load_catalog_folder(session, folder, force=True) == 21
    async with session.begin():
        assert (
            await session.scalar(
                select(Medicine.data["brands"][0]["name"].astext).where(Medicine.id == "ibuprofen-200-tab")
            )
            == "Advil"
        )
        kinds = await session.execute(select(CatalogVocab.kind, func.count()).group_by(CatalogVocab.kind))
        assert sorted(tuple(row) for row in kinds) == [("ingredient", 15), ("not_sold", 1), ("symptom", 18)]
        events = (await session.scalars(select(OutboxEvent.payload).order_by(OutboxEvent.id))).all()
    assert len(events) == 1
    assert events[0]["reason"] == "load"
    assert len(events[0]["medicine_ids"]) == 21


async def test_rebuilt_index_searches_the_database(session: AsyncSession, tmp_path: Path) -> None:
    _, index = await load_and_index(session, tmp_path)
    assert catalog.search_index() is index
    assert [h.product.id for h in catalog.search("拉肚子")] == ["loperamide-2-cap", "smectite-3g"]
    assert catalog.get_product("ibuprofen-200-tab").brands[0].name == "Advil"
    # the kinds of product not sold come back from the database with the other vocabularies
    assert index.vocab.not_sold["incontinence_and_nappies"]["ko"] == ("기저귀",)
    hit = catalog.search("advil", lang="zh")[0]
    assert catalog.search_result_dict(hit, "zh") == {
        "medicine_id": "ibuprofen-200-tab",
        "name": "布洛芬片",
        "generic_name_en": "ibuprofen",
        "ingredients": ["ibuprofen"],
        "atc": "M01AE01",
        "category": "analgesic",
        "rx_class": "otc_b",
    }


async def test_withdrawn_products_stay_inactive_and_leave_the_index(
    session: AsyncSession, tmp_path: Path
) -> None:
    folder, _ = await load_and_index(session, tmp_path)
    path = folder / "products" / "fixture.yaml"
    products = yaml.safe_load(path.read_text(encoding="utf-8"))
    products = [p for p in products if p["id"] != "amlodipine-5-tab"]
    for product in products:
        if product["id"] == "ibuprofen-200-tab":
            product["brands"].append({"name": "Nurofen", "lang": "en", "source": None})
    path.write_text(yaml.safe_dump(products, allow_unicode=True), encoding="utf-8")
    async with session.begin():
        assert await catalog.load_catalog_folder(session, folder) == 20
        active = {row[0]: row[1] for row in await session.execute(select(Medicine.id, Medicine.active))}
        payload = await session.scalar(select(OutboxEvent.payload).order_by(OutboxEvent.id.desc()).limit(1))
    assert len(active) == 21
    assert active["amlodipine-5-tab"] is False
    assert payload is not None
    assert payload["medicine_ids"] == ["amlodipine-5-tab", "ibuprofen-200-tab"]
    assert catalog.search("nurofen") == []
    async with session.begin():
        await catalog.service.apply_changes(session, payload["medicine_ids"], vocabulary_changed=False)
    assert [h.product.id for h in catalog.search("nurofen")] == ["ibuprofen-200-tab"]
    assert catalog.search("norvasc") == []
    with pytest.raises(NotFound):
        catalog.get_product("amlodipine-5-tab")


async def test_withdrawing_an_unknown_product_is_refused(session: AsyncSession) -> None:
    async with session.begin():
        with pytest.raises(NotFound):
            await catalog.withdraw_product(session, "no-such-product")


@pytest.fixture
async def committed(
    on_private_database: str, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions that commit for real, on this module's private database, with the fixture
    catalog loaded and indexed (the catch-up follows what other transactions commit: inside one
    rolled-back transaction there is nothing to follow)."""
    sessions = db.sessionmaker()
    async with sessions() as session, session.begin():
        for table in (Medicine, CatalogVocab, CatalogMeta, OutboxEvent):
            await session.execute(delete(table))
    async with sessions() as session:
        async with session.begin():
            await catalog.load_catalog_folder(session, copy_fixtures(tmp_path))
        async with session.begin():
            await catalog.rebuild_index(session)
    try:
        yield sessions
    finally:
        catalog.set_search_index(None)


async def catch_up(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session, session.begin():
        return await catalog.service.catch_up(session)


def with_brand(medicine_id: str, brand: str) -> catalog.Product:
    product = catalog.get_product(medicine_id)
    return dataclasses.replace(
        product, brands=(*product.brands, catalog.Brand(name=brand, lang="en", source=None))
    )


async def test_catch_up_applies_changes_the_bus_never_delivered(
    committed: async_sessionmaker[AsyncSession],
) -> None:
    """A process that missed the broadcast of a change sees it after its next catch-up, once."""
    assert await catch_up(committed) == 0  # nothing new since the build
    async with committed() as session, session.begin():
        assert await catalog.upsert_product(session, with_brand("ibuprofen-200-tab", "Nurofen"))
        await catalog.withdraw_product(session, "amlodipine-5-tab")  # their events never relayed here
    assert catalog.search("nurofen") == []
    assert await catch_up(committed) == 2
    assert [h.product.id for h in catalog.search("nurofen")] == ["ibuprofen-200-tab"]
    with pytest.raises(NotFound):
        catalog.get_product("amlodipine-5-tab")
    assert await catch_up(committed) == 0  # already applied


async def test_catch_up_sees_a_write_that_commits_long_after_it_was_stamped(
    committed: async_sessionmaker[AsyncSession],
) -> None:
    """A writer that stamps a product, then keeps its transaction open while looks go by (and
    the clock moves on by more than any timestamp overlap would allow), is applied once it
    commits."""
    frozen = clock.FrozenClock(clock.now())
    clock.set_clock(frozen)
    try:
        async with committed() as writer, writer.begin():
            await catalog.upsert_product(writer, with_brand("ibuprofen-200-tab", "Brufen"))
            frozen.advance(minutes=10)
            assert await catch_up(committed) == 0  # not committed: nothing to see yet
            frozen.advance(minutes=10)
        assert catalog.search("brufen") == []
        assert await catch_up(committed) == 1
        assert [h.product.id for h in catalog.search("brufen")] == ["ibuprofen-200-tab"]
        assert await catch_up(committed) == 0
    finally:
        clock.set_clock(None)


async def test_catch_up_rebuilds_after_a_catalog_load_and_leaves_hand_installed_indexes(
    session: AsyncSession, tmp_path: Path
) -> None:
    folder, before = await load_and_index(session, tmp_path)
    path = folder / "products" / "fixture.yaml"
    products = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(products[:-1], allow_unicode=True), encoding="utf-8")
    async with session.begin():
        assert await catalog.load_catalog_folder(session, folder) == 20
    async with session.begin():
        await catalog.service.catch_up(session)
    assert catalog.current_index() is not before  # a new data version: rebuilt from the database
    assert catalog.search_index().get(products[-1]["id"]) is None
    catalog.set_search_index(before)
    async with session.begin():
        assert await catalog.service.catch_up(session) == 0
    assert catalog.current_index() is before
