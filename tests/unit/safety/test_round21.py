"""Round 21 mechanisms: list entries cut inside brackets joined again, a stage of pregnancy said, a
tablet's name as the unit of a regimen, the context readers (chickenpox, signs of infection, a high blood
pressure reading, breastfeeding) and the sodium of effervescent forms (each with wording other than the
round-21 cases' own)."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety.dosing import pregnancy_said, stated_regimen
from medrush.safety.engine import _rejoin_brackets
from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.triage import read_context

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)


def test_entries_cut_inside_brackets_are_joined() -> None:
    assert _rejoin_brackets(["amoxicillin (dentist", "day 2 of 5)", "metformin"]) == [
        "amoxicillin (dentist, day 2 of 5)",
        "metformin",
    ]
    assert _rejoin_brackets(["aspirin (low dose", "metformin"]) == ["aspirin (low dose", "metformin"]
    assert _rejoin_brackets(["asthma", "high BP"]) == ["asthma", "high BP"]


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("怀孕六个半月了，牙疼", 28),
        ("孕晚期，最近失眠", 28),
        ("孕中期了，七个月，头疼", 30),
        ("임신 초기라서 걱정돼요", 10),
        ("애기 가진 지 3주 됐어요", 3),
        ("I'm now in my second trimester", None),
        ("I'm six months pregnant", 26),
    ],
)
def test_stage_of_pregnancy_said(text: str, weeks: int | None) -> None:
    said = pregnancy_said(text, TODAY)
    assert said is not None and said[0] is True and said[1] == weeks


@pytest.mark.parametrize(
    "text",
    [
        "我嫂子孕中期，我自己腰疼",
        "以前孕早期的时候吐得厉害，现在孩子三岁了",
        "아이를 가진 지 5년 만에 낳았어요",
        "I'm in the second trimester of the school year",
        "my friend is in her third trimester",
    ],
)
def test_no_stage_of_pregnancy(text: str) -> None:
    assert pregnancy_said(text, TODAY) is None


def test_tablet_name_as_the_unit() -> None:
    regimen = stated_regimen("been having 3 advil every 4 hours", ["Advil", "ibuprofen"])
    assert regimen is not None and regimen.units_a_day == 18
    assert stated_regimen("2 advil gel 3 times a day", ["Advil"]) is None


@pytest.mark.parametrize(
    ("text", "code", "present"),
    [
        ("my daughter has chicken pox and a temperature", "chickenpox", True),
        ("打过水痘疫苗了", "chickenpox", False),
        ("목이 따갑고 열이 나요", "infection_signs", True),
        ("no fever at all, just a backache", "infection_signs", False),
        ("my bp was 182/96 this morning", "high_bp_reading", True),
        ("早上量血压，高压168", "high_bp_reading", True),
        ("혈압은 정상이에요 130에 85", "high_bp_reading", False),
        ("키 175에 몸무게 100이에요", "high_bp_reading", False),
        ("exclusively breastfed, she is 6 weeks old", "breastfeeding_said", True),
        ("亲喂，宝宝两个月", "breastfeeding_said", True),
        ("분유만 먹여요", "breastfeeding_said", False),
    ],
)
def test_context_readers(text: str, code: str, present: bool) -> None:
    assert (code in read_context(KB, text)) is present


def test_sodium_forms() -> None:
    assert KB.is_sodium_form("effervescent tablets")
    assert KB.is_sodium_form("泡腾片")
    assert not KB.is_sodium_form("film-coated tablets")
