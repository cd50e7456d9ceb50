"""Round-6 gaps of catalog search on the shipped catalog: a brand asked for in a form or variant its line
lacks, a route asked for a kind of medicine, local forms for throat symptoms, spellings written by ear."""

from __future__ import annotations

import pytest

from medrush.catalog.search import SearchIndex
from medrush.catalog.search.forms import query_forms
from medrush.catalog.search.text import phonetic_key


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.product.id for hit in index.search(query)[:n]]


def test_tablet_capsule_and_gum_words() -> None:
    assert query_forms("voltaren tablets") == ["tablets"]
    assert query_forms("扶他林片") == ["tablets"]
    assert query_forms("볼타렌 정") == ["tablets"]
    assert query_forms("泡腾片") == ["effervescent"]  # not also a plain tablet
    assert query_forms("胶囊") == ["capsules"]
    assert query_forms("니코틴엘 껌") == ["gum"]
    assert query_forms("타이레놀정") == []  # 정 glued to a name is a suffix


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("advil gel", "ibuprofen-5pct-gel"),  # same formula, the asked form, another brand
        ("voltaren tablets", "diclofenac-25mg-ectab"),
        ("扶他林片", "diclofenac-25mg-ectab"),
        ("canesten spray", "clotrimazole-1pct-spray"),
        ("타이레놀 좌약", "paracetamol-125mg-supp"),
        ("bisolvon syrup", "bromhexine-4mg-5ml-syrup"),
        ("nicotinell gum", "nicotine-2mg-gum"),
    ],
)
def test_a_brand_in_a_form_its_line_lacks_gives_the_same_formula_in_that_form(
    shipped: SearchIndex, query: str, expected: str
) -> None:
    assert ids(shipped, query, 1) == [expected]


def test_without_the_formula_in_that_form_what_treats_the_same_in_that_form(shipped: SearchIndex) -> None:
    assert ids(shipped, "zyrtec eye drops", 1)[0] in {
        "ketotifen-0-025pct-eyedrops",
        "olopatadine-0-1pct-eyedrops",
    }
    assert ids(shipped, "sudafed nasal spray", 1)[0] in {
        "afrin-nasal-spray",
        "otrivin-0-1pct",
        "oxymetazoline-0-05pct-nasal",
        "xylometazoline-0-1pct-nasal",
    }


def test_a_line_with_the_form_or_a_close_oral_form_is_unchanged(shipped: SearchIndex) -> None:
    assert ids(shipped, "nyquil liquid", 1) == ["nyquil-cold-flu"]  # nothing else has that formula
    assert ids(shipped, "zyrtec drops", 1) == ["zyrtec-drops"]
    assert ids(shipped, "daktarin spray", 1) == ["daktarin-powder-spray"]
    assert ids(shipped, "华素片", 1) == ["huasu-cydiodine-buccal"]  # 片 inside the brand is the brand
    assert ids(shipped, "애드빌 리퀴겔", 1) == ["advil-liqui-gels"]


def test_a_brand_with_a_word_its_line_is_not_named_with(shipped: SearchIndex) -> None:
    cold = ids(shipped, "panadol cold and flu", 1)[0]
    assert cold in {"dayquil-cold-flu", "lemsip-max-cold-flu-caps", "nyquil-cold-flu"}
    assert ids(shipped, "omron nebulizer", 1) == ["nebuliser-compressor"]
    assert ids(shipped, "鱼跃 血压计", 1)[0] in {
        "upper-arm-blood-pressure-monitor",
        "omron-upper-arm-bp-monitor",
    }
    assert ids(shipped, "clearblue ovulation test", 1) == ["ovulation-test-strips-10"]
    # the brand's own line stays first when the word only says what it is for
    assert ids(shipped, "tylenol fever", 1) == ["tylenol-extra-strength-500mg"]
    assert ids(shipped, "advil back pain", 1) == ["advil-200mg"]


def test_a_route_asked_for_a_kind_of_medicine(shipped: SearchIndex) -> None:
    assert ids(shipped, "antibiotic eye ointment", 1) == ["ofloxacin-0-3pct-eyeoint"]
    assert shipped.search("antibiotic eye ointment")[0].matched  # says what matched


def test_throat_symptoms_put_what_acts_on_the_throat_first(shipped: SearchIndex) -> None:
    for query in ("목이 따가워요", "인후통", "喉嚨痛"):
        assert shipped.search(query)[0].product.dosage_form in {"lozenges", "throat spray"}


def test_spellings_by_ear_and_plurals(shipped: SearchIndex) -> None:
    assert phonetic_key("amoksisilin") == phonetic_key("amoxicillin")
    assert "amoxicillin" in shipped.search("amoksisilin")[0].product.ingredient_names
    assert ids(shipped, "condon", 1)[0] in {"condoms-12", "durex-condoms-12"}
    assert ids(shipped, "vit d3 1000iu", 1) == ["colecalciferol-1000iu-softcap"]
    assert shipped.search("upset tummy")[0].product.id not in {"loperamide-2mg-cap-6", "imodium-2mg"}
