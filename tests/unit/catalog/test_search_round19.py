"""Round-19 gaps of catalog search on the shipped catalog: an itchy ring or a rash in a sweaty fold is a
fungal infection (the antifungals first, the corticosteroid creams last: NICE CKS "Fungal skin infection -
body and groin"), "can i take X" asks about X (it is no medicine taken), "what can i take with warfarin" says
warfarin is taken, a form said as a verb (喷什么, 뿌릴), chat filler read as no name, a pain said as "is
killing me", Korean sleep-aid phrasing, 먹는데 (taking) read as no form, and a cold while breastfeeding. The
queries here are variants, not the round-19 set's own."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.forms import query_forms

ANTIFUNGALS = {"bifonazole", "clotrimazole", "ketoconazole", "miconazole", "terbinafine"}
STEROIDS = {
    "dexamethasone",
    "hydrocortisone",
    "hydrocortisone butyrate",
    "mometasone",
    "triamcinolone acetonide",
}
NSAIDS = {"aspirin", "ibuprofen", "dexibuprofen", "naproxen", "loxoprofen", "diclofenac", "ketoprofen"}
DECONGESTANTS = {"pseudoephedrine", "phenylephrine"}


def _ingredients(index: SearchIndex, query: str, top: int) -> list[set[str]]:
    return [set(hit.product.ingredient_names) for hit in index.search(query)[:top]]


@pytest.mark.parametrize(
    "query",
    [
        "red itchy patch in my groin, worse when i sweat",
        "itchy red ring on my forearm",
        "rash under my breasts, always sweaty in summer",
        "skin between my toes is itchy and peeling",
        "腹股沟 红 痒 出汗多",
        "手臂上一个环状红疹 很痒",
        "사타구니가 빨갛고 가려워요",
        "팔에 링 모양으로 가려운 발진",
    ],
)
def test_a_fungal_looking_rash_gets_antifungals_first(shipped: SearchIndex, query: str) -> None:
    held = _ingredients(shipped, query, 5)
    assert held, query
    assert ANTIFUNGALS & held[0], query
    assert not any(STEROIDS & h for h in held), query


def test_the_steroid_creams_go_last_for_a_fungal_rash(shipped: SearchIndex) -> None:
    hits = shipped.search("itchy rash in the groin, what cream", limit=50)
    held = [set(hit.product.ingredient_names) for hit in hits]
    steroid_ranks = [i for i, h in enumerate(held) if STEROIDS & h]
    antifungal_ranks = [i for i, h in enumerate(held) if ANTIFUNGALS & h and not STEROIDS & h]
    assert antifungal_ranks
    assert not steroid_ranks or min(steroid_ranks) > max(antifungal_ranks)


def test_a_plain_itchy_rash_still_gets_the_itch_creams(shipped: SearchIndex) -> None:
    # no ring, no fold: nothing says fungal, the round-14 order stands
    assert STEROIDS & set(shipped.search("itchy rash cream")[0].product.ingredient_names)


@pytest.mark.parametrize(
    ("query", "inn"),
    [
        ("can i take ibuprofen for flu", "ibuprofen"),
        ("should i take ibuprofen with a cold", "ibuprofen"),
        ("is paracetamol ok for toothache", "paracetamol"),
        ("感冒可以吃布洛芬吗", "ibuprofen"),
        ("감기 걸렸는데 이부프로펜 먹어도 되나요", "ibuprofen"),
    ],
)
def test_an_ingredient_asked_about_stays_first(shipped: SearchIndex, query: str, inn: str) -> None:
    held = _ingredients(shipped, query, 3)
    assert held and all(inn in h for h in held), query


def test_a_medicine_taken_with_is_context(shipped: SearchIndex) -> None:
    held = _ingredients(shipped, "what can i take alongside warfarin for a sore back", 3)
    assert held and not any("warfarin" in h for h in held)
    assert not any(NSAIDS & h for h in held)


@pytest.mark.parametrize(
    ("query", "family"),
    [("鼻子不通气喷啥", "spray"), ("过敏了 喷哪个好", "spray"), ("코에 뿌릴 약", "spray")],
)
def test_a_form_said_as_a_verb(query: str, family: str) -> None:
    assert family in query_forms(query)


def test_taking_in_korean_is_no_form() -> None:
    assert "oral" not in query_forms("혈압약 먹는데 코가 막혀요")
    assert "oral" in query_forms("먹는 감기약")


@pytest.mark.parametrize("query", ["비염에 뿌릴 거 있어요", "鼻塞喷啥好"])
def test_a_spray_asked_brings_the_nasal_sprays(shipped: SearchIndex, query: str) -> None:
    first = shipped.search(query)[0].product
    assert "nasal" in first.dosage_form or "spray" in first.dosage_form, query


@pytest.mark.parametrize(
    "query",
    ["my tooth is killing me pls help", "back is throbbing smth strong plz", "my head is pounding asap"],
)
def test_filler_and_killing_me_read_the_pain(shipped: SearchIndex, query: str) -> None:
    held = _ingredients(shipped, query, 3)
    assert held, query
    assert not any("salmeterol" in h or "fluticasone" in h for h in held), query


@pytest.mark.parametrize("query", ["잠이 잘 오는 약", "푹 자게 해주는 약", "잠 오는 약 주세요"])
def test_korean_sleep_aid_phrasing(shipped: SearchIndex, query: str) -> None:
    hits = shipped.search(query)
    assert hits, query
    assert "insomnia" in hits[0].product.indications, query


@pytest.mark.parametrize("query", ["혈압약 먹고 있는데 코가 막혀요", "고혈압 약 먹는데 코 막힘 심해요"])
def test_korean_blood_pressure_and_blocked_nose_answer_in_the_nose(shipped: SearchIndex, query: str) -> None:
    hits = shipped.search(query)
    assert hits, query
    first = hits[0].product
    assert "nasal" in first.dosage_form or "spray" in first.dosage_form or "irrigation" in first.id, query
    assert not any(DECONGESTANTS & set(h.product.ingredient_names) for h in hits[:3]), query


@pytest.mark.parametrize(
    "query", ["수유 중 감기 걸렸어요", "breastfeeding and i've caught a cold", "哺乳期 感冒了"]
)
def test_a_cold_while_breastfeeding_gets_paracetamol_first(shipped: SearchIndex, query: str) -> None:
    held = _ingredients(shipped, query, 3)
    assert held and held[0] == {"paracetamol"}, query
    assert not any(DECONGESTANTS & h for h in held), query


def test_red_rings_around_the_eyes_are_no_fungal_rash(shipped: SearchIndex) -> None:
    held = _ingredients(shipped, "red rings around my eyes", 3)
    assert not any(ANTIFUNGALS & h for h in held)
