"""Who is acting: the signed-in user as every action and query receives it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from medrush.accounts.enums import Role

__all__ = ["ANONYMOUS", "SYSTEM", "Actor", "SignedInUser"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The caller of an action; ``user_id`` is None for the system itself."""

    user_id: uuid.UUID | None
    roles: frozenset[str] = field(default_factory=frozenset)
    pharmacy_id: uuid.UUID | None = None
    locale: str = "en"
    ip: str | None = None
    request_id: str | None = None

    def has(self, role: Role | str) -> bool:
        """True when the actor holds the role."""
        return str(role) in self.roles

    @property
    def is_system(self) -> bool:
        """True for background work acting on nobody's behalf (never for an anonymous caller)."""
        return self.user_id is None and "system" in self.roles

    @property
    def is_anonymous(self) -> bool:
        """True for a caller who has not signed in."""
        return self.user_id is None and "system" not in self.roles


SYSTEM = Actor(user_id=None, roles=frozenset({"system"}))

ANONYMOUS = Actor(user_id=None)


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """The holder of a live token as a request sees it (read without the ORM on every request)."""

    id: uuid.UUID
    email: str
    display_name: str
    roles: tuple[str, ...]
    locale: str
    pharmacy_id: uuid.UUID | None
