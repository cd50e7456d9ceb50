"""Round 18 mechanisms: coughing up blood as its own red flag, self-harm said indirectly (no longer a burden,
a last goodbye) beside tablets collected over time or an order of three or more packs, misspelt names in an
order line, bladder outflow symptoms and nocturia as conditions, saline and lubricant eye drops by their
everyday names and the route a query names (each with wording other than the round-18 cases' own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.catalog.products import Product
from medrush.safety import check
from medrush.safety.cases import load_product_files
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.triage import PatientFacts, detect_red_flags
from tests.unit.safety.conftest import make_product

KB = load_knowledge_base()
FIXTURES = Path(__file__).resolve().parents[2] / "cases" / "safety" / "catalog"
PORTS = ProductListPorts(load_product_files(FIXTURES))


def flags(text: str, packs: int = 1) -> list[str]:
    facts = PatientFacts(age_years=40, pregnant=False, conditions=frozenset(), packs=packs)
    return [h.code for h in detect_red_flags(KB, text, facts)]


@pytest.mark.parametrize(
    "text",
    [
        "coughed up a mouthful of blood an hour ago",
        "blood comes up every time I cough",
        "my sputum is streaked with blood",
        "咳嗽的时候带出来好多血",
        "痰里有血丝",
        "기침하면 피가래가 나와요",
        "기침 끝에 핏덩어리가 나왔어요",
    ],
)
def test_coughing_up_blood_is_an_emergency(text: str) -> None:
    assert "haemoptysis" in flags(text)


@pytest.mark.parametrize(
    "text",
    [
        "coughing, no blood in the sputum",
        "coughing for days, blood sugar fine",
        "bloody awful cough",
        "咳嗽，痰里没有血",
        "咳嗽三天，抽血化验正常",
        "가래에 피는 없어요",
        "기침해서 피곤해요",
    ],
)
def test_coughs_without_blood_are_not(text: str) -> None:
    assert "haemoptysis" not in flags(text)


@pytest.mark.parametrize(
    ("text", "packs"),
    [
        ("been collecting them for months. nobody will have to worry about me anymore", 1),
        ("I won't be a problem for anyone after tonight", 4),
        ("这些药我偷偷攒了好几个月，以后再也不会麻烦任何人了", 1),
        ("以后不会再给家人添麻烦了", 3),
        ("틈틈이 모아 둔 약이 있어요. 이제 누구한테도 부담 주지 않을 거예요", 1),
        ("이제 가족한테 짐이 되지 않을 거예요", 5),
    ],
)
def test_indirect_self_harm_beside_collected_tablets_or_many_packs(text: str, packs: int) -> None:
    assert "suicidal_intent" in flags(text, packs)


@pytest.mark.parametrize(
    ("text", "packs"),
    [
        ("I won't be a problem for anyone after tonight", 1),
        ("after the operation I won't be a burden to my family anymore", 2),
        ("said goodbye to everyone at the office, moving abroad", 4),
        ("collecting stamps for months", 1),
        ("以后不会再给家人添麻烦了", 2),
        ("跟大家告别了，下周出国", 3),
        ("용돈을 조금씩 모았어요", 1),
        ("이제 가족한테 짐이 되지 않을 거예요", 1),
        ("다들 잘 지내요? 세 통 주세요", 3),
    ],
)
def test_the_same_words_alone_or_with_an_ordinary_order_are_not(text: str, packs: int) -> None:
    assert "suicidal_intent" not in flags(text, packs)


def _check(**request: object) -> tuple[str, list[str]]:
    result = check(request, resolve=PORTS.resolve, get=PORTS.get, jurisdiction="generic")
    return result.level, [f.code for f in result.findings]


def test_a_misspelt_order_line_is_read_and_checked_as_the_product() -> None:
    level, codes = _check(
        patient={"age_years": 50, "current_medications": ["lithium 400 mg"]},
        items=[{"query": "naproxin", "quantity": 1}],
    )
    assert level == "block"
    assert "interaction" in codes and "medicine_read_as" in codes and "unknown_item" not in codes


def test_a_misspelling_close_to_two_names_stays_unknown() -> None:
    level, codes = _check(patient={"age_years": 50}, items=[{"query": "advir", "quantity": 1}])
    assert (level, codes) == ("warn", ["unknown_item"])


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ("poor stream and dribbling, terminal dribbling", "urinary_outflow"),
        ("排尿费力", "urinary_outflow"),
        ("소변 보기 어렵고 잔뇨감", "urinary_outflow"),
        ("up several times a night", "nocturia"),
        ("晚上起夜三次", "nocturia"),
        ("자다가 화장실 가요", "nocturia"),
    ],
)
def test_urinary_symptoms_are_conditions(entry: str, code: str) -> None:
    assert KB.condition_term(entry).value == code


@pytest.mark.parametrize("entry", ["burning when passing urine", "尿痛", "wakes 3 times a night with cramps"])
def test_other_urinary_or_night_words_are_not(entry: str) -> None:
    assert KB.condition_term(entry).kind == "unknown"


def _product(pid: str, name: str, ingredient: str, form: str, strength: float | None = None) -> Product:
    unit = "%" if strength is not None else None
    return make_product(
        pid, (ingredient, strength, unit), name_en=name, name_zh=name, name_ko=name, dosage_form=form
    )


def test_a_query_naming_the_nose_or_the_eye_prefers_that_route() -> None:
    ports = ProductListPorts(
        [
            _product("a-saline-eye", "Saline eye drops", "sodium chloride", "eye drops"),
            _product("b-saline-nose", "Sea water spray", "sodium chloride", "nasal spray"),
        ]
    )
    assert (hit := ports.resolve("saline nasal spray")) is not None and hit.id == "b-saline-nose"
    assert (hit := ports.resolve("식염수 스프레이")) is not None and hit.id == "b-saline-nose"
    assert (hit := ports.resolve("生理盐水滴眼液")) is not None and hit.id == "a-saline-eye"


def test_a_name_followed_only_by_a_strength_names_the_one_product() -> None:
    ports = ProductListPorts([_product("x-1", "Testium soothing lotion 8%", "testium", "lotion", 8.0)])
    assert (hit := ports.resolve("testium soothing lotion")) is not None and hit.id == "x-1"
    two = ProductListPorts(
        [
            _product("x-1", "Testium soothing lotion 8%", "testium", "lotion", 8.0),
            _product("x-2", "Testium soothing lotion 15%", "testium", "lotion", 15.0),
        ]
    )
    assert two.resolve("testium soothing lotion") is None
