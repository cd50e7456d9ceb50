"""Real browsers: a patient asks, a doctor picks up and chats, prescribes, a pharmacist approves,
and the patient buys the prescribed medicine from the consultation page and pays in the sandbox.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from medrush import accounts, orders, prescriptions
from medrush.accounts.schemas import AddressIn
from medrush.kernel import db
from tests.e2e.conftest import shoot
from tests.factories.accounts import PASSWORD, Someone, make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy
from tests.integration.prescriptions.world import RX_MEDICINE, doctor, patient_with_profile

pytestmark = pytest.mark.browser


async def _sign_in(page: Any, someone: Someone, target: str) -> None:
    await page.goto(f"/signin?next={target}")
    await page.fill("input[name=email]", someone.user.email)
    await page.fill("input[name=password]", PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**{target}")


async def test_patient_doctor_pharmacist(page: Any, browser: Any, live_server: str) -> None:
    async with db.session_scope() as session:  # nobody else online: the request must wait for our doctor
        await session.execute(text("UPDATE consult_clinicians SET online = false"))
    patient, profile = await patient_with_profile()
    n = uuid.uuid4().int  # a corner of its own: only our pharmacy delivers the prescription there
    lat, lng = 31.0 + (n % 1000) / 2000, 121.0 + (n // 1000 % 1000) / 2000
    await ensure_tables()
    pharmacy_id = await make_pharmacy(
        lat=lat, lng=lng, stock=[(RX_MEDICINE, 10, 2500)], name="Journey Pharmacy"
    )
    async with db.session_scope() as session:
        await accounts.add_address(
            session,
            patient.actor,
            AddressIn(line="8 Journey Road", city="Shanghai", lat=lat, lng=lng, is_default=True),
        )
    doc = await doctor()
    from medrush.accounts import Role

    pharmacist = await make_user(Role.PHARMACIST)

    doctor_ctx = await browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    dpage = await doctor_ctx.new_page()
    dpage.set_default_timeout(15_000)
    try:
        await _sign_in(dpage, doc, "/clinician")  # the console is open before the question arrives
        await dpage.wait_for_function("() => document.body.dataset.feed === '1'")
        await dpage.evaluate("() => { window.sameConsole = true; }")

        await _sign_in(page, patient, "/consult")
        await page.fill("[data-test=symptoms]", "Ear pain and fever of 38.5 since yesterday")
        await page.click("[data-test=consult-submit]")
        await page.wait_for_selector("[data-test=consultation]")
        cid = page.url.rstrip("/").rsplit("/", 1)[1]
        await shoot(page, "consult-patient-waiting")

        await dpage.locator(f"[data-test=pick-{cid}]").wait_for()  # the queue redrew itself live
        assert await dpage.evaluate("() => window.sameConsole === true")
        await dpage.click(f"[data-test=pick-{cid}]")
        panel = dpage.locator(f"[data-test=panel-{cid}]")
        await panel.wait_for()
        assert "Li Wei" in await panel.inner_text()
        chat = panel.locator(".chat")
        await dpage.wait_for_function(
            "cid => document.querySelector(`[data-test=chat-${cid}]`).dataset.connected === '1'", arg=cid
        )

        # the patient's page learns of the assignment and reloads into the active chat
        await page.wait_for_selector("[data-test=consultation][data-status=active]")
        await page.wait_for_function("() => document.querySelector('.chat').dataset.connected === '1'")

        await chat.locator("[data-test=chat-input]").fill("Hello, how long have you had the ear pain?")
        await chat.locator("[data-test=chat-send]").click()
        await page.locator(".chat .msg", has_text="how long have you had the ear pain").wait_for()

        await page.locator("[data-test=chat-input]").fill("Since yesterday morning, the left ear.")
        await page.locator("[data-test=chat-send]").click()
        await chat.locator(".msg", has_text="Since yesterday morning").wait_for()
        await shoot(dpage, "consult-clinician-console")

        form = panel.locator("[data-test=rx-form]")
        await form.locator("input[name=diagnosis]").fill("Acute otitis media")
        await form.locator("input[name=medicine_id]").fill(RX_MEDICINE)
        await form.locator("input[name=dosage]").fill("1 capsule three times a day for 7 days")
        await form.locator("input[name=quantity]").fill("2")
        await form.locator("[data-test=rx-submit]").click()
        result = dpage.locator(f"[data-test=outcome-result-{cid}]")
        await result.filter(has_text="prescription").wait_for()
        assert await result.get_attribute("data-ok") == "1"
        await page.locator("[data-test=prescription][data-status=signed]").wait_for()
        await page.locator(".chat .msg", has_text="E-prescription issued").wait_for()
        await shoot(page, "consult-patient-prescription")
    finally:
        await doctor_ctx.close()

    pharmacist_ctx = await browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    ppage = await pharmacist_ctx.new_page()
    ppage.set_default_timeout(15_000)
    try:
        await _sign_in(ppage, pharmacist, "/clinician/reviews")
        async with db.session_scope() as session:
            written = await prescriptions.prescriptions_of_consultation(session, uuid.UUID(cid))
        rx_id = written[0].id
        card = ppage.locator(f"[data-test=rx-{rx_id}]")
        await card.wait_for()
        assert "Acute otitis media" in await card.inner_text()
        await card.locator(f"[data-test=approve-{rx_id}]").click()
        await ppage.locator("[data-test=review-done]").wait_for()
    finally:
        await pharmacist_ctx.close()

    await page.locator("[data-test=prescription][data-status=approved]").wait_for()
    async with db.session_scope() as session:
        valid = await prescriptions.valid_prescription_for(session, profile.id, RX_MEDICINE)
        assert valid is not None
        assert str(valid.consultation_id) == cid

    # the patient buys the prescribed medicine: one tap to the cart, checkout, sandbox payment
    buy = page.locator("[data-test=buy-rx]", has_text="Journey Pharmacy")
    await buy.wait_for()
    await buy.click()
    await page.wait_for_url("**/shop/cart?profile_id=*")
    assert await page.locator("[data-test=problem]").count() == 0
    assert await page.locator("[data-test=address]").input_value() == "8 Journey Road, Shanghai"
    await page.locator("[data-test=checkout]").click()
    if await page.locator("[data-test=safety]").count():
        await page.check("input[name=confirm_warnings]")
        await page.locator("[data-test=checkout]").click()
    await page.wait_for_url("**/shop/pay/**")
    await page.locator("[data-test=pay]").click()
    await page.wait_for_url("**/shop/orders/**")
    assert await page.locator("[data-test=status]").get_attribute("data-status") == "paid"
    order_id = page.url.rsplit("/", 1)[1]
    async with db.session_scope() as session:
        used = await session.get(prescriptions.Prescription, valid.id)
        assert used is not None and used.status == "used" and used.used_ref == order_id
        order = await orders.access_order_by_id(session, patient.actor, uuid.UUID(order_id))
        assert order.pharmacy_id == pharmacy_id
        assert order.safety["prescription_ids"] == [str(valid.id)]
