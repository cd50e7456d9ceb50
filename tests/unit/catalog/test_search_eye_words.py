"""Round-20 gap of catalog search on the shipped catalog: an eye word beside red, itchy, watery or swollen
words is an eye complaint (the antihistamine eye drops first), not a skin rash; the skin under or around
the eye (눈 밑, 眼睛下面, 眼袋, "under my eye") is the thin skin of the face (the mildest products first, a
potent corticosteroid last) and never a genital reading of 밑 or 下面. The queries are variants of the
reported ones."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex

EYE_ANTIHISTAMINES = {"ketotifen", "olopatadine"}
EYE_REDNESS = {"naphazoline", "tetrahydrozoline"}
SKIN_ITCH_ONLY = {"calamine", "dexamethasone", "ketoconazole", "bifonazole", "clotrimazole", "miconazole"}
POTENT_STEROIDS = {"dexamethasone", "mometasone", "hydrocortisone butyrate"}
GENITAL_FORMS = {"vaginal tablets", "vaginal cream", "suppositories"}
GENITAL_ONLY = {"fluconazole", "metronidazole"}


def _hits(index: SearchIndex, query: str, top: int) -> list[tuple[set[str], str]]:
    return [(set(h.product.ingredient_names), h.product.dosage_form) for h in index.search(query)[:top]]


@pytest.mark.parametrize(
    "query",
    [
        "눈이 빨갛고 가려워요",
        "눈이 가렵고 눈물이 나요",
        "눈꺼풀이 가려워요",
        "눈이 부었어요",
        "眼睛红痒",
        "眼睛又红又痒",
        "眼皮痒",
        "眼睛流泪 痒",
        "眼睛红肿",
        "red itchy eyes",
        "my eyes are red and itchy",
        "my eyes are itchy and watery",
        "itchy eyelids",
        "my eyelid is swollen",
    ],
)
def test_an_eye_word_with_itchy_or_red_words_is_an_eye_complaint(shipped: SearchIndex, query: str) -> None:
    hits = _hits(shipped, query, 3)
    assert hits, query
    held, form = hits[0]
    assert EYE_ANTIHISTAMINES & held and form == "eye drops", query
    for held, form in hits:
        assert not SKIN_ITCH_ONLY & held, query
        assert form not in GENITAL_FORMS, query
    assert any(EYE_REDNESS & h for h, _ in hits), query


@pytest.mark.parametrize("query", ["눈이 빨개요", "眼睛发红", "eyes red"])
def test_a_red_eye_alone_gets_the_redness_drops(shipped: SearchIndex, query: str) -> None:
    held, form = _hits(shipped, query, 1)[0]
    assert EYE_REDNESS & held and form == "eye drops", query


@pytest.mark.parametrize(
    "query",
    [
        "눈 밑이 빨갛고 가려워요",
        "눈 밑이 가려워요",
        "눈 밑 피부가 빨개요",
        "눈가가 빨갛고 가려워요",
        "眼睛下面红痒",
        "眼睛下面痒",
        "眼袋 痒",
        "眼周发红发痒",
        "the skin under my eye is red and itchy",
        "itchy skin under my eyes",
        "red skin around my eyes",
        "eczema on my eyelids",
    ],
)
def test_the_skin_under_the_eye_is_face_skin_never_the_genitals(shipped: SearchIndex, query: str) -> None:
    hits = shipped.search(query, limit=50)
    assert hits, query
    held = [(set(h.product.ingredient_names), h.product.dosage_form) for h in hits]
    assert not any(form in GENITAL_FORMS or GENITAL_ONLY & h for h, form in held), query
    assert not POTENT_STEROIDS & held[0][0] and "hydrocortisone" not in held[0][0], query
    potent = [i for i, (h, _) in enumerate(held) if POTENT_STEROIDS & h]
    mild = [i for i, (h, _) in enumerate(held) if not POTENT_STEROIDS & h]
    assert not potent or min(potent) > max(mild[:3]), query


@pytest.mark.parametrize("query", ["手下面痒", "脚底下面痒", "코 밑이 가려워요", "눈 밑이 부었어요"])
def test_below_a_body_part_is_no_genital_reading(shipped: SearchIndex, query: str) -> None:
    for held, form in _hits(shipped, query, 5):
        assert form not in GENITAL_FORMS and not GENITAL_ONLY & held, query


@pytest.mark.parametrize("query", ["밑이 가려워요", "下面痒"])
def test_the_euphemism_alone_is_still_thrush(shipped: SearchIndex, query: str) -> None:
    held, form = _hits(shipped, query, 1)[0]
    assert form in GENITAL_FORMS or GENITAL_ONLY & held, query


@pytest.mark.parametrize("query", ["눈이 건조하고 가려워요", "眼睛干涩发红", "눈이 충혈되고 눈곱이 껴요"])
def test_a_named_eye_complaint_keeps_its_reading(shipped: SearchIndex, query: str) -> None:
    held, form = _hits(shipped, query, 1)[0]
    assert form in ("eye drops", "eye ointment"), query
    assert not EYE_ANTIHISTAMINES & held, query


def test_sneezing_with_itchy_eyes_still_gets_the_antihistamine_tablets(shipped: SearchIndex) -> None:
    held, form = _hits(shipped, "sneezing and my eyes are itchy", 1)[0]
    assert form != "eye drops" and not EYE_ANTIHISTAMINES & held
