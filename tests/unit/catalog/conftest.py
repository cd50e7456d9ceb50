"""What the catalog's unit tests share: the search index over the shipped catalog, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.catalog.products import load_product_files
from medrush.catalog.search import SearchIndex, Vocabulary

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "catalog"


@pytest.fixture(scope="session")
def shipped() -> SearchIndex:
    """The index of the shipped catalog (products and vocabularies of ``data/catalog``)."""
    return SearchIndex.build(load_product_files(SHIPPED / "products"), Vocabulary.load(SHIPPED))
