"""Test helpers shared by the prescriptions and consult tests: patients, clinicians, profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from medrush import accounts
from medrush.accounts import Role
from medrush.accounts.schemas import ProfileIn
from medrush.kernel import clock, db
from medrush.settings import reset_settings
from tests.factories.accounts import Someone, make_user

RX_MEDICINE = "amoxicillin-250mg-cap"
OTC_MEDICINE = "ibuprofen-200mg-tab-24"
PRIOR = {"diagnosis": "acute otitis media", "diagnosed_on": "2026-10-01", "institution": "Ruijin Hospital"}
ITEMS = [{"medicine_id": RX_MEDICINE, "dosage": "1 capsule three times a day for 7 days", "quantity": 2}]


async def verify_real_name(someone: Someone) -> None:
    """Record a real-name verification for a test user."""
    async with db.session_scope() as session:
        user = await session.get(accounts.User, someone.user.id)
        assert user is not None
        user.real_name = "测试 " + someone.user.display_name
        user.real_name_verified_at = clock.now()


async def patient_with_profile(*, verified: bool = True) -> tuple[Someone, accounts.PatientProfile]:
    """A customer with one 'self' profile."""
    someone = await make_user(Role.CUSTOMER)
    async with db.session_scope() as session:
        profile = await accounts.create_profile(
            session,
            someone.actor,
            ProfileIn(name="Li Wei", birth_date=date(1990, 5, 1), sex=accounts.Sex.MALE),
        )
    if verified:
        await verify_real_name(someone)
    return someone, profile


async def doctor(*, verified: bool = True) -> Someone:
    """A doctor account."""
    someone = await make_user(Role.DOCTOR)
    if verified:
        await verify_real_name(someone)
    return someone


@contextmanager
def jurisdiction(code: str) -> Iterator[None]:
    """Run a block under another MEDRUSH_JURISDICTION."""
    before = os.environ.get("MEDRUSH_JURISDICTION")
    os.environ["MEDRUSH_JURISDICTION"] = code
    reset_settings()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MEDRUSH_JURISDICTION", None)
        else:
            os.environ["MEDRUSH_JURISDICTION"] = before
        reset_settings()


async def ensure_catalog() -> None:
    """Load the shipped catalog into the test database and rebuild the process index from it."""
    from medrush import catalog

    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
    async with db.session_scope() as session:
        await catalog.rebuild_index(session)
