"""Round-26 gaps of catalog search on the shipped catalog: chickenpox beside a fever, a pain or the itch puts
every NSAID and aspirin by mouth last and plain paracetamol first; the flu beside a condition that rules the
NSAIDs out (methotrexate, lithium, an ACE inhibitor with a diuretic) is a fever with aches, answered by plain
paracetamol before the combinations. The queries here are other wordings, not the round-26 set's own."""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    NSAIDS,
    all_after,
    by_mouth,
    combined_by_mouth,
    ingredients,
    plain_paracetamol,
    top_ids,
)

from medrush.catalog.search import SearchIndex


@pytest.mark.parametrize(
    "query",
    [
        "my 3 year old has chickenpox and a temperature",
        "toddler with chicken pox, fever",
        "varicella fever child",
        "孩子得了水痘 发烧",
        "三岁宝宝水痘 发热",
        "수두 걸린 아이 열나요",
        "4살 수두 열",
    ],
)
def test_chickenpox_with_a_fever_puts_paracetamol_first_and_every_nsaid_by_mouth_last(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    assert plain_paracetamol(shipped, ids[0]), (query, ids[:3])
    nsaid = [bool(ingredients(shipped, pid) & NSAIDS) and by_mouth(shipped, pid) for pid in ids]
    assert all_after(nsaid), (query, ids)


@pytest.mark.parametrize("query", ["chickenpox itching", "水痘 很痒", "수두 가려워요"])
def test_chickenpox_itch_lists_no_nsaid_by_mouth_before_the_itch_remedies(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    nsaid = [bool(ingredients(shipped, pid) & NSAIDS) and by_mouth(shipped, pid) for pid in ids]
    assert all_after(nsaid), (query, ids)
    assert not nsaid[0], (query, ids[:3])


@pytest.mark.parametrize(
    "query",
    [
        "on methotrexate and i have the flu",
        "i take lithium, flu",
        "on lisinopril and a water pill, got the flu",
        "在吃甲氨蝶呤 得了流感",
        "吃碳酸锂 流感",
        "리튬 먹고 있는데 독감",
        "메토트렉세이트 복용 중 몸살감기",
    ],
)
def test_the_flu_beside_an_nsaid_rule_out_puts_plain_paracetamol_before_the_combinations(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query, top=30)
    assert ids, query
    assert plain_paracetamol(shipped, ids[0]), (query, ids[:3])
    nsaid = [bool(ingredients(shipped, pid) & NSAIDS) and by_mouth(shipped, pid) for pid in ids]
    assert all_after(nsaid), (query, ids)
    combined = [combined_by_mouth(shipped, pid) or flag for pid, flag in zip(ids, nsaid, strict=True)]
    assert all_after(combined), (query, ids)


@pytest.mark.parametrize("query", ["flu", "流感", "독감"])
def test_the_flu_alone_is_unchanged(shipped: SearchIndex, query: str) -> None:
    # no condition: the cold and flu products still answer first, not plain paracetamol
    ids = top_ids(shipped, query, top=3)
    assert ids, query
    assert not plain_paracetamol(shipped, ids[0]), (query, ids)
