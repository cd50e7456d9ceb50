"""Misspelt medicine names in a current medicine or an allergy ("warfrin 5mg daily for AF", "ibuprofin"): read
as the one known name of the same first letter at Damerau-Levenshtein distance 1 (2 from nine letters), never
for ordinary or condition words, short words or near-misses of two different medicines."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety import check
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.text import NameSpeller, osa_distance

KB = load_knowledge_base()


def run(
    ports: ProductListPorts, item: str, lang: str = "en", **patient: object
) -> tuple[str, list[str], list[str]]:
    request = {
        "lang": lang,
        "patient": {"age_years": 60, **patient},
        "items": [{"medicine_id": item, "quantity": 1}],
    }
    result = check(request, resolve=ports.resolve, get=ports.get, today=date(2026, 12, 7))
    return result.level, result.codes, [f.message for f in result.findings]


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("warfrin", "warfarin"),
        ("warfarn", "warfarin"),
        ("wafrarin", "warfarin"),  # two letters swapped
        ("ibuprofin", "ibuprofen"),
        ("ibuprufen", "ibuprofen"),
        ("paracetamal", "paracetamol"),
        ("parasetamol", "paracetamol"),
        ("metfromin", "metformin"),
        ("amlodipin", "amlodipine"),
        ("omeprazol", "omeprazole"),
        ("asprin", "aspirin"),
        ("atorvastatine", "atorvastatin"),
        ("levothyroxin", "levothyroxine"),
        ("zyrtek", "zyrtec"),  # a brand
        ("nyquill", "nyquil"),  # a combination brand
    ],
)
def test_a_misspelling_is_read_as_the_name(word: str, name: str) -> None:
    assert KB.speller.read(word) == name


@pytest.mark.parametrize(
    "word",
    [
        # ordinary, dose and form words of a medicine list, and the knowledge base's condition words
        "daily",
        "tablets",
        "blood",
        "water",
        "pressure",
        "morning",
        "capsules",
        "alive",
        "different",
        "singular",
        "precise",
        "translate",
        "asthma",
        "diabetes",
        "ulcer",
        "grapefruit",
        # real substances that are no misspelling of a near name
        "lanolin",
        "nicotinic",
        # known names stay themselves
        "warfarin",
        "aspirin",
        # too short (under five letters) and near-misses of two different medicines
        "advl",
        "advir",  # advil or advair
        "imiran",  # imigran or imuran
        "ezterol",  # exterol or ezetrol
        # a different first letter, and two edits in a word under nine letters
        "qarfarin",
        "wrfrin",
    ],
)
def test_no_reading(word: str) -> None:
    assert KB.speller.read(word) is None


def test_distance() -> None:
    assert osa_distance("warfrin", "warfarin", 2) == 1
    assert osa_distance("wafrarin", "warfarin", 2) == 1  # a swap is one edit
    assert osa_distance("ibuprofin", "ibuprofen", 2) == 1
    assert osa_distance("amlodipin", "amlodipine", 2) == 1
    assert osa_distance("paracetamal", "paracetamol", 1) == 1
    assert osa_distance("ibpurofin", "ibuprofen", 2) == 2
    assert osa_distance("abc", "abcdef", 1) == 2  # capped at limit + 1


def test_speller_reads_only_unambiguous_single_names() -> None:
    speller = NameSpeller({"alpha": "a", "alpho": "a", "bravo": "b", "brava": "c"}, known=["alphx"])
    assert speller.read("alpht") == "alpha"  # two names, one medicine: not ambiguous
    assert speller.read("bravu") is None  # two medicines
    assert speller.read("alphx") is None  # a known word


def test_misspelt_current_medicine_interaction(ports: ProductListPorts) -> None:
    level, codes, messages = run(ports, "z4-aleve-220mg", current_medications=["warfrin 5mg daily for AF"])
    assert level == "block"
    assert "interaction" in codes and "unknown_medication" not in codes
    assert any("warfrin 5mg daily for AF (“warfrin” read as warfarin)" in m for m in messages)
    assert any(m.startswith('"warfrin 5mg daily for AF": “warfrin” read as warfarin') for m in messages)


def test_misspelt_names_in_a_list_are_split(ports: ProductListPorts) -> None:
    level, codes, _ = run(ports, "t-ibuprofen-200", current_medications=["omeprazol and warfrin"])
    assert level == "block"
    assert codes.count("medicine_read_as") == 2 and "unknown_medication" not in codes


def test_misspelt_allergy(ports: ProductListPorts) -> None:
    level, codes, messages = run(ports, "t-ibuprofen-200", allergies=["ibuprofin"])
    assert level == "block"
    assert "allergy" in codes and "unknown_allergy" not in codes
    assert any("“ibuprofin” read as ibuprofen" in m for m in messages)


def test_said_in_the_reader_language(ports: ProductListPorts) -> None:
    _, _, messages = run(ports, "t-naproxen-220", lang="zh", current_medications=["warfrin"])
    assert any("warfrin（“warfrin”按warfarin识别）" in m for m in messages)


@pytest.mark.parametrize(
    "entry",
    ["something for my blood, daily", "water", "advir", "imiran 50", "tablets twice daily"],
)
def test_unread_entries_stay_unknown(ports: ProductListPorts, entry: str) -> None:
    level, codes, _ = run(ports, "t-paracetamol-500", current_medications=[entry])
    assert "medicine_read_as" not in codes
    assert level == "warn" and "unknown_medication" in codes


def test_an_unknown_allergy_near_no_single_name_stays_unknown(ports: ProductListPorts) -> None:
    _, codes, _ = run(ports, "t-paracetamol-500", allergies=["lanolin"])
    assert "unknown_allergy" in codes and "medicine_read_as" not in codes


def test_chinese_and_korean_names_are_not_spelled() -> None:
    assert KB.misspelt_medicine("华发林") is None
    assert KB.misspelt_medicine("와파린스") is None
