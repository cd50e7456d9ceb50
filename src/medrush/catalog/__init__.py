"""The catalog: medicines and health products, their vocabularies, and multilingual search.

Products live in the ``medicines`` table (loaded from the shipped ``data/catalog`` files by
``load_shipped_catalog``); the search index is an in-process structure rebuilt from the
database with ``rebuild_index`` and kept current through ``catalog.product_changed`` events.
"""

from medrush.catalog import subscribers as _subscribers  # registers the event handlers
from medrush.catalog.actions import (
    load_catalog_folder,
    load_shipped_catalog,
    upsert_product,
    withdraw_product,
)
from medrush.catalog.events import PRODUCT_CHANGED
from medrush.catalog.products import RX_CLASSES, Brand, Ingredient, Product, load_product_files
from medrush.catalog.schemas import OfferOut, SearchResultOut
from medrush.catalog.search import SearchHit, SearchIndex, Vocabulary
from medrush.catalog.search.index import MAX_LIMIT as MAX_SEARCH_LIMIT
from medrush.catalog.search.text import normalize as normalize_query
from medrush.catalog.search.text import query_language
from medrush.catalog.service import (
    current_index,
    ensure_index,
    get_product,
    rebuild_index,
    results_with_offers,
    search,
    search_index,
    search_result_dict,
    set_search_index,
)

__all__ = [
    "MAX_SEARCH_LIMIT",
    "PRODUCT_CHANGED",
    "RX_CLASSES",
    "Brand",
    "Ingredient",
    "OfferOut",
    "Product",
    "SearchHit",
    "SearchIndex",
    "SearchResultOut",
    "Vocabulary",
    "current_index",
    "ensure_index",
    "get_product",
    "load_catalog_folder",
    "load_product_files",
    "load_shipped_catalog",
    "normalize_query",
    "query_language",
    "rebuild_index",
    "results_with_offers",
    "search",
    "search_index",
    "search_result_dict",
    "set_search_index",
    "upsert_product",
    "withdraw_product",
]

del _subscribers
