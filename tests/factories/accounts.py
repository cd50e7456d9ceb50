"""Factories for accounts: users with roles and their bearer tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from medrush import accounts
from medrush.accounts import Role, TokenKind
from medrush.kernel import db

PASSWORD = "correct horse battery"


@dataclass
class Someone:
    """A user made for a test, with a bearer token and its header."""

    user: accounts.User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header for API calls."""
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def actor(self) -> accounts.Actor:
        """The user as an actor for direct action calls."""
        return accounts.actor_for_user(self.user)


async def make_user(*roles: Role, email: str | None = None, pharmacy_id: uuid.UUID | None = None) -> Someone:
    """A new account holding ``roles`` (customer by default) and a fresh API token."""
    async with db.session_scope() as session:
        user = await accounts.create_user(
            session,
            email=email or f"{uuid.uuid4().hex[:12]}@example.org",
            password=PASSWORD,
            display_name="Test Person",
            roles=roles or (Role.CUSTOMER,),
            pharmacy_id=pharmacy_id,
        )
        raw, _token = await accounts.issue_token(session, user, TokenKind.API)
    return Someone(user=user, token=raw)
