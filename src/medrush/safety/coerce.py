"""Liberal reading of a safety request: the spellings an external caller plausibly sends.

The contract (``SafetyRequest``) is strict about meaning and liberal about form. Accepted where the
meaning is unambiguous: camelCase or spaced keys and a few common aliases (``age``, ``gender``,
``medications``, ``allergy``, ``age_months``...), ``null`` for any optional part, numbers written as
strings (``"2"``, ``"6 months"``, ``"34 weeks"``, ``"2岁"``, ``"7개월"``), sex in other spellings (``F``,
``Female``, ``女``, ``여성``), yes/no words for booleans (``"yes"``, ``"是"``, ``"예"``), a list field
given as one comma-separated string, an item given as a bare string, a missing or null quantity (1),
and symptoms as a list of strings. Unknown keys are ignored and reported (an ``info`` finding), never
fatal. Everything else (an age of "old", sex "xyz", quantity 0 or 2.5, a list field holding objects)
is refused with a message naming the field and the problem (an ``InvalidValue``: the 422 shows it in
the reader's language).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from medrush.kernel.errors import InvalidValue
from medrush.kernel.i18n import N_

__all__ = [
    "ITEM_ALIASES",
    "PATIENT_ALIASES",
    "REQUEST_ALIASES",
    "as_age_years",
    "as_bool",
    "as_lang",
    "as_pregnancy_weeks",
    "as_quantity",
    "as_sex",
    "as_symptoms",
    "as_term_list",
    "normalise_keys",
    "split_terms",
]

PATIENT_ALIASES: dict[str, str] = {
    "age": "age_years",
    "age_year": "age_years",
    "years": "age_years",
    "gender": "sex",
    "is_pregnant": "pregnant",
    "pregnancy": "pregnant",
    "pregnancy_week": "pregnancy_weeks",
    "weeks_pregnant": "pregnancy_weeks",
    "gestation_weeks": "pregnancy_weeks",
    "gestational_weeks": "pregnancy_weeks",
    "gestational_age_weeks": "pregnancy_weeks",
    "is_breastfeeding": "breastfeeding",
    "breast_feeding": "breastfeeding",
    "lactating": "breastfeeding",
    "nursing": "breastfeeding",
    "allergy": "allergies",
    "drug_allergies": "allergies",
    "condition": "conditions",
    "diagnoses": "conditions",
    "medical_conditions": "conditions",
    "current_medication": "current_medications",
    "current_meds": "current_medications",
    "medications": "current_medications",
    "medication": "current_medications",
    "medicines": "current_medications",
    "current_medicines": "current_medications",
    "meds": "current_medications",
}
# Converted, not just renamed: months and weeks of age become years.
_AGE_UNITS_KEYS: dict[str, float] = {"age_months": 12.0, "age_weeks": 52.0, "age_days": 365.0}

ITEM_ALIASES: dict[str, str] = {
    "name": "query",
    "product": "query",
    "product_name": "query",
    "medicine": "query",
    "medicine_name": "query",
    "drug": "query",
    "text": "query",
    "id": "medicine_id",
    "product_id": "medicine_id",
    "sku": "medicine_id",
    "qty": "quantity",
    "count": "quantity",
    "packs": "quantity",
}

REQUEST_ALIASES: dict[str, str] = {
    "profile": "patient",
    "patient_profile": "patient",
    "order": "items",
    "cart": "items",
    "medicines": "items",
    "products": "items",
    "symptom": "symptoms",
    "complaint": "symptoms",
    "chief_complaint": "symptoms",
    "language": "lang",
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _key(name: str) -> str:
    return _CAMEL.sub("_", name.strip()).lower().replace("-", "_").replace(" ", "_")


def normalise_keys(
    raw: dict[str, Any], known: Iterable[str], aliases: dict[str, str], where: str
) -> tuple[dict[str, Any], list[str]]:
    """Keys in snake case with aliases applied; returns the kept mapping and the ignored key paths.

    A canonical key wins over an alias of it (the alias is then reported as ignored). ``where`` is
    the path prefix used in the report ("patient.", "items.0.").
    """
    fields = set(known)
    out: dict[str, Any] = {}
    ignored: list[str] = []
    pending: list[tuple[str, str, Any]] = []
    for name, value in raw.items():
        key = _key(str(name))
        if key in fields:
            out[key] = value
        elif key in aliases or (where == "patient." and key in _AGE_UNITS_KEYS):
            pending.append((str(name), key, value))
        else:
            ignored.append(f"{where}{name}")
    for name, key, value in pending:
        if key in _AGE_UNITS_KEYS:
            if value is None:
                continue
            if out.get("age_years") is not None:
                ignored.append(f"{where}{name}")
                continue
            number = _number(value, N_("{key}: expected a number (got {value!r})"), key=key)
            out["age_years"] = number / _AGE_UNITS_KEYS[key]
        elif aliases[key] in out:
            ignored.append(f"{where}{name}")
        else:
            out[aliases[key]] = value
    return out, ignored


def _number(value: Any, problem: str, **values: Any) -> float:
    """``value`` as a finite number, else ``InvalidValue(problem, value=value, **values)``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidValue(problem, value=value, **values)
    try:
        number = float(value)
    except ValueError:
        raise InvalidValue(problem, value=value, **values) from None
    if not math.isfinite(number):
        raise InvalidValue(problem, value=value, **values)
    return number


_AGE_TEXT = re.compile(
    r"^(\d+(?:\.\d+)?)\s*("
    r"y|yr|yrs|year|years|years old|y/o|yo|岁|周岁|세|살"
    r"|mo|mos|month|months|个月|月|개월|달"
    r"|w|wk|wks|week|weeks|周|星期|주"
    r"|d|day|days|天|일"
    r")?$",
    re.IGNORECASE,
)
_AGE_DIVISOR = {"mo": 12.0, "w": 52.0, "d": 365.0}


def _age_unit(unit: str) -> float:
    u = unit.lower()
    if u in ("mo", "mos", "month", "months", "个月", "月", "개월", "달"):
        return _AGE_DIVISOR["mo"]
    if u in ("w", "wk", "wks", "week", "weeks", "周", "星期", "주"):
        return _AGE_DIVISOR["w"]
    if u in ("d", "day", "days", "天", "일"):
        return _AGE_DIVISOR["d"]
    return 1.0


def as_age_years(value: Any) -> Any:
    """A number of years from a number or a text such as "2", "6 months", "3岁", "7개월"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        match = _AGE_TEXT.match(value.strip())
        if not match:
            raise InvalidValue(
                "expected an age in years such as 2 or 0.5, or a text such as '6 months' (got {value!r})",
                value=value,
            )
        return float(match.group(1)) / _age_unit(match.group(2) or "y")
    return _number(value, N_("expected an age in years (got {value!r})"))


_FEMALE = {"f", "female", "woman", "w", "girl", "女", "女性", "女的", "女孩", "여", "여성", "여자"}
_MALE = {"m", "male", "man", "boy", "男", "男性", "男的", "男孩", "남", "남성", "남자"}
_OTHER = {"other", "x", "nonbinary", "non-binary", "non_binary", "intersex", "diverse", "其他", "기타"}
_UNKNOWN = {
    "unknown",
    "u",
    "unspecified",
    "not specified",
    "prefer not to say",
    "n/a",
    "na",
    "未知",
    "不详",
    "모름",
    "알 수 없음",
}


def as_sex(value: Any) -> Any:
    """female, male, other or unknown from the usual spellings in en, zh and ko."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue("expected female, male, other or unknown (got {value!r})", value=value)
    key = value.strip().lower()
    if not key:
        return None
    for name, words in (("female", _FEMALE), ("male", _MALE), ("other", _OTHER), ("unknown", _UNKNOWN)):
        if key == name or key in words:
            return name
    raise InvalidValue("expected female, male, other or unknown (got {value!r})", value=value)


_TRUE = {"true", "t", "yes", "y", "1", "on", "是", "是的", "有", "对", "예", "네", "응", "있음", "있어요"}
_FALSE = {
    "false",
    "f",
    "no",
    "n",
    "0",
    "off",
    "否",
    "不是",
    "没有",
    "无",
    "아니오",
    "아니요",
    "아뇨",
    "없음",
    "없어요",
}


def as_bool(value: Any) -> Any:
    """true or false from a boolean, 0/1, or yes/no words in en, zh and ko; null stays null."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = value.strip().lower()
        if not key:
            return None
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise InvalidValue("expected true or false (got {value!r})", value=value)


_WEEKS_TEXT = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:w|wk|wks|week|weeks|周|주)?$", re.IGNORECASE)


def as_pregnancy_weeks(value: Any) -> Any:
    """Completed weeks of pregnancy (a fraction is rounded down, "34 weeks"/"34周" accepted)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        match = _WEEKS_TEXT.match(value.strip())
        if not match:
            raise InvalidValue("expected a number of weeks (got {value!r})", value=value)
        return int(float(match.group(1)))
    number = _number(value, N_("expected a number of weeks (got {value!r})"))
    return int(number) if number >= 0 else number


_QUANTITY_TEXT = re.compile(
    r"^(\d+)\s*(?:x|packs?|boxes|box|bottles?|盒|瓶|包|个|개|통|박스)?$", re.IGNORECASE
)


_PACKS = N_("expected a whole number of packs (got {value!r})")


def as_quantity(value: Any) -> Any:
    """A whole number of packs; missing or null is 1; "2", 2.0 and "2 packs" are 2."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    if isinstance(value, str):
        match = _QUANTITY_TEXT.match(value.strip())
        if not match:
            raise InvalidValue(_PACKS, value=value)
        return int(match.group(1))
    number = _number(value, _PACKS)
    if number != int(number):
        raise InvalidValue(_PACKS, value=value)
    return int(number)


# Commas between digits ("1,000 mg") do not split.
_SPLIT = re.compile(r"(?<!\d),|,(?!\d)|[;；，、\n|]")


def split_terms(text: str) -> list[str]:
    """A comma, semicolon or newline separated string as its parts (empty parts dropped)."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def as_term_list(value: Any) -> Any:
    """A list of terms from a list, a comma-separated string, or null (no terms)."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_terms(value)
    if isinstance(value, list | tuple):
        out: list[str] = []
        for entry in value:
            if entry is None:
                continue
            if isinstance(entry, bool) or not isinstance(entry, str | int | float):
                raise InvalidValue("expected a list of strings (got an entry {entry!r})", entry=entry)
            out.append(str(entry))
        return out
    raise InvalidValue(
        "expected a list of strings or one comma-separated string (got {value!r})", value=value
    )


def as_symptoms(value: Any) -> Any:
    """Free text; a list of strings is joined with "; "."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value if v is not None):
        return "; ".join(v for v in value if v)
    raise InvalidValue("expected text (got {kind})", kind=type(value).__name__)


def as_lang(value: Any) -> Any:
    """en, zh or ko from a language tag ("zh-CN", "KO_kr"); any other language falls back (null)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue("expected a language tag such as en, zh or ko (got {value!r})", value=value)
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return primary if primary in ("en", "zh", "ko") else None
