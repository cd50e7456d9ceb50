"""Domain errors: each carries a stable code and a message; ``web`` maps them to HTTP statuses.

A message with values in it is written as a template with named fields and the values as keyword
arguments (``InvalidInput("at most {limit} items", limit=20)``): ``message`` is the English text,
and ``translated(lang)`` looks the template up in the catalogues before filling it in, so the
values never stop a message from being translated.

``InvalidValue`` is the same for the ``ValueError`` a Pydantic validator raises: pydantic words it
"Value error, " and the English text, and the 422 handler shows ``translated(lang)`` instead.
"""

from __future__ import annotations

from typing import Any

from medrush.kernel.i18n import gettext

__all__ = [
    "Conflict",
    "DomainError",
    "InvalidInput",
    "InvalidValue",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Unauthenticated",
    "Unavailable",
]


class DomainError(Exception):
    """Base of every refusal a domain makes on purpose."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None, **values: Any) -> None:
        text = message.format(**values) if values else message
        super().__init__(text)
        self.template = message
        self.values = values
        self.message = text
        if code is not None:
            self.code = code
        self.details = details

    def translated(self, lang: str) -> str:
        """The message in ``lang`` (English when the catalogue lacks it)."""
        return _translated(self.template, self.values, self.message, lang)


class InvalidInput(DomainError):
    """The request is well formed but its values are not acceptable."""

    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    """No such object, or the caller may not know it exists."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    status = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    """The caller must sign in first."""

    status = 401
    code = "unauthenticated"


class Conflict(DomainError):
    """The change collides with the current state (stock gone, key reused, wrong order state)."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many attempts in the window."""

    status = 429
    code = "rate_limited"


class Unavailable(DomainError):
    """The service cannot do this now (a limit reached, a helper process gone); try again later."""

    status = 503
    code = "unavailable"


def _translated(template: str, values: dict[str, Any], english: str, lang: str) -> str:
    """``template`` looked up in ``lang`` and filled with ``values``; ``english`` if that fails."""
    text = gettext(lang, template)
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field
        return english


class InvalidValue(ValueError):
    """A validator's refusal of a value: ``InvalidValue("expected true or false (got {value!r})",
    value=value)``. ``str(exc)`` is the English text (what pydantic shows after "Value error, "),
    ``translated(lang)`` the template in ``lang`` filled with the same values."""

    def __init__(self, template: str, **values: Any) -> None:
        text = template.format(**values) if values else template
        super().__init__(text)
        self.template = template
        self.values = values
        self.message = text

    def translated(self, lang: str) -> str:
        """The message in ``lang`` (English when the catalogue lacks it)."""
        return _translated(self.template, self.values, self.message, lang)
