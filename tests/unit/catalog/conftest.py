"""What the catalog's unit tests share: the search index over the shipped catalog, built once."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import SHIPPED

from medrush.catalog.products import load_product_files
from medrush.catalog.search import SearchIndex, Vocabulary


@pytest.fixture(scope="session")
def shipped() -> SearchIndex:
    """The index of the shipped catalog (products and vocabularies of ``data/catalog``)."""
    return SearchIndex.build(load_product_files(SHIPPED / "products"), Vocabulary.load(SHIPPED))
