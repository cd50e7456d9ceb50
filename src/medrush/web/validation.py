"""Pydantic's validation errors in the reader's language.

Pydantic words each error in English (``msg``) and names its kind (``type``) with the limits it
checked (``ctx``: ``max_length``, ``ge``, ``expected``...). Here each kind the inputs produce has a
template with those limits as named fields; Chinese and Korean readers get the template translated
and filled in, English readers pydantic's own ``msg`` unchanged, and a kind without a template (or
a translation) stays in English too. A validator of ours that raises ``InvalidValue`` (a template
with named values) is shown with the template translated and filled in; a plain ``ValueError`` is
shown translated when its text is a msgid of the catalogues, else as pydantic words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter
from typing import Any

from pydantic import ValidationError

from medrush.kernel.errors import InvalidValue
from medrush.kernel.i18n import N_, gettext

__all__ = ["TEMPLATES", "describe_errors", "translate_error"]

_NUMBER = N_("Input should be a valid number")
_INTEGER = N_("Input should be a valid integer")
_BOOLEAN = N_("Input should be true or false")
_OBJECT = N_("Input should be an object")
_DATE = N_("Input should be a valid date in the format YYYY-MM-DD")
_DATETIME = N_("Input should be a valid date and time")
_TIME = N_("Input should be a valid time")
_UUID = N_("Input should be a valid UUID")
_ONE_OF = N_("Input should be {expected}")

# pydantic's error type -> our template; the fields are keys of that error's ``ctx``
TEMPLATES: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "json_invalid": N_("Invalid JSON"),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "list_type": N_("Input should be a valid list"),
    "string_type": N_("Input should be a valid string"),
    "string_unicode": N_("Input should be a valid string"),
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_parsing_size": _INTEGER,
    "int_from_float": N_("Input should be a whole number"),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": N_("Input should be a finite number"),
    "bool_type": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "too_short": N_("Should have at least {min_length} items, not {actual_length}"),
    "too_long": N_("Should have at most {max_length} items, not {actual_length}"),
    "literal_error": _ONE_OF,
    "enum": _ONE_OF,
    "uuid_type": _UUID,
    "uuid_parsing": _UUID,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "time_type": _TIME,
    "time_parsing": _TIME,
    "timezone_aware": N_("Input should have timezone info"),
}
# pydantic puts the ValueError / AssertionError our own validators raise in ctx["error"]
_OUR_VALIDATORS = ("value_error", "assertion_error")


def translate_error(error: Mapping[str, Any], lang: str) -> str:
    """The ``msg`` of one pydantic error in ``lang`` (pydantic's English when there is no template)."""
    msg = str(error.get("msg", ""))
    if lang == "en":
        return msg
    kind = error.get("type")
    ctx = error.get("ctx") or {}
    if kind in _OUR_VALIDATORS:
        raised = ctx.get("error")
        if isinstance(raised, InvalidValue):
            translated = raised.translated(lang)
            return translated if translated != raised.message else msg
        text = str(raised or "")
        translated = gettext(lang, text) if text else text
        return translated if translated != text else msg
    template = TEMPLATES.get(str(kind))
    if template is None:
        return msg
    translated = gettext(lang, template)
    if translated == template:
        return msg
    # a field the ctx lacks or leaves empty (pydantic may not know a too-long list's length)
    if any(ctx.get(name) is None for _, name, _, _ in Formatter().parse(template) if name):
        return msg
    try:
        return translated.format(**{name: _shown(value) for name, value in ctx.items()})
    except (KeyError, IndexError, ValueError):  # a translation with a field the template lacks
        return msg


def describe_errors(exc: ValidationError, lang: str, *, limit: int = 3) -> str:
    """``where: what; ...`` of the first ``limit`` errors of a model built by hand (forms, frames)."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        what = translate_error(err, lang)
        parts.append(f"{where}: {what}" if where else what)
    return "; ".join(parts)


def _shown(value: Any) -> Any:
    """A limit as pydantic writes it: ``lt=1.0`` on a float field reads "less than 1"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
