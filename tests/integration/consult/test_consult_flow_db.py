"""Consultations on PostgreSQL: triage, routing, chat numbering, outcomes, closing, access, bad input."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select, text

from medrush import consult, prescriptions
from medrush.accounts import Role
from medrush.consult import Clinician, Consultation, Message
from medrush.kernel import db
from medrush.kernel.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories.accounts import Someone, make_user
from tests.integration.prescriptions.world import ITEMS, OTC_MEDICINE, doctor, patient_with_profile

pytestmark = pytest.mark.usefixtures("database")

EMERGENCY = "crushing chest pain spreading to my left arm and sweating"
ROUTINE = "sore throat and a runny nose for two days"


@pytest.fixture(autouse=True)
async def _everyone_offline() -> None:
    async with db.session_scope() as session:
        await session.execute(text("UPDATE consult_clinicians SET online = false"))
        await session.execute(text("UPDATE consultations SET status = 'closed' WHERE status = 'waiting'"))


async def _open(patient: Someone, profile_id: uuid.UUID, symptoms: str = ROUTINE, **kw) -> Consultation:
    async with db.session_scope() as session:
        return await consult.open_consultation(
            session,
            patient.actor,
            profile_id=profile_id,
            mode=kw.pop("mode", "doctor"),
            symptoms=symptoms,
            **kw,
        )


async def _online(someone: Someone, capacity: int = 3, languages: list[str] | None = None) -> None:
    async with db.session_scope() as session:
        await consult.set_presence(
            session, someone.actor, online=True, capacity=capacity, languages=languages
        )


async def _route() -> list[tuple[uuid.UUID, uuid.UUID]]:
    async with db.session_scope() as session:
        return await consult.route_waiting(session)


async def _messages(consultation_id: uuid.UUID) -> list[Message]:
    async with db.session_scope() as session:
        return await consult.messages_since(session, consultation_id, 0)


async def test_emergency_is_referred_at_once_and_never_queued() -> None:
    patient, profile = await patient_with_profile()
    doc = await doctor()
    await _online(doc)
    c = await _open(patient, profile.id, EMERGENCY)
    assert (c.status, c.triage_level, c.priority) == ("referred", "emergency", 0)
    messages = await _messages(c.id)
    assert [m.sender_role for m in messages] == ["patient", "system"]
    # no jurisdiction: the place is not known
    assert "Call your local emergency number now" in messages[1].text
    assert c.id not in [p for p, _ in await _route()]
    async with db.session_scope() as session:
        queue = await consult.queue_for(session, doc.actor)
        assert c.id not in [q.id for q in queue]


async def test_routing_respects_capacity_priority_and_fairness() -> None:
    patient, profile = await patient_with_profile()
    first = [await _open(patient, profile.id) for _ in range(3)]
    a, b = await doctor(), await doctor()
    await _online(a, capacity=1)
    await _online(b, capacity=1)
    pairs = await _route()
    assert [p for p, _ in pairs] == [first[0].id, first[1].id]
    assert {c for _, c in pairs} == {a.user.id, b.user.id}
    async with db.session_scope() as session:
        still = await session.get(Consultation, first[2].id)
        assert still is not None and still.status == "waiting"
        loads = (
            (
                await session.execute(
                    select(Clinician.active_count).where(Clinician.user_id.in_([a.user.id, b.user.id]))
                )
            )
            .scalars()
            .all()
        )
        assert sorted(loads) == [1, 1]
    async with db.session_scope() as session:
        await consult.close_consultation(session, patient.actor, first[0].id)
    assert [p for p, _ in await _route()] == [first[2].id]


async def test_pick_up_race_only_one_wins() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    doctors = [await doctor() for _ in range(4)]

    async def take(d: Someone) -> str:
        try:
            async with db.session_scope() as session:
                await consult.pick_up(session, d.actor, c.id)
            return "won"
        except Conflict as exc:
            return exc.code

    results = await asyncio.gather(*(take(d) for d in doctors))
    assert sorted(results) == ["already_taken"] * 3 + ["won"]


async def test_sequence_numbers_gapless_under_concurrency_and_idempotent_resend() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    doc = await doctor()
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)

    async def send(who: Someone, n: int) -> None:
        async with db.session_scope() as session:
            await consult.post_message(session, who.actor, c.id, body=f"m{n}", client_id=f"{who.user.id}-{n}")

    await asyncio.gather(*(send(patient if n % 2 else doc, n) for n in range(20)))
    async with db.session_scope() as session:
        again = await consult.post_message(
            session, patient.actor, c.id, body="m1", client_id=f"{patient.user.id}-1"
        )
        assert again.created is False
    messages = await _messages(c.id)
    assert [m.seq for m in messages] == list(range(1, 23))
    assert sorted(m.text for m in messages if m.text.startswith("m")) == sorted(f"m{n}" for n in range(20))


async def test_closed_consultation_refuses_messages_and_stores_nothing() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    async with db.session_scope() as session:
        await consult.close_consultation(session, patient.actor, c.id)
    before = len(await _messages(c.id))
    async with db.session_scope() as session:
        with pytest.raises(Conflict) as err:
            await consult.post_message(session, patient.actor, c.id, body="hello?")
    assert err.value.code == "consultation_closed"
    with pytest.raises(Conflict):
        async with db.session_scope() as session:
            await consult.add_attachment(session, patient.actor, c.id, b"\xff\xd8\xff" + b"0" * 10)
    assert len(await _messages(c.id)) == before


async def test_bad_attachment_stores_nothing() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    for data, code in (
        (b"GIF89a....", "attachment_type"),
        (b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "attachment_too_large"),
    ):
        with pytest.raises(InvalidInput) as err:
            async with db.session_scope() as session:
                await consult.add_attachment(session, patient.actor, c.id, data)
        assert err.value.code == code
    async with db.session_scope() as session:
        count = await session.scalar(
            text("SELECT count(*) FROM consult_attachments WHERE consultation_id = :c"), {"c": c.id}
        )
    assert count == 0
    async with db.session_scope() as session:
        posted = await consult.add_attachment(session, patient.actor, c.id, b"\x89PNG\r\n\x1a\n" + b"0" * 100)
        assert posted.message.kind == "photo"


async def test_outcomes_otc_prescription_and_rating() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    doc = await doctor()
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)
    async with db.session_scope() as session:
        advice = await consult.record_outcome(
            session, doc.actor, c.id, "advice", {"text": "Drink warm water."}
        )
        otc = await consult.record_outcome(
            session, doc.actor, c.id, "otc", {"items": [{"medicine_id": OTC_MEDICINE, "quantity": 1}]}
        )
        rx = await consult.record_outcome(
            session, doc.actor, c.id, "prescription", {"items": ITEMS, "diagnosis": "acute otitis media"}
        )
    assert advice.data == {"text": "Drink warm water."}
    assert otc.data["items"] == [
        {"medicine_id": OTC_MEDICINE, "name": "Ibuprofen 200 mg tablets", "quantity": 1}
    ]
    assert otc.data["safety"]["level"] in ("allow", "warn")
    assert rx.data["hold"] == "none"
    async with db.session_scope() as session:
        written = await prescriptions.prescriptions_of_consultation(session, c.id)
        assert [(p.status, p.doctor_id) for p in written] == [("signed", doc.user.id)]
    with pytest.raises(InvalidInput) as err:
        async with db.session_scope() as session:
            await consult.record_outcome(
                session,
                doc.actor,
                c.id,
                "prescription",
                {
                    "items": [{"medicine_id": "no-such-medicine", "dosage": "x", "quantity": 1}],
                    "diagnosis": "x",
                },
            )
    assert err.value.code == "unknown_medicine"
    with pytest.raises(Conflict):
        async with db.session_scope() as session:
            await consult.rate_consultation(session, patient.actor, c.id, 5)
    async with db.session_scope() as session:
        await consult.close_consultation(session, doc.actor, c.id)
    async with db.session_scope() as session:
        rated = await consult.rate_consultation(session, patient.actor, c.id, 5, "very kind")
        assert (rated.rating, rated.rating_comment) == (5, "very kind")
    with pytest.raises(Conflict):
        async with db.session_scope() as session:
            await consult.rate_consultation(session, patient.actor, c.id, 4)


async def test_unsafe_otc_suggestion_refused() -> None:
    patient, profile = await patient_with_profile()
    async with db.session_scope() as session:
        row = await session.get(type(profile), profile.id)
        assert row is not None
        row.allergies = ["ibuprofen"]
    c = await _open(patient, profile.id)
    doc = await doctor()
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)
    with pytest.raises(Conflict) as err:
        async with db.session_scope() as session:
            await consult.record_outcome(
                session, doc.actor, c.id, "otc", {"items": [{"medicine_id": OTC_MEDICINE, "quantity": 1}]}
            )
    assert err.value.code == "unsafe_suggestion"


async def test_pharmacist_cannot_prescribe() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id, mode="pharmacist")
    pharmacist = await make_user(Role.PHARMACIST)
    async with db.session_scope() as session:
        await consult.pick_up(session, pharmacist.actor, c.id)
    with pytest.raises(PermissionDenied):
        async with db.session_scope() as session:
            await consult.record_outcome(
                session, pharmacist.actor, c.id, "prescription", {"items": ITEMS, "diagnosis": "x"}
            )


async def test_access_every_action() -> None:
    patient, profile = await patient_with_profile()
    c = await _open(patient, profile.id)
    doc = await doctor()
    async with db.session_scope() as session:
        await consult.pick_up(session, doc.actor, c.id)
    outsiders = [await doctor(), await make_user(Role.CUSTOMER), await make_user(Role.COURIER)]
    calls = [
        lambda s, a: consult.messages_after(s, a, c.id, 0),
        lambda s, a: consult.post_message(s, a, c.id, body="hi"),
        lambda s, a: consult.mark_read(s, a, c.id, 1),
        lambda s, a: consult.record_outcome(s, a, c.id, "advice", {"text": "x"}),
        lambda s, a: consult.close_consultation(s, a, c.id),
        lambda s, a: consult.rate_consultation(s, a, c.id, 5),
        lambda s, a: consult.add_attachment(s, a, c.id, b"\x89PNG\r\n\x1a\n0000"),
    ]
    for who in outsiders:
        for call in calls:
            with pytest.raises(NotFound):
                async with db.session_scope() as session:
                    await call(session, who.actor)
    operator = await make_user(Role.OPERATOR)
    async with db.session_scope() as session:
        assert len(await consult.messages_after(session, operator.actor, c.id, 0)) == 2
    with pytest.raises(NotFound):
        async with db.session_scope() as session:
            await consult.post_message(session, operator.actor, c.id, body="operator writing")
    async with db.session_scope() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT action, actor_id, reason FROM audit_log "
                    "WHERE object_type='consultation' AND object_id=:id"
                ),
                {"id": str(c.id)},
            )
        ).all()
    denied = [r for r in rows if r.action == "denied"]
    assert {r.actor_id for r in denied} == {o.user.id for o in outsiders} | {operator.user.id}
    assert len([r for r in denied if r.actor_id != operator.user.id]) == len(outsiders) * len(calls)
    assert any(
        r.action == "read" and r.actor_id == operator.user.id and r.reason == "operator access" for r in rows
    )
    assert await _count_messages(c.id) == 2


async def _count_messages(consultation_id: uuid.UUID) -> int:
    async with db.session_scope() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(Message).where(Message.consultation_id == consultation_id)
            )
            or 0
        )
