"""The courier's mobile page: sign-in redirect, role check, board with offers, CSRF on API calls."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import httpx

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch import subscribers
from medrush.dispatch.live import zone_of
from medrush.kernel import clock, db
from medrush.kernel.events import Event
from tests.factories.accounts import PASSWORD, make_user
from tests.factories.dispatch import carried_job

SPOT = (30.5928, 114.3055)  # Wuhan: a zone of its own


async def _browser(app: object, email: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    browser = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    signed = await browser.post("/signin", data={"email": email, "password": PASSWORD, "next": "/courier"})
    assert signed.status_code == 303
    return browser


async def test_courier_page_shows_shift_offers_and_uses_csrf(app: object, client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/courier")
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/signin?next=/courier")

    customer = await make_user(Role.CUSTOMER)
    browser = await _browser(app, customer.user.email)
    refused = await browser.get("/courier", headers={"accept": "text/html"})
    assert refused.status_code == 403
    await browser.aclose()

    courier = await make_user(Role.COURIER)
    browser = await _browser(app, courier.user.email)
    try:
        page = await browser.get("/courier")
        assert page.status_code == 200
        assert 'data-test="start-shift"' in page.text
        assert "/static/vendor/leaflet.js" in page.text
        csrf = re.search(r'data-csrf="([^"]+)"', page.text)
        assert csrf is not None

        body = {"minutes": 60, "lat": SPOT[0], "lng": SPOT[1]}
        no_token = await browser.post("/api/v1/courier/shift", json=body)
        assert no_token.status_code == 403
        assert "CSRF" in no_token.json()["error"]["message"]
        started = await browser.post(
            "/api/v1/courier/shift", json=body, headers={"X-CSRF-Token": csrf.group(1)}
        )
        assert started.status_code == 200

        payload = {
            "order_id": str(uuid.uuid4()),
            "pharmacy_id": str(uuid.uuid4()),
            "fulfilment": "delivery",
            "lat": SPOT[0] + 0.01,
            "lng": SPOT[1],
            "promised_by": (clock.now() + timedelta(minutes=30)).isoformat(),
            "pharmacy_lat": SPOT[0],
            "pharmacy_lng": SPOT[1],
        }
        async with db.session_scope() as session:
            await subscribers.on_order_ready(
                session, Event(555_000_111, "orders.ready", payload, clock.now())
            )
        async with db.session_scope() as session:
            assert (await dispatch.run_round(session, zone_of(*SPOT))).offers == 1

        board = await browser.get("/courier")
        assert board.status_code == 200
        assert board.text.count('data-test="accept"') == 1
        assert 'data-test="go-offline"' in board.text
        assert 'id="status" data-test="status">online<' in board.text
    finally:
        await browser.post("/api/v1/courier/offline", headers={"X-CSRF-Token": csrf.group(1) if csrf else ""})
        await browser.aclose()


async def test_courier_page_lists_the_days_deliveries_in_the_page_language(app: object) -> None:
    from medrush.dispatch.models import DeliveryJob

    courier = await make_user(Role.COURIER)
    other = await make_user(Role.COURIER)
    now = clock.now()

    def job(courier_id: uuid.UUID, delivered_ago: int, late: int) -> DeliveryJob:
        delivered = now - timedelta(minutes=delivered_ago)
        return carried_job(courier_id, delivered, spot=SPOT, zone=zone_of(*SPOT), late_minutes=late)

    on_time, late, yesterday, theirs = (
        job(courier.user.id, 90, -5),
        job(courier.user.id, 30, 7),
        job(courier.user.id, 60 * 30, 0),
        job(other.user.id, 20, 0),
    )
    async with db.session_scope() as session:
        session.add_all([on_time, late, yesterday, theirs])
    browser = await _browser(app, courier.user.email)
    try:
        page = await browser.get("/courier?lang=zh")
        assert page.status_code == 200
        listed = re.findall(r'data-delivered="([^"]+)"', page.text)
        assert listed == [str(late.id), str(on_time.id)]  # latest first; not yesterday's, not another's
        assert "已送达 2 单，其中 1 单按承诺时间送达" in page.text
        assert "超时 7 分钟" in page.text
        english = await browser.get("/courier?lang=en")
        assert "2 delivered, 1 by the promised time" in english.text and "7 min late" in english.text
    finally:
        await browser.aclose()
