"""Database fixtures of the pharmacies tests."""

import pytest
from tests.integration.pharmacies.world import ensure_tables


@pytest.fixture(scope="session")
async def tables(database: str) -> str:
    """The test database with this area's tables."""
    await ensure_tables()
    return database
