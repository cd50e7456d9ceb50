"""Round-3 gaps of catalog search on the shipped catalog: forms, packs, per-volume strengths, pinyin."""

from __future__ import annotations

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.forms import pack_count, query_forms, query_packs
from medrush.catalog.search.text import Strength, extract_strengths, normalize


def first(index: SearchIndex, query: str) -> str:
    return index.search(query)[0].product.id


def test_form_words_in_three_languages() -> None:
    assert query_forms("eye drops") == ["eye_drops"]
    assert query_forms("nasal spray") == ["nasal"]
    assert query_forms("退烧栓剂") == ["suppository"]
    assert query_forms("晕车贴") == ["patch"]
    assert query_forms("创可贴") == []  # a plaster for cuts, not a medicated patch
    assert query_forms("血栓") == []
    assert query_forms("해열 좌약") == ["suppository"]


def test_pack_sizes_and_per_volume_strengths() -> None:
    assert query_packs("paracetamol 20 tablets") == ([20], "paracetamol tablets")
    assert query_packs("cetirizine x 7") == ([7], "cetirizine")
    assert query_packs("奥美拉唑 14粒")[0] == [14]
    assert query_packs("xyzal")[0] == []
    assert pack_count("20 tablets") == 20
    assert pack_count("") is None
    assert extract_strengths(normalize("ibuprofen 100mg/5ml")) == ([Strength(100.0, "mg/5ml")], "ibuprofen")
    assert extract_strengths(normalize("cetirizine 1 mg/ml"))[0] == [Strength(1.0, "mg/ml")]


def test_a_form_ranks_within_the_meaning(shipped: SearchIndex) -> None:
    assert first(shipped, "退烧栓剂") == "paracetamol-125mg-supp"
    assert first(shipped, "nicotine patch") == "nicotinell-patch-21mg"
    # alone, a form lists its products
    assert shipped.search("眼膏")[0].product.dosage_form == "eye ointment"
    assert shipped.search("귀약")[0].product.dosage_form == "ear drops"


def test_pack_and_per_volume_strength_pick_the_product(shipped: SearchIndex) -> None:
    assert first(shipped, "paracetamol 500 mg 20 tablets") == "paracetamol-500mg-tab-20"
    assert first(shipped, "loratadine 10mg 30 tablets") == "loratadine-10mg-tab-30"
    assert shipped.search("ibuprofen 100mg/5ml")[0].product.dosage_form == "oral suspension"


def test_pinyin_mixed_with_characters(shipped: SearchIndex) -> None:
    assert first(shipped, "banlan根").startswith(("banlangen", "baiyunshan-banlangen"))
    assert first(shipped, "蒙tuo石散") in {"diosmectite-3g-sachet", "smecta-3g"}


def test_things_not_carried_find_nothing(shipped: SearchIndex) -> None:
    for query in ("oxycodone", "ozempic", "졸피뎀", "曲马多"):
        assert shipped.search(query) == []
