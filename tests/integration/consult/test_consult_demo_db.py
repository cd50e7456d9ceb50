"""The consult demo set loads through ``medrush demo``'s loader."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from medrush import accounts
from medrush.consult import Consultation
from medrush.demo import load_demo_data
from medrush.kernel import db
from tests.integration.pharmacies.world import ensure_tables

pytestmark = pytest.mark.usefixtures("database")


async def test_demo_consultations() -> None:
    await ensure_tables()  # the pharmacies demo runs first; its tables may not be migrated yet
    await load_demo_data()
    async with db.session_scope() as session:
        customer = await accounts.user_by_email(session, "customer@demo.medrush.org")
        assert customer is not None
        rows = list(
            (
                await session.scalars(
                    select(Consultation)
                    .where(Consultation.account_id == customer.id)
                    .order_by(Consultation.created_at)
                )
            ).all()
        )
    assert [(c.status, c.rating) for c in rows] == [("closed", 5), ("waiting", None)]
    assert rows[0].last_seq == 6
