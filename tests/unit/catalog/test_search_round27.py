"""Round-27 gaps of catalog search on the shipped catalog: an operation ahead beside a pain or a fever puts the
NSAIDs and aspirin by mouth last and plain paracetamol first (an operation past, a surgical mask, are not it).
The queries here are other wordings, not the round-27 set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    NSAIDS,
    all_after,
    by_mouth,
    ingredients,
    plain_paracetamol,
    top_ids,
)

from medrush.catalog.search import SearchIndex

BLEEDING = NSAIDS  # aspirin among them


@pytest.mark.parametrize(
    "query",
    [
        "painkiller before my operation on friday",
        "having surgery next week, what can i take for a headache",
        "pre-op toothache",
        "下周要做手术 头疼吃什么",
        "术前 牙疼 止痛药",
        "수술 앞두고 두통약",
        "모레 수술 예정인데 치통 진통제",
    ],
)
def test_an_operation_ahead_puts_paracetamol_first_and_nsaids_and_aspirin_by_mouth_last(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    assert plain_paracetamol(shipped, ids[0]), (query, ids[:3])
    flags = [bool(ingredients(shipped, pid) & BLEEDING) and by_mouth(shipped, pid) for pid in ids]
    assert all_after(flags), (query, ids)


@pytest.mark.parametrize("query", ["수술용 마스크", "手术口罩"])
def test_a_surgical_mask_is_no_operation(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, top=3)
    assert ids and all("mask" in pid or "respirator" in pid or "n95" in pid for pid in ids), (query, ids)


@pytest.mark.parametrize("query", ["surgery", "수술"])
def test_an_operation_alone_rules_nothing_out_and_lists_no_painkiller(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, top=10)
    assert not any(ingredients(shipped, pid) & BLEEDING for pid in ids), (query, ids)
