"""A prescription written in a consultation holds the items at the patient's chosen pharmacy."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text

from medrush import consult
from medrush.kernel import db
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy, stock_row
from tests.integration.prescriptions.world import ITEMS, RX_MEDICINE, doctor, patient_with_profile

pytestmark = pytest.mark.usefixtures("database")


async def _prescribe(pharmacy_id: uuid.UUID) -> dict[str, object]:
    patient, profile = await patient_with_profile()
    doc = await doctor()
    async with db.session_scope() as session:
        c = await consult.open_consultation(
            session,
            patient.actor,
            profile_id=profile.id,
            mode="doctor",
            symptoms="ear pain",
            pharmacy_id=pharmacy_id,
        )
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)
    async with db.session_scope() as session:
        outcome = await consult.record_outcome(
            session, doc.actor, c.id, "prescription", {"items": ITEMS, "diagnosis": "otitis media"}
        )
    return {"consultation_id": c.id, **outcome.data}


async def test_items_held_while_the_review_runs() -> None:
    await ensure_tables()
    pharmacy_id = await make_pharmacy(stock=[(RX_MEDICINE, 5, 1500)])
    data = await _prescribe(pharmacy_id)
    assert data["hold"] == "held"
    assert await stock_row(pharmacy_id, RX_MEDICINE) == (5, 2)
    async with db.session_scope() as session:
        row = (
            await session.execute(
                text("SELECT purpose, status, quantity FROM pharmacy_reservations WHERE ref = :ref"),
                {"ref": f"consult:{data['consultation_id']}"},
            )
        ).one()
    assert tuple(row) == ("consultation", "held", 2)


async def test_shortage_does_not_block_the_prescription() -> None:
    await ensure_tables()
    pharmacy_id = await make_pharmacy(stock=[(RX_MEDICINE, 1, 1500)])
    data = await _prescribe(pharmacy_id)
    assert data["hold"] == "unavailable"
    assert await stock_row(pharmacy_id, RX_MEDICINE) == (1, 0)


async def test_rejection_releases_the_hold() -> None:
    from medrush import prescriptions
    from medrush.accounts import Role
    from medrush.kernel.events import OutboxRelay
    from tests.factories.accounts import make_user

    await ensure_tables()
    pharmacy_id = await make_pharmacy(stock=[(RX_MEDICINE, 5, 1500)])
    data = await _prescribe(pharmacy_id)
    assert await stock_row(pharmacy_id, RX_MEDICINE) == (5, 2)
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        await prescriptions.review_prescription(
            session,
            pharmacist.actor,
            uuid.UUID(str(data["prescription_id"])),
            "reject",
            reason="wrong antibiotic",
        )
    import medrush.consult.subscribers  # noqa: F401 - registers the handler

    relay = OutboxRelay(db.sessionmaker())
    for _ in range(50):  # another relay of the test process may hold the batch for a moment
        await relay.run_once()
        if await stock_row(pharmacy_id, RX_MEDICINE) == (5, 0):
            break
        await asyncio.sleep(0.1)
    assert await stock_row(pharmacy_id, RX_MEDICINE) == (5, 0)
