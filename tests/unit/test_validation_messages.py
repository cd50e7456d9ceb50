"""Pydantic's validation errors in the reader's language: a template per error type filled with the
error's limits, English left exactly as pydantic words it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core._pydantic_core import list_all_errors

from medrush.web.validation import TEMPLATES, translate_error


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=5)
    quantity: int = Field(ge=1, le=20)
    share: float = Field(gt=0, lt=1)
    decision: Literal["approve", "reject"]
    profile_id: uuid.UUID
    day: date
    on_duty: bool
    items: list[str] = Field(max_length=2)
    code: str = Field(pattern=r"^[A-Z]{3}$")
    note: str = ""

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        if value == "catalogue":
            raise ValueError("give both lat and lng, or neither")  # a msgid of the catalogues
        if value:
            raise ValueError("notes are not read")
        return value


def _errors(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data)
    return {".".join(str(p) for p in e["loc"]): dict(e) for e in caught.value.errors()}


BAD = {
    "name": "x" * 6,
    "quantity": "many",
    "share": 1,
    "decision": "maybe",
    "profile_id": "not-a-uuid",
    "day": "tomorrow",
    "on_duty": "perhaps",
    "items": ["a", "b", "c"],
    "code": "cny",
    "note": "catalogue",
    "colour": "red",
}


def test_each_kind_is_translated_around_its_limits() -> None:
    errors = _errors(BAD)
    zh = {where: translate_error(e, "zh") for where, e in errors.items()}
    assert zh == {
        "name": "最多只能有 5 个字符",
        "quantity": "应为有效的整数",
        "share": "应小于 1",
        "decision": "取值应为 'approve' or 'reject'",
        "profile_id": "应为有效的 UUID",
        "day": "应为 YYYY-MM-DD 格式的有效日期",
        "on_duty": "应为 true 或 false",
        "items": "最多只能有 2 项，而不是 3 项",
        "code": "格式不正确，应符合 '^[A-Z]{3}$'",
        "note": "lat 和 lng 须同时填写或同时留空",
        "colour": "不允许多余的字段",
    }
    ko = {where: translate_error(e, "ko") for where, e in _errors({"name": "x", "quantity": 0}).items()}
    assert ko["name"] == "2자 이상이어야 합니다"
    assert ko["quantity"] == "1 이상이어야 합니다"
    assert ko["decision"] == "필수 항목입니다"


def test_english_is_pydantic_s_own_text() -> None:
    for error in [*_errors(BAD).values(), *_errors({}).values()]:
        assert translate_error(error, "en") == error["msg"]
    assert translate_error(_errors({})["name"], "en") == "Field required"


def test_our_validators_texts_are_translated_only_when_they_are_msgids() -> None:
    not_a_msgid = _errors({**BAD, "note": "hello"})["note"]
    assert translate_error(not_a_msgid, "zh") == "Value error, notes are not read"


def test_a_kind_without_template_or_value_stays_in_english() -> None:
    unknown = {
        "type": "url_parsing",
        "msg": "Input should be a valid URL, empty input",
        "ctx": {"error": "x"},
    }
    assert translate_error(unknown, "zh") == "Input should be a valid URL, empty input"
    no_length = {"type": "too_long", "msg": "List should have at most 2 items", "ctx": {"max_length": 2}}
    assert translate_error(no_length, "ko") == "List should have at most 2 items"


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_templates_name_pydantic_s_types_and_their_context(kind: str) -> None:
    examples = {e["type"]: e.get("example_context") or {} for e in list_all_errors()}
    assert kind in examples
    TEMPLATES[kind].format(**examples[kind])  # every field is one pydantic gives this kind


async def test_the_courier_socket_words_a_bad_position_in_the_reader_s_language() -> None:
    from medrush.accounts import Actor
    from medrush.web.api.v1.dispatch import _ws_ping

    raw = '{"type": "location", "lat": 100, "lng": 0}'
    assert await _ws_ping(Actor(None), raw, "zh") == {
        "type": "error",
        "message": "bad position: lat: 应小于或等于 90",
    }
    english = await _ws_ping(Actor(None), raw, "en")
    assert english["message"] == "bad position: lat: Input should be less than or equal to 90"


def _first(model: type[BaseModel], data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return dict(caught.value.errors()[0])


def test_our_validators_templates_are_translated_around_their_values() -> None:
    from medrush.accounts.schemas import ProfileIn
    from medrush.safety.schemas import SafetyRequest

    sex = _first(SafetyRequest, {"patient": {"sex": "xyz"}})
    assert sex["msg"] == "Value error, expected female, male, other or unknown (got 'xyz')"
    assert translate_error(sex, "en") == sex["msg"]
    assert translate_error(sex, "zh") == "应为 female、male、other 或 unknown（收到 'xyz'）"
    assert translate_error(sex, "ko") == "female, male, other 또는 unknown이어야 합니다 (입력값: 'xyz')"
    item = _first(SafetyRequest, {"items": [5]})
    assert translate_error(item, "zh") == "应为包含 query 或 medicine_id 以及 quantity 的对象（收到 5）"
    packs = _first(SafetyRequest, {"items": [{"query": "aspirin", "quantity": "2.5 boxes"}]})
    assert translate_error(packs, "ko") == "포장 수량은 정수여야 합니다 (입력값: '2.5 boxes')"
    months = _first(SafetyRequest, {"patient": {"ageMonths": "six"}})
    assert months["msg"] == "Value error, age_months: expected a number (got 'six')"
    assert translate_error(months, "zh") == "age_months：应为数字（收到 'six'）"
    born = _first(ProfileIn, {"name": "Mia", "birth_date": "2999-01-01", "sex": "female"})
    assert born["msg"] == "Value error, birth date is in the future"
    assert (translate_error(born, "zh"), translate_error(born, "ko")) == (
        "出生日期不能晚于今天",
        "생년월일이 미래 날짜입니다",
    )


def test_every_invalid_value_of_the_safety_request_reads_in_chinese_and_korean() -> None:
    from medrush.safety.schemas import SafetyRequest

    bad = [
        {"patient": {"age_years": "old"}},
        {"patient": {"age_years": [1]}},
        {"patient": {"pregnant": "maybe"}},
        {"patient": {"pregnancy_weeks": "many"}},
        {"patient": {"pregnancy_weeks": []}},
        {"patient": {"allergies": [{"name": "penicillin"}]}},
        {"patient": {"allergies": 7}},
        {"patient": {"conditions": ["x" * 201]}},
        {"patient": 3},
        {"items": [{"quantity": 1}]},
        {"items": [{"query": "aspirin", "quantity": 1.5}]},
        {"prescriptions": [{"status": "approved"}]},
        {"symptoms": {"text": "fever"}},
        {"lang": 1},
    ]
    for data in bad:
        error = _first(SafetyRequest, data)
        assert error["type"] == "value_error", data
        english = error["msg"].removeprefix("Value error, ")
        for lang in ("zh", "ko"):
            shown = translate_error(error, lang)
            assert shown != error["msg"], (data, lang)
            assert not shown.startswith("Value error"), (data, lang)
            # the value the reader sent is in the message, written as in English
            got = english.rpartition("(got ")[2].removeprefix("an entry ").removesuffix(")")
            if "(got " in english:
                assert got in shown, (data, lang, shown)


def test_a_translation_of_a_validator_message_that_lost_its_value_stays_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medrush.kernel import errors
    from medrush.safety.schemas import SafetyRequest

    monkeypatch.setattr(errors, "gettext", lambda lang, message: "坏了 {other}")
    sex = _first(SafetyRequest, {"patient": {"sex": "xyz"}})
    assert translate_error(sex, "zh") == "Value error, expected female, male, other or unknown (got 'xyz')"
