"""Domain errors: each carries a stable code and a message; ``web`` maps them to HTTP statuses."""

from __future__ import annotations

from typing import Any

__all__ = [
    "Conflict",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Unauthenticated",
]


class DomainError(Exception):
    """Base of every refusal a domain makes on purpose."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


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
