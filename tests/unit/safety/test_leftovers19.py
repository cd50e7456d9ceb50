"""Round 19 leftovers: a due date or last period in digits only, another woman's pregnancy when the medicine
is for her, and a liquid regimen in ml summed over the day (each with wording other than the cases' own)."""

from __future__ import annotations

from datetime import date

import pytest

from medrush.safety.dosing import (
    _DIGIT_DATE,
    digit_date_readings,
    medicine_for_her,
    pregnancy_said,
    stated_ml_a_day,
)
from medrush.safety.text import normalise

TODAY = date(2026, 11, 23)


def readings(said: str, *, future: bool, month_first: bool) -> list[date]:
    m = _DIGIT_DATE.search(said)
    assert m is not None
    return digit_date_readings(m, TODAY, future=future, month_first=month_first)


def test_digit_date_readings() -> None:
    assert readings("20/1", future=True, month_first=False) == [date(2027, 1, 20)]
    assert readings("1/20/27", future=True, month_first=False) == [date(2027, 1, 20)]
    assert readings("3/2", future=True, month_first=False) == [date(2027, 2, 3), date(2027, 3, 2)]
    assert readings("3/2", future=True, month_first=True) == [date(2027, 3, 2)]
    assert readings("2027.2.3", future=True, month_first=False) == [date(2027, 2, 3)]
    assert readings("10/3", future=False, month_first=True) == [date(2026, 10, 3)]
    assert readings("31/31", future=True, month_first=False) == []


@pytest.mark.parametrize("said", ["1.5 weeks", "2.5 ml", "3:10", "1/2 tablet"])
def test_no_digit_date(said: str) -> None:
    m = _DIGIT_DATE.search(said)
    assert m is None or said == "1/2 tablet"


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("baby due 15/2, sore throat", 28),
        ("my EDD is 2027-02-15", 28),
        ("预产期是2027.2.15，感冒了", 28),
        ("출산 예정일이 2/15인데 감기 기운이 있어요", 28),
        ("im due 2/3, headache", None),  # 2 March or 3 February: both plausible, weeks unknown
    ],
)
def test_due_date_in_digits(text: str, weeks: int | None) -> None:
    said = pregnancy_said(text, TODAY)
    assert said is not None and said[1] == weeks


@pytest.mark.parametrize(
    "text",
    ["invoice due 15/2", "my flight is on 15/2, headache", "2/15 병원 예약", "末次月经10/3，肚子疼"],
)
def test_digit_date_no_pregnancy(text: str) -> None:
    assert pregnancy_said(text, TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "my partner is 25 weeks pregnant, what can she take for a cold",
        "getting this for my wife, she is pregnant",
        "我媳妇怀孕6个月，她感冒了可以吃什么",
        "와이프가 임신 25주인데 감기약 먹어도 될까요",
    ],
)
def test_pregnancy_for_her(text: str) -> None:
    assert pregnancy_said(text, TODAY, hers_only=True) is not None
    assert pregnancy_said(text, TODAY) is not None


@pytest.mark.parametrize(
    "text",
    [
        "my partner is 25 weeks pregnant so I'm cooking for the family, I need something for a cold",
        "我媳妇怀孕6个月，我感冒了可以吃什么",
        "와이프가 임신 25주인데 제가 감기에 걸렸어요. 감기약 먹어도 될까요",
        "I'm 25 weeks pregnant",  # the one asking: not read for a profile that says male
    ],
)
def test_pregnancy_not_hers(text: str) -> None:
    assert pregnancy_said(text, TODAY, hers_only=True) is None


def test_medicine_for_her() -> None:
    assert medicine_for_her(normalise("can she take it"))
    assert not medicine_for_her(normalise("I'm staying with her"))
    assert not medicine_for_her(normalise("for my wife, and for myself"))
    text = normalise("아내가 임신 중인데 두통약 먹어도 되나요")
    assert medicine_for_her(text, text.index("인데"))


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("7.5ml씩 하루 3번", 22.5),
        ("每次8毫升，一天5次", 40.0),
        ("2 teaspoons three times a day", 30.0),
        ("10 ml every 6 hours", 40.0),
    ],
)
def test_ml_a_day(text: str, ml: float) -> None:
    said = stated_ml_a_day(text)
    assert said is not None and said[0] == ml


@pytest.mark.parametrize("text", ["10 ml each time", "100ml 한 병, 하루 3번", "一天4次"])
def test_no_ml_a_day(text: str) -> None:
    assert stated_ml_a_day(text) is None
