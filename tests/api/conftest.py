"""Fixtures shared by the HTTP tests."""

from __future__ import annotations

import pytest

from tests.integration.pharmacies.world import ensure_tables


@pytest.fixture(scope="module")
async def tables(database: str) -> str:
    """The pharmacies, orders and dispatch tables in the test database (a module may add more)."""
    await ensure_tables()
    return database
