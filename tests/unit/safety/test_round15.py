"""Round 15 mechanisms: overdoses already taken, sudden confusion in older people, weight, stated
doses and strengths, duration of use (each with wording other than the round-15 cases' own)."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety import check
from medrush.safety.dosing import (
    body_weight_kg,
    days_a_month,
    named_strength_mg,
    stated_mg_a_day,
    stated_regimen,
    used_days,
)
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import ADULT, aged, red_flag_codes

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)
OLDER = aged(81)


@pytest.mark.parametrize(
    "text",
    [
        "my daughter drank half the bottle of infant Tylenol while I was cooking",
        "he finished a whole bottle of cough syrup",
        "아이가 해열제 시럽 한 병을 다 마셔버렸어요",
        "감기약 한 통을 먹었어요 방금",
    ],
)
def test_an_overdose_already_taken_is_an_emergency(text: str) -> None:
    assert "overdose_poisoning" in red_flag_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "drank a bottle of water after the run",
        "I took 2 tablets this morning and the pain is better",
        "물 한 병을 다 마셨어요",
        "맥주 한 병 마셨어요",
        "bought a new bottle of children's Tylenol",
    ],
)
def test_a_bottle_of_a_drink_or_a_normal_dose_is_not_an_overdose(text: str) -> None:
    assert "overdose_poisoning" not in red_flag_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Grandma became suddenly confused last night and keeps calling me by the wrong name",
        "new confusion since this morning",
        "外公昨天突然说胡话，认不出人",
        "할아버지가 오늘 갑자기 횡설수설하세요",
    ],
)
def test_sudden_confusion_in_an_older_person_is_an_emergency(text: str) -> None:
    assert "delirium" in red_flag_codes(text, OLDER)


@pytest.mark.parametrize(
    "text",
    [
        "she has been forgetful for years, can I get something for her cold?",
        "I am confused about the dose on the box",
        "he suddenly got confused by the label, which tablet is it?",
        "奶奶记性一直不好，想买点感冒药",
        "할머니가 건망증이 좀 있으세요",
    ],
)
def test_long_forgetfulness_or_confusion_about_a_label_is_not_delirium(text: str) -> None:
    assert "delirium" not in red_flag_codes(text, OLDER)


def test_sudden_confusion_needs_an_older_person_for_delirium() -> None:
    assert "delirium" not in red_flag_codes("suddenly got confused", ADULT)


def test_sudden_confusion_with_fever_is_sepsis_at_any_age() -> None:
    assert "sepsis" in red_flag_codes("she suddenly went confused and has a high fever", ADULT)


# --- amounts read from the text (medrush.safety.dosing) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("he is 2 and weighs about 12.5 kg", 12.5),
        ("toddler, 11kg, teething", 11.0),
        ("weight 9 kilos, fever", 9.0),
        ("宝宝两岁，体重13千克", 13.0),
        ("女儿体重26斤，发烧", 13.0),
        ("아들 몸무게 15킬로 정도예요", 15.0),
        ("딸 12 kg, 열나요", 12.0),
    ],
)
def test_a_body_weight_is_read(text: str, kg: float) -> None:
    assert body_weight_kg(text) == kg


@pytest.mark.parametrize(
    "text",
    [
        "I have lost 6 kg without trying",
        "最近体重减了4公斤",
        "체중이 3kg 빠졌어요",
        "a 500 mg tablet",
        "no weight given",
    ],
)
def test_a_weight_change_or_no_weight_is_not_a_body_weight(text: str) -> None:
    assert body_weight_kg(text) is None


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("I take 3 tablets every 6 hours", 12.0),
        ("two caplets four times a day", 8.0),
        ("10 tablets a day", 10.0),
        ("每次服2片，每天4次", 8.0),
        ("每隔4小时吃两片", 12.0),
        ("한 번에 3알씩 하루 4번 먹어요", 12.0),
        ("하루에 10알", 10.0),
    ],
)
def test_a_stated_regimen_is_read_as_units_a_day(text: str, units: float) -> None:
    found = stated_regimen(text)
    assert found is not None
    assert found.units_a_day == units


@pytest.mark.parametrize(
    "text",
    ["I took 2 this morning", "吃了两片", "어제 2알 먹었어요", "headache", "20 tablets left, twice a week"],
)
def test_a_dose_without_a_frequency_is_no_regimen(text: str) -> None:
    assert stated_regimen(text) is None


@pytest.mark.parametrize(
    ("query", "mg"),
    [
        ("Motrin 600 mg", 600.0),
        ("布洛芬 0.4g", 400.0),
        ("나프록센 500밀리그램", 500.0),
        ("Calpol 120 mg/5 ml", None),
    ],
)
def test_a_named_strength_is_read(query: str, mg: float | None) -> None:
    assert named_strength_mg(query) == mg


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("been using the spray daily for 5 weeks", 35.0),
        ("I have taken it every day for a fortnight", 14.0),
        ("已经连续吃了三个多月", 90.0),
        ("用了半个月了", 15.0),
        ("두 달째 매일 먹고 있어요", 60.0),
        ("보름째 뿌리고 있어요", 15.0),
    ],
)
def test_a_duration_of_use_is_read_in_days(text: str, days: float) -> None:
    found = used_days(text, of_use=True)
    assert found is not None
    assert found[0] == days


@pytest.mark.parametrize(
    "text",
    [
        "a cough for 3 weeks, want a spray",
        "my 3-year-old son",
        "twice a day",
        "咳嗽三个星期了",
        "기침이 2주째예요",
    ],
)
def test_an_illness_duration_or_an_age_is_not_a_duration_of_use(text: str) -> None:
    assert used_days(text, of_use=True) is None


def test_any_duration_counts_when_use_is_not_required() -> None:
    found = used_days("loose stools for 4 days", of_use=False)
    assert found is not None
    assert found[0] == 4.0


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("migraine pills on 16 days a month", 16.0),
        ("每个月有18天吃止痛药", 18.0),
        ("한 달에 15일 정도 먹어요", 15.0),
    ],
)
def test_days_a_month_are_read(text: str, days: float) -> None:
    found = days_a_month(text)
    assert found is not None
    assert found[0] == days


# --- context read from the text: alarm features beside heartburn, blood in the stool ------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("reflux, and lately it hurts when I swallow bread", None),
        ("indigestion and I have lost 8 kg since spring", "weight_loss"),
        ("heartburn with difficulty swallowing", "dyspepsia_alarm"),
        ("胃里反酸，吃饭咽不下", "dyspepsia_alarm"),
        ("속쓰림이 있는데 밥이 목에 걸려요", "dyspepsia_alarm"),
        ("dieting, lost 4 kg, heartburn after pizza", None),
        ("indigestion and I have lost weight, food gets stuck; I am on a diet", "dyspepsia_alarm"),
        ("diarrhoea with blood on the toilet paper", None),
        ("loose poo with blood in the poo", "stool_blood"),
        ("拉的大便带血", "stool_blood"),
        ("설사에 피가 섞여 나와요", "stool_blood"),
        ("no blood in the stool", None),
    ],
)
def test_alarm_words_are_read(text: str, code: str | None) -> None:
    found = read_context(KB, text)
    if code is None:
        assert not {"dyspepsia_alarm", "weight_loss", "stool_blood"} & found.keys()
    else:
        assert code in found


@pytest.mark.parametrize(
    "text",
    [
        "1-2 tablets every 4 hours, no more than 8 in 24 hours",
        "每4小时吃2片，一天最多8片",
        "한 번에 2알씩 4시간마다, 하루 최대 8알",
    ],
)
def test_a_stated_daily_cap_limits_the_regimen(text: str) -> None:
    found = stated_regimen(text)
    assert found is not None
    assert found.units_a_day == 8.0


def test_a_count_of_tablets_is_not_read_as_a_dose() -> None:
    found = stated_regimen("I have 20 tablets left and take one three times a day")
    assert found is not None
    assert found.units_a_day == 3.0


@pytest.mark.parametrize(
    "text",
    [
        "I take 3 tablets every 6 hours",
        "weighs 11 kg",
        "used it every night for 3 weeks",
        "painkillers on 18 days a month",
    ],
)
def test_a_second_order_line_never_lowers_an_amount_finding(ports: ProductListPorts, text: str) -> None:
    """The amounts read from the text keep the engine's rule that adding an item never lowers the level."""
    order = [{"medicine_id": "t-paracetamol-500"}, {"medicine_id": "z6-oxymetazoline-0-05pct-nasal"}]
    levels = []
    for items in (order[:1], order[1:], order):
        request = {"patient": {"age_years": 2 if "kg" in text else 40}, "items": items, "symptoms": text}
        levels.append(check(request, resolve=ports.resolve, get=ports.get, today=TODAY).level)
    rank = ["allow", "warn", "block", "emergency"]
    assert rank.index(levels[2]) >= max(rank.index(levels[0]), rank.index(levels[1]))
    assert levels[2] != "allow"


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("about 7.2 g of it a day", 7200.0),
        ("一天吃4.5克", 4500.0),
        ("하루 총 6000mg", 6000.0),
        ("500 mg tablets", None),
    ],
)
def test_an_amount_a_day_is_read(text: str, mg: float | None) -> None:
    found = stated_mg_a_day(text)
    assert (found[0] if found else None) == mg
