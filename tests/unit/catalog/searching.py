"""Helpers of the catalog's search tests: where the shipped catalog lives and the first hit of a query."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from medrush.catalog.products import Product
from medrush.catalog.search import SearchIndex

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "catalog"


def product_of(index: SearchIndex, pid: str) -> Product:
    """The product ``pid`` of the index (it must be there)."""
    product = index.get(pid)
    assert product is not None, pid
    return product


def first(index: SearchIndex, query: str) -> Product:
    """The first product ``query`` finds (the query must find something)."""
    hits = index.search(query)
    assert hits, query
    return hits[0].product


def plain_paracetamol(index: SearchIndex, pid: str) -> bool:
    """Whether product ``pid`` holds paracetamol and nothing else."""
    return product_of(index, pid).ingredient_names == ("paracetamol",)


def top_ids(index: SearchIndex, query: str, top: int = 10) -> list[str]:
    """The ids of the first ``top`` products ``query`` finds."""
    return [hit.product.id for hit in index.search(query, limit=top)]


def all_after(flags: list[bool]) -> bool:
    """Whether every flagged result comes after every unflagged one (a rule-out tier holds)."""
    return True not in flags or False not in flags[flags.index(True) :]


# NSAIDs by their ingredient names in the product files (aspirin too): the rule-out tiers of rounds 24 and 25
NSAIDS = frozenset(
    {
        "aspirin",
        "ibuprofen",
        "dexibuprofen",
        "naproxen",
        "diclofenac",
        "ketoprofen",
        "loxoprofen",
        "flurbiprofen",
        "mefenamic acid",
        "celecoxib",
        "indometacin",
        "piroxicam",
    }
)
# Words of a dosage form used on the skin, eye, ear or nose rather than taken by mouth
LOCAL = ("eye", "nasal", "ear", "cream", "gel", "ointment", "spray", "patch", "plaster", "balm", "oil")


def ingredients(index: SearchIndex, pid: str) -> set[str]:
    """The ingredient names of product ``pid``."""
    return set(product_of(index, pid).ingredient_names)


def by_mouth(index: SearchIndex, pid: str) -> bool:
    """Whether product ``pid`` is taken by mouth (its dosage form names no local use)."""
    return not any(w in product_of(index, pid).dosage_form for w in LOCAL)


def combined_by_mouth(index: SearchIndex, pid: str) -> bool:
    """Whether product ``pid`` is a combination (more than one ingredient) taken by mouth."""
    return len(ingredients(index, pid)) > 1 and by_mouth(index, pid)


def held_by_mouth(index: SearchIndex, ids: list[str], inns: Iterable[str]) -> list[bool]:
    """For each product of ``ids``: whether it holds one of the ingredients ``inns`` and is taken by mouth."""
    wanted = set(inns)
    return [bool(ingredients(index, pid) & wanted) and by_mouth(index, pid) for pid in ids]


def nsaid_by_mouth(index: SearchIndex, ids: list[str]) -> list[bool]:
    """For each product of ``ids``: whether it holds an NSAID (aspirin included) and is taken by mouth."""
    return held_by_mouth(index, ids, NSAIDS)


def paracetamol_first_and_last(index: SearchIndex, query: str, inns: Iterable[str]) -> list[str]:
    """Assert that ``query`` answers plain paracetamol first and every product of ``inns`` taken by
    mouth after all the others (in its first 30 answers); returns those answers."""
    ids = top_ids(index, query, 30)
    assert ids and plain_paracetamol(index, ids[0]), (query, ids[:3])
    assert all_after(held_by_mouth(index, ids, inns)), (query, ids)
    return ids
