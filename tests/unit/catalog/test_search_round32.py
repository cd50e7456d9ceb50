"""Round-32 gaps of catalog search on the shipped catalog: an antidepressant said in everyday words
(read like an SSRI: plain paracetamol first, the NSAIDs and aspirin last), "af" as slang after an
adjective (no atrial fibrillation), the blue inhaler, a receding hairline, anaemic, 伟哥 and a water
infection, sticky phlegm in the throat, hand disinfection, a discharging ear (and 나요 alone no fever),
glucosamine (not carried), first aid beside an angina or asthma attack, the word antibiotic beside a
cystitis, a urine infection in pregnancy (nitrofurantoin first), chronic kidney disease with a pain
(paracetamol first), heartburn in pregnancy (no aluminium antacid first), a sodium antacid with heart
failure (last), hives (a non-sedating tablet first) and a smelly discharge (bacterial vaginosis). The
queries here are other wordings, not the round-32 set's own.
"""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import (
    NSAIDS,
    all_after,
    ingredients,
    paracetamol_first_and_last,
    plain_paracetamol,
    product_of,
    top_ids,
)

from medrush.catalog.search import SearchIndex

ANTICOAGULANTS = {"apixaban", "rivaroxaban", "edoxaban", "dabigatran etexilate", "dabigatran", "warfarin"}


@pytest.mark.parametrize(
    "query",
    [
        "taking my depression meds, bad headache",
        "吃抑郁症的药 头疼吃什么",
        "우울증 약 먹고 있어요 머리 아파요",
    ],
)
def test_an_antidepressant_in_everyday_words_puts_paracetamol_first_and_nsaids_last(
    shipped: SearchIndex, query: str
) -> None:
    paracetamol_first_and_last(shipped, query, NSAIDS)


@pytest.mark.parametrize(
    "query", ["itchy af mosquito bites", "so bloated af after dinner", "sneezy af hayfever"]
)
def test_af_after_an_adjective_is_no_atrial_fibrillation(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 30)
    assert ids, query
    assert not any(ingredients(shipped, pid) & ANTICOAGULANTS for pid in ids), (query, ids)


@pytest.mark.parametrize("query", ["blood thinner for af", "newly diagnosed af anticoagulant"])
def test_af_as_the_condition_still_finds_the_anticoagulants(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 5)
    assert ids and ingredients(shipped, ids[0]) & ANTICOAGULANTS, (query, ids)


@pytest.mark.parametrize("query", ["wheezy, need my blue puffer", "reliever inhaler please"])
def test_the_blue_or_reliever_inhaler_is_salbutamol(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and "salbutamol" in ingredients(shipped, ids[0]), (query, ids)


@pytest.mark.parametrize("query", ["going bald, any tablets", "发际线后移 吃什么药", "머리가 빠져요 먹는 약"])
def test_a_receding_hairline_finds_finasteride(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] == "finasteride-1mg-tab", (query, ids)


@pytest.mark.parametrize("query", ["gp says im anaemic, what tablets", "feeling anemic, iron pills"])
def test_anaemic_finds_iron(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ingredients(shipped, ids[0]) & {"ferrous sulfate", "ferrous succinate"}, (query, ids)


@pytest.mark.parametrize("query", ["伟哥", "偉哥 多少钱"])
def test_weige_is_viagra(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] == "viagra-100mg", (query, ids)


@pytest.mark.parametrize("query", ["weight loss", "water purification tablets"])
def test_the_slang_words_do_not_leak_into_others(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 10)
    assert not any("sildenafil" in ingredients(shipped, pid) for pid in ids), (query, ids)
    assert not any((product_of(shipped, pid).atc or "").startswith("J01") for pid in ids), (query, ids)


@pytest.mark.parametrize("query", ["嗓子里有痰 很黏", "痰很黏咳不出来", "thick sticky phlegm in my throat"])
def test_phlegm_in_the_throat_puts_the_mucolytics_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    mucolytics = {"ambroxol", "acetylcysteine", "bromhexine", "carbocisteine", "guaifenesin", "erdosteine"}
    assert ids and all(ingredients(shipped, pid) & mucolytics for pid in ids), (query, ids)


@pytest.mark.parametrize("query", ["손소독 뭐 써요", "disinfect my hands", "手部消毒用什么"])
def test_hand_disinfection_finds_the_hand_sanitiser(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert "hand-sanitiser-gel-70pct" in ids, (query, ids)


@pytest.mark.parametrize("query", ["귀에서 고름 나와요", "耳朵流脓 用什么药", "discharge from my ear"])
def test_a_discharging_ear_finds_the_ear_drops(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] == "ofloxacin-0-3pct-eardrops", (query, ids)


@pytest.mark.parametrize("query", ["글루코사민", "glucosamine tablets", "氨基葡萄糖"])
def test_glucosamine_is_not_carried(shipped: SearchIndex, query: str) -> None:
    assert top_ids(shipped, query, 10) == [], query


@pytest.mark.parametrize("query", ["협심증 발작 응급약", "angina attack first aid", "心绞痛 急救"])
def test_first_aid_beside_an_angina_attack_is_the_rescue_medicine(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ids[0] in {"nitroglycerin-0-5mg-tab", "suxiao-jiuxin-wan"}, (query, ids)


@pytest.mark.parametrize("query", ["asthma attack first aid", "哮喘发作 急救", "천식 발작"])
def test_an_asthma_attack_puts_the_reliever_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and "salbutamol" in ingredients(shipped, ids[0]), (query, ids)


@pytest.mark.parametrize("query", ["bladder infection antibiotic", "尿路感染 抗生素", "방광염 항생제"])
def test_the_word_antibiotic_beside_a_cystitis_keeps_its_own_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and ingredients(shipped, ids[0]) & {"nitrofurantoin", "fosfomycin"}, (query, ids)


@pytest.mark.parametrize(
    "query", ["pregnant with a water infection", "怀孕 尿路感染 抗生素", "임신 중 방광염 항생제"]
)
def test_a_urine_infection_in_pregnancy_puts_nitrofurantoin_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 5)
    assert ids and ids[0] == "nitrofurantoin-100mg-cap", (query, ids)


@pytest.mark.parametrize(
    "query", ["ckd lower back pain", "renal failure, back pain", "신장 안 좋은데 허리 아파요"]
)
def test_kidney_disease_with_a_pain_puts_plain_paracetamol_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 5)
    assert ids and plain_paracetamol(shipped, ids[0]), (query, ids)


@pytest.mark.parametrize("query", ["heartburn at 30 weeks pregnant", "임신 중 속쓰림", "孕晚期 烧心"])
def test_heartburn_in_pregnancy_puts_no_aluminium_antacid_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    aluminium = {"aluminium hydroxide", "aluminium phosphate", "hydrotalcite", "magaldrate"}
    assert ids and not ingredients(shipped, ids[0]) & aluminium, (query, ids)


@pytest.mark.parametrize("query", ["heart failure, heartburn", "心衰 烧心", "심부전 속쓰림 제산제"])
def test_heart_failure_puts_the_sodium_antacid_last(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 40)
    sodium = [bool(ingredients(shipped, pid) & {"sodium bicarbonate", "sodium alginate"}) for pid in ids]
    assert all_after(sodium), (query, ids)
    assert "gaviscon-liquid" not in ids[:10], (query, ids)


@pytest.mark.parametrize("query", ["두드러기 났어요", "came out in hives", "荨麻疹"])
def test_hives_put_a_non_sedating_tablet_first(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    non_sedating = {"loratadine", "desloratadine", "cetirizine", "levocetirizine", "fexofenadine", "ebastine"}
    assert ids and ingredients(shipped, ids[0]) & non_sedating, (query, ids)


@pytest.mark.parametrize("query", ["fishy smelling discharge", "白带有异味", "냉에서 냄새가 나요"])
def test_a_smelly_discharge_finds_metronidazole(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query, 3)
    assert ids and "metronidazole" in ingredients(shipped, ids[0]), (query, ids)
