"""Properties of the engine: monotone in risk, independent of item order, emergencies always win."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medrush.safety import LEVELS, check
from medrush.safety.cases import suite_ports
from tests.unit.safety.conftest import CASES_DIR

PORTS = suite_ports(CASES_DIR)
PRODUCT_IDS = PORTS.ids()
ALLERGIES = [
    "penicillin",
    "aspirin",
    "ibuprofen",
    "NSAIDs",
    "sulfa",
    "青霉素",
    "codeine",
    "peanuts",
    "cephalosporins",
]
CONDITIONS = [
    "hypertension",
    "I10",
    "asthma",
    "K25",
    "liver disease",
    "신부전",
    "glaucoma",
    "BPH",
    "epilepsy",
    "糖尿病",
]
MEDICATIONS = [
    "warfarin",
    "sertraline",
    "phenelzine",
    "lithium",
    "华法林",
    "isosorbide mononitrate",
    "diazepam",
    "methotrexate",
]
EMERGENCIES = [
    "crushing chest pain",
    "我想死",
    "숨을 쉴 수 없어요",
    "face drooping and slurred speech",
    "吐血了",
]
TODAY = date(2026, 11, 23)

settings.register_profile(
    "safety", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("safety")

items = st.lists(
    st.builds(
        lambda pid, q: {"medicine_id": pid, "quantity": q}, st.sampled_from(PRODUCT_IDS), st.integers(1, 4)
    ),
    max_size=4,
)
patients = st.fixed_dictionaries(
    {
        "age_years": st.one_of(st.none(), st.sampled_from([0.1, 1, 5, 10, 15, 35, 80])),
        "pregnant": st.booleans(),
        "pregnancy_weeks": st.one_of(st.none(), st.integers(4, 40)),
        "breastfeeding": st.booleans(),
        "allergies": st.lists(st.sampled_from(ALLERGIES), max_size=2),
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=2),
        "current_medications": st.lists(st.sampled_from(MEDICATIONS), max_size=2),
    }
)


def level(request: dict[str, Any]) -> int:
    result = check(request, resolve=PORTS.resolve, get=PORTS.get, jurisdiction="generic", today=TODAY)
    return LEVELS.index(result.level)


def with_patient(patient: dict[str, Any], key: str, value: str) -> dict[str, Any]:
    return {**patient, key: [*patient[key], value]}


@given(patients, items, st.sampled_from(ALLERGIES))
def test_adding_an_allergy_never_lowers_the_level(
    patient: dict[str, Any], lines: list[Any], allergy: str
) -> None:
    before = level({"patient": patient, "items": lines})
    assert level({"patient": with_patient(patient, "allergies", allergy), "items": lines}) >= before


@given(patients, items, st.sampled_from(CONDITIONS))
def test_adding_a_condition_never_lowers_the_level(
    patient: dict[str, Any], lines: list[Any], term: str
) -> None:
    before = level({"patient": patient, "items": lines})
    assert level({"patient": with_patient(patient, "conditions", term), "items": lines}) >= before


@given(patients, items, st.sampled_from(MEDICATIONS), st.sampled_from(PRODUCT_IDS))
def test_adding_a_medicine_never_lowers_the_level(
    patient: dict[str, Any], lines: list[Any], current: str, extra: str
) -> None:
    before = level({"patient": patient, "items": lines})
    assert level({"patient": with_patient(patient, "current_medications", current), "items": lines}) >= before
    assert level({"patient": patient, "items": [*lines, {"medicine_id": extra}]}) >= before


@given(patients, items, st.randoms(use_true_random=False))
def test_item_order_does_not_change_the_result(patient: dict[str, Any], lines: list[Any], rnd: Any) -> None:
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert level({"patient": patient, "items": shuffled}) == level({"patient": patient, "items": lines})


@given(patients, items, st.sampled_from(EMERGENCIES))
def test_emergency_symptoms_always_give_emergency(
    patient: dict[str, Any], lines: list[Any], text: str
) -> None:
    assert LEVELS[level({"patient": patient, "items": lines, "symptoms": text})] == "emergency"


def test_a_stored_profile_becomes_the_patient_of_a_request() -> None:
    from datetime import date

    from medrush.accounts import PatientProfile
    from medrush.safety import patient_from_profile

    profile = PatientProfile(
        name="A",
        birth_date=date(1990, 6, 15),
        sex="female",
        pregnant=True,
        pregnancy_weeks=20,
        pregnancy_recorded_on=date(2026, 10, 1),
        breastfeeding=False,
        allergies=["penicillin"],
        conditions=["asthma"],
        current_medications=["warfarin"],
    )
    assert patient_from_profile(profile, date(2026, 11, 23)) == {
        "age_years": 36,
        "sex": "female",
        "pregnant": True,
        "pregnancy_weeks": 27,  # 53 days later the pregnancy is 7 weeks further on
        "breastfeeding": False,
        "allergies": ["penicillin"],
        "conditions": ["asthma"],
        "current_medications": ["warfarin"],
    }
