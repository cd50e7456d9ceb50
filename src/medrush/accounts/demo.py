"""Accounts in bulk for the demo's past day (``medrush demo`` on an empty database).

The people of the demo city's history (the customers whose orders it delivered, the couriers who
carried them) are written in one statement each, all with the one published demo password hashed
once: hundreds of argon2 hashes would slow the load for nothing. They send no
``accounts.user_created`` event: like the orders they placed, they are history.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush.accounts.enums import Role
from medrush.accounts.models import PatientProfile, User
from medrush.accounts.passwords import hash_password
from medrush.kernel.ids import new_id

__all__ = ["add_demo_accounts", "demo_name", "demo_self"]

_FAMILY = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
)
_GIVEN = (
    "Wei",
    "Fang",
    "Jun",
    "Yan",
    "Tao",
    "Ming",
    "Jie",
    "Lei",
    "Qiang",
    "Hong",
    "Bo",
    "Ning",
    "Hui",
    "Gang",
)


def demo_name(rng: random.Random) -> str:
    """A name for a person of the demo city, drawn from ``rng``."""
    return f"{rng.choice(_FAMILY)} {rng.choice(_GIVEN)}"


def demo_self(rng: random.Random) -> tuple[date, str]:
    """A grown-up's birth date and sex for their own patient profile, drawn from ``rng``."""
    born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return born, rng.choice(("female", "male"))


async def add_demo_accounts(
    session: AsyncSession,
    people: Sequence[tuple[str, str]],
    *,
    role: Role,
    password: str,
    locale: str = "zh",
    profiles: Sequence[tuple[date, str]] | None = None,
) -> list[uuid.UUID]:
    """The account ids of ``people`` (e-mail, display name) in order, created where the e-mail is
    free, each with a patient profile of their own (birth date, sex) when ``profiles`` are given;
    accounts already there are kept as they are."""
    emails = [email.strip().lower() for email, _ in people]
    known: dict[str, uuid.UUID] = dict(
        (await session.execute(select(User.email, User.id).where(User.email.in_(emails)))).all()
    )
    selves = profiles if profiles is not None else [None] * len(people)
    fresh = [
        (email, name, self_)
        for email, (_, name), self_ in zip(emails, people, selves, strict=True)
        if email not in known
    ]
    if fresh:
        password_hash = hash_password(password)
        ids = {email: new_id() for email, _, _ in fresh}
        await session.execute(
            insert(User),
            [
                {
                    "id": ids[email],
                    "email": email,
                    "password_hash": password_hash,
                    "display_name": name,
                    "roles": [str(role)],
                    "locale": locale,
                }
                for email, name, _ in fresh
            ],
        )
        own = [
            {"account_id": ids[email], "name": name, "relationship": "self", "birth_date": s[0], "sex": s[1]}
            for email, name, s in fresh
            if s is not None
        ]
        if own:
            await session.execute(insert(PatientProfile), own)
        known.update(ids)
    return [known[email] for email in emails]
