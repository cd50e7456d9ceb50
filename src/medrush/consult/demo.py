"""Demo consultations: the demo doctor and pharmacist as clinicians, one finished and one waiting question.

Run by ``medrush demo`` after the demo accounts exist; it does nothing when they are missing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts
from medrush.accounts import PatientProfile
from medrush.consult import actions
from medrush.consult.enums import MessageKind
from medrush.kernel import clock

__all__ = ["load_demo"]

CUSTOMER = "customer@demo.medrush.org"
DOCTOR = "doctor@demo.medrush.org"
PHARMACIST = "pharmacist@demo.medrush.org"


async def load_demo(session: AsyncSession) -> int:
    """Create the demo consultations; returns how many were created."""
    customer = await accounts.user_by_email(session, CUSTOMER)
    doctor = await accounts.user_by_email(session, DOCTOR)
    pharmacist = await accounts.user_by_email(session, PHARMACIST)
    if customer is None or doctor is None or pharmacist is None:
        return 0
    now = clock.now()
    for user, real in ((customer, "李娜"), (doctor, "김민지")):
        user.real_name = real
        user.real_name_verified_at = now  # demo accounts count as verified (cn needs it to prescribe)
    profiles = list(
        (await session.scalars(select(PatientProfile).where(PatientProfile.account_id == customer.id))).all()
    )
    if not profiles:
        return 0
    mother = next((p for p in profiles if p.relationship == "self"), profiles[0])
    child = next((p for p in profiles if p.relationship == "child"), mother)
    patient = accounts.actor_for_user(customer)
    doc = accounts.actor_for_user(doctor)
    await actions.set_presence(session, doc, online=False, languages=["en", "ko", "zh"], capacity=3)
    await actions.set_presence(
        session, accounts.actor_for_user(pharmacist), online=False, languages=["zh", "en"], capacity=4
    )

    finished = await actions.open_consultation(
        session,
        patient,
        profile_id=mother.id,
        mode="doctor",
        language="zh",
        symptoms="喉咙痛两天，有点流鼻涕，没有发烧",
    )
    await actions.pick_up(session, doc, finished.id)
    await actions.post_message(session, doc, finished.id, body="how_long", kind=MessageKind.QUICK_REPLY)
    await actions.post_message(session, patient, finished.id, body="两天了，吞咽时更疼。")
    await actions.record_outcome(
        session, doc, finished.id, "advice", {"text": "多喝温水，注意休息；如出现高烧或呼吸困难请立即就医。"}
    )
    await actions.close_consultation(session, patient, finished.id)
    await actions.rate_consultation(session, patient, finished.id, 5, "回复很快，很耐心")

    await actions.open_consultation(
        session,
        patient,
        profile_id=child.id,
        mode="doctor",
        language="zh",
        symptoms="孩子咳嗽三天，晚上加重，体温37.8度",
    )
    return 2
