"""Round 16 mechanisms: negations inside the words of a context concept, a bottle of medicine drunk by a
child, liquid doses in ml against the per-kg table, native Korean and Chinese numerals in regimens, the
daily amount of two stated regimens, durations of sleep aids and redness eye drops, dysphagia with mineral
oil, a prescription strength of a PPI (each with wording other than the round-16 cases' own)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from medrush.safety import check
from medrush.safety.dosing import body_weight_kg, mg_per_ml, stated_ml_a_dose, stated_regimen, used_days
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.triage import PatientFacts, read_context
from tests.unit.safety.conftest import ADULT, aged, red_flag_codes

KB = load_knowledge_base()
CHILD = aged(3)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("大便没有血，就是次数多", "stool_blood"),
        ("拉的不带血丝", "stool_blood"),
        ("便便里没见血", "stool_blood"),
        ("there isn't any blood in the stool", "stool_blood"),
        ("변에 피는 안 나와요", "stool_blood"),
        ("혈변은 없어요", "stool_blood"),
        ("体重没有下降", "weight_loss"),
        ("人没瘦", "weight_loss"),
        ("체중은 안 빠졌어요", "weight_loss"),
        ("havent lost any weight", "weight_loss"),
        ("咽东西不疼", "dyspepsia_alarm"),
        ("no trouble swallowing", "dyspepsia_alarm"),
        ("삼키기 어렵지 않아요", "dyspepsia_alarm"),
    ],
)
def test_a_negated_mention_is_no_context(text: str, code: str) -> None:
    assert code not in read_context(KB, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("大便里有血", "stool_blood"),
        ("拉的带血丝", "stool_blood"),
        ("대변에 피가 섞여 나와요", "stool_blood"),
        ("体重掉了5斤", "weight_loss"),
        ("살이 3킬로 빠졌어요", "weight_loss"),
        ("咽东西有点疼", "dyspepsia_alarm"),
    ],
)
def test_the_same_words_without_a_negation_still_count(text: str, code: str) -> None:
    assert code in read_context(KB, text)


@pytest.mark.parametrize(
    "text",
    [
        "she got into the cupboard and gulped almost the whole bottle, seems totally fine",
        "he swallowed most of the bottle this morning",
        "宝宝喝了大半瓶，看着没事",
        "他把一瓶止咳糖浆差不多喝光了",
        "한 병을 다 마셔버렸어요",
        "she got into the medicine and had nearly the whole bottle",
        "시럽 한 병을 거의 다 먹었어요",
    ],
)
def test_a_bottle_drunk_nearly_whole_by_a_young_child_is_an_emergency(text: str) -> None:
    assert "overdose_poisoning" in red_flag_codes(text, CHILD)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter drank nearly the whole bottle of infant tylenol",
        "아이가 감기약 시럽을 거의 다 마셨어요",
    ],
)
def test_a_child_who_drank_a_named_medicine_is_an_emergency_at_any_profile_age(text: str) -> None:
    assert "overdose_poisoning" in red_flag_codes(text, ADULT)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("he drank nearly the whole bottle of milk", CHILD),
        ("喝了大半瓶水", CHILD),
        ("우유를 거의 다 마셨어요", CHILD),
        ("I drank nearly the whole bottle last night", ADULT),
        ("he didnt drink the bottle", CHILD),
        ("he finished his bottle and then had a fever", CHILD),
        ("she had the bottle at bedtime", CHILD),
        ("宝宝的汤都喝完了", CHILD),
    ],
)
def test_a_drink_or_an_adult_bottle_is_no_overdose(text: str, facts: PatientFacts) -> None:
    assert "overdose_poisoning" not in red_flag_codes(text, facts)


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("giving 7.5 ml every 6 hours", 7.5),
        ("每次喂10毫升", 10.0),
        ("5ml씩 먹여요", 5.0),
        ("3밀리 먹였어요", 3.0),
        ("two teaspoons at bedtime", 10.0),
        ("一次2茶匙", 10.0),
        ("the 120mg/5ml one, 100 ml bottle", None),
        ("100毫升一瓶的", None),
        ("children's tylenol 160 mg / 5 ml, she is 10 kg", None),
        ("160 mg per 5 ml, giving 5 ml", 5.0),
    ],
)
def test_a_liquid_dose_in_ml_or_teaspoons(text: str, ml: float | None) -> None:
    said = stated_ml_a_dose(text)
    assert (said[0] if said else None) == ml


@pytest.mark.parametrize(
    ("strength", "unit", "per_ml"),
    [
        (100.0, "mg/5ml", 20.0),
        (40.0, "mg/ml", 40.0),
        (160.0, "mg/5 ml", 32.0),
        (500.0, "mg", None),
        (1.0, "%", None),
    ],
)
def test_the_concentration_of_a_liquid(strength: float, unit: str, per_ml: float | None) -> None:
    assert mg_per_ml(strength, unit) == per_ml


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("女儿两岁半，26斤，发烧", 13.0),
        ("宝宝8个月18斤", 9.0),
        ("孩子现在30斤左右", 15.0),
        ("买了2斤苹果", None),
        ("孩子最近瘦了3斤", None),
    ],
)
def test_a_weight_in_jin_beside_a_child(text: str, kg: float | None) -> None:
    assert body_weight_kg(text) == kg


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("have used it every night since last month", 30.0),
        ("从上个月开始每天吃", 30.0),
        ("지난달부터 매일 먹어요", 30.0),
        ("taking it nightly since about August", 98.0),
        ("从9月开始一直在吃", 68.0),
        ("10월부터 계속 먹고 있어요", 37.0),
        ("taking it since December", None),  # the current month: no length can be read
        ("a cough since last month", None),  # not said of the medicine
    ],
)
def test_a_start_said_instead_of_a_length(text: str, days: float | None) -> None:
    said = used_days(text, of_use=True, today=date(2026, 12, 7))
    assert (said[0] if said else None) == days


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("세 알씩 하루에 두 번", 6.0),
        ("한 알씩 하루 네 번", 4.0),
        ("하루 다섯 병", 5.0),
        ("每次两粒，一天三四次", 8.0),
        ("一天喝三瓶", 3.0),
    ],
)
def test_native_numerals_in_a_regimen(text: str, units: float) -> None:
    regimen = stated_regimen(text)
    assert regimen is not None and regimen.units_a_day == units


def _codes(ports: ProductListPorts, request: Mapping[str, object]) -> tuple[str, set[str]]:
    result = check(request, resolve=ports.resolve, get=ports.get, today=date(2026, 12, 7))
    return result.level, {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("布洛芬混悬液", "suspension"),
        ("ibuprofen syrup for kids", "suspension"),
        ("이부프로펜 시럽", "suspension"),
        ("布洛芬滴剂", "drops"),
    ],
)
def test_a_query_naming_a_form_resolves_to_that_form(ports: ProductListPorts, query: str, form: str) -> None:
    product = ports.resolve(query)
    assert product is not None and product.dosage_form is not None and form in product.dosage_form


def test_two_stated_regimens_add_up_over_the_daily_maximum(ports: ProductListPorts) -> None:
    items = [{"query": "Tylenol 500"}, {"medicine_id": "z4-lemsip-max-cold-flu-caps"}]
    over = "Tylenol 2 tablets 3 times a day, and Lemsip 2 capsules 3 times a day"
    under = "Tylenol 1 tablet 3 times a day, and Lemsip 1 capsule twice a day"
    level, codes = _codes(ports, {"patient": {"age_years": 40}, "items": items, "symptoms": over})
    assert level == "block" and "stated_dose_above_max" in codes
    level, codes = _codes(ports, {"patient": {"age_years": 40}, "items": items, "symptoms": under})
    assert "stated_dose_above_max" not in codes


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("trouble sleeping, I have taken one nightly for a month", True),
        ("잠이 안 와서 한 달째 먹고 있어요", True),
        ("for my allergies I have taken it for a month", False),
        ("taken it 5 nights for sleep", False),
    ],
)
def test_a_sleep_aid_beyond_two_weeks_when_sleep_is_said(
    ports: ProductListPorts, text: str, fires: bool
) -> None:
    request = {
        "patient": {"age_years": 45},
        "items": [{"medicine_id": "t-diphenhydramine-25"}],
        "symptoms": text,
    }
    assert ("long_use" in _codes(ports, request)[1]) is fires


@pytest.mark.parametrize(
    ("patient", "text", "level"),
    [
        ({"age_years": 80, "conditions": ["swallowing difficulties"]}, "constipated", "block"),
        ({"age_years": 80}, "he coughs when drinking water and is constipated", "block"),
        ({"age_years": 80}, "外婆卧床不起，便秘", "block"),
        ({"age_years": 80}, "constipated, otherwise well", "allow"),
    ],
)
def test_oral_mineral_oil_with_a_risk_of_aspiration(
    ports: ProductListPorts, patient: dict[str, object], text: str, level: str
) -> None:
    request = {"patient": patient, "items": [{"medicine_id": "t-mineral-oil"}], "symptoms": text}
    assert _codes(ports, request)[0] == level
