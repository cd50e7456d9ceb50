"""Round-8 gaps of catalog search on the shipped catalog: the rest of a sentence about how something feels
("eyes feel dry", never "peel")."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


def top(index: SearchIndex, query: str) -> set[str]:
    return set(index.search(query)[0].product.indications)


@pytest.mark.parametrize(
    ("query", "indication"),
    [
        ("eyes feel dry and gritty", "dry_eyes"),  # "feel" is one edit from "peel" (areca peel)
        ("feel sick in the car", "motion_sickness"),
    ],
)
def test_words_of_a_sentence_are_not_misspelt_names(
    shipped: SearchIndex, query: str, indication: str
) -> None:
    assert indication in top(shipped, query)


def test_a_lone_word_of_a_phrase_key_does_not_reach_it(shipped: SearchIndex) -> None:
    # "after" alone is no "morning after pill", "eating" no misspelt "yuting" (毓婷)
    assert not any(
        "emergency_contraception" in hit.product.indications
        for hit in shipped.search("burning feeling in my chest after eating")[:3]
    )
