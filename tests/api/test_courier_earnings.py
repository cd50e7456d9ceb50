"""Courier earnings over HTTP: ``earnings`` in ``GET /api/v1/courier/me`` and the courier page in each
language (the guarantee for the time online, the shift time and the time offline in it); one
courier never sees another's pay."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from medrush import dispatch
from medrush.accounts import Role, actor_for_user
from medrush.dispatch.models import DeliveryJob
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from medrush.kernel.i18n import gettext
from tests.factories.accounts import PASSWORD, Someone, make_user
from tests.factories.dispatch import carried_job, pause

SPOT = (30.5928, 114.3055)  # Wuhan: a zone of its own


@pytest.fixture
def now() -> Iterator[datetime]:
    """The clock stopped at the real time, so shift minutes and the guarantee are exact."""
    at = clock.now()
    clock.set_clock(FrozenClock(at))
    yield at
    clock.set_clock(None)


def _delivered(courier_id: uuid.UUID, at: datetime) -> DeliveryJob:
    return carried_job(courier_id, at, spot=SPOT, zone="pay-page-test")


async def _two_couriers(now: datetime) -> tuple[Someone, Someone]:
    """``quiet``: 90 minutes on a shift still open, 2 deliveries (the guarantee leads, ¥39.00);
    ``shiftless``: no shift, 3 deliveries (¥21.00)."""
    quiet, shiftless = await make_user(Role.COURIER), await make_user(Role.COURIER)
    clock.set_clock(FrozenClock(now - timedelta(minutes=90)))  # the shift starts the way a courier starts it
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor_for_user(quiet.user), minutes=210, lat=SPOT[0], lng=SPOT[1])
    clock.set_clock(FrozenClock(now))
    async with db.session_scope() as session:
        session.add_all([_delivered(quiet.user.id, now - timedelta(minutes=m)) for m in (20, 70)])
        session.add_all([_delivered(shiftless.user.id, now - timedelta(minutes=m)) for m in (5, 10, 15)])
    return quiet, shiftless


async def _paused_courier(now: datetime, back: timedelta = timedelta(minutes=40)) -> Someone:
    """90 minutes on a shift still open, offline from 60 minutes ago to ``back`` ago, no delivery:
    by default the guarantee for 70 minutes online, 2600 x 70 / 60 = 3033.33, ¥30.33."""
    paused = await make_user(Role.COURIER)
    clock.set_clock(FrozenClock(now - timedelta(minutes=90)))
    async with db.session_scope() as session:
        await dispatch.start_shift(
            session, actor_for_user(paused.user), minutes=210, lat=SPOT[0], lng=SPOT[1]
        )
    await pause(paused.user.id, now - timedelta(minutes=60), now - back)
    clock.set_clock(FrozenClock(now))
    return paused


async def test_me_pays_the_guarantee_for_the_time_online(client: httpx.AsyncClient, now: datetime) -> None:
    paused = await _paused_courier(now)
    earned = (await client.get("/api/v1/courier/me", headers=paused.headers)).json()["earnings"]
    assert earned == {
        "since": (now - timedelta(hours=24)).isoformat(),
        "currency": "CNY",
        "pay_per_delivery": 700,
        "pay_per_hour": 2600,
        "deliveries": 0,
        "delivery_pay": 0,
        "shift_seconds": 5400,
        "shift_hours": 1.5,
        "online_seconds": 4200,
        "online_hours": 1.17,
        "paused_seconds": 1200,
        "guarantee": 3033,
        "due": 3033,
    }


async def test_me_shows_each_courier_only_its_own_earnings(client: httpx.AsyncClient, now: datetime) -> None:
    quiet, shiftless = await _two_couriers(now)
    mine = (await client.get("/api/v1/courier/me", headers=quiet.headers)).json()
    assert mine["earnings"] == {
        "since": (now - timedelta(hours=24)).isoformat(),
        "currency": "CNY",
        "pay_per_delivery": 700,
        "pay_per_hour": 2600,
        "deliveries": 2,
        "delivery_pay": 1400,
        "shift_seconds": 5400,
        "shift_hours": 1.5,
        "online_seconds": 5400,
        "online_hours": 1.5,
        "paused_seconds": 0,
        "guarantee": 3900,
        "due": 3900,
    }
    assert mine["delivered"]["count"] == 2 and mine["on_shift"] is True  # the other fields stay
    theirs = (await client.get("/api/v1/courier/me", headers=shiftless.headers)).json()["earnings"]
    assert (theirs["deliveries"], theirs["delivery_pay"], theirs["shift_seconds"], theirs["due"]) == (
        3,
        2100,
        0,
        2100,
    )
    # a customer has no courier board, hence no pay to read
    customer = await make_user(Role.CUSTOMER)
    assert (await client.get("/api/v1/courier/me", headers=customer.headers)).status_code == 403


async def _page(app: object, who: Someone, lang: str) -> str:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        signed = await browser.post(
            "/signin", data={"email": who.user.email, "password": PASSWORD, "next": "/"}
        )
        assert signed.status_code == 303
        page = await browser.get(f"/courier?lang={lang}")
        assert page.status_code == 200
        return page.text


def _figure(html: str, test_id: str) -> str:
    found = re.search(rf'data-test="{test_id}"[^>]*>([^<]*)<', html)
    assert found is not None, test_id
    return found.group(1)


@pytest.mark.parametrize("lang", ["zh", "ko", "en"])
async def test_the_courier_page_shows_the_earnings_in_its_language(
    app: object, now: datetime, lang: str
) -> None:
    quiet, shiftless = await _two_couriers(now)
    _ = lambda message: gettext(lang, message)  # noqa: E731 - as the templates say it
    page = await _page(app, quiet, lang)
    assert f'<html lang="{ {"zh": "zh-CN", "ko": "ko", "en": "en"}[lang] }">' in page
    assert _("Earnings in the last 24 hours") in page and _("Amount due") in page
    assert _figure(page, "earnings-due") == "¥39.00"
    per_delivery = _("Per delivery: {count} at {rate} each = {amount}")
    assert _figure(page, "earnings-deliveries") == per_delivery.replace("{count}", "2").replace(
        "{rate}", "¥7.00"
    ).replace("{amount}", "¥14.00")
    span = _("{hours} h {minutes} min")
    time = span.replace("{hours}", "1").replace("{minutes}", "30")
    guarantee = _("Hourly guarantee: {time} online at {rate} an hour = {amount}")
    assert _figure(page, "earnings-guarantee") == guarantee.replace("{time}", time).replace(
        "{rate}", "¥26.00"
    ).replace("{amount}", "¥39.00")
    on_shift = _("On shift {shift}, of which {paused} offline")
    nothing = span.replace("{hours}", "0").replace("{minutes}", "0")
    assert _figure(page, "earnings-shift") == on_shift.replace("{shift}", time).replace("{paused}", nothing)
    assert 'data-test="earnings-guarantee" class="leads"' in page  # the part that is paid
    assert "¥21.00" not in page  # not the other courier's pay

    theirs = await _page(app, shiftless, lang)
    assert _figure(theirs, "earnings-due") == "¥21.00"
    assert 'data-test="earnings-deliveries" class="leads"' in theirs
    assert "¥39.00" not in theirs
    if lang == "en":
        assert "Per delivery: 3 at ¥7.00 each = ¥21.00" in theirs
        assert "Hourly guarantee: 0 h 0 min online at ¥26.00 an hour = ¥0.00" in theirs
        assert "On shift 0 h 0 min, of which 0 h 0 min offline" in theirs

    # offline 20 of 90 minutes on shift: the guarantee pays the 70 online, the card shows all three
    paused = await _page(app, await _paused_courier(now), lang)
    assert _figure(paused, "earnings-due") == "¥30.33"
    online = span.replace("{hours}", "1").replace("{minutes}", "10")
    assert _figure(paused, "earnings-guarantee") == guarantee.replace("{time}", online).replace(
        "{rate}", "¥26.00"
    ).replace("{amount}", "¥30.33")
    offline = span.replace("{hours}", "0").replace("{minutes}", "20")
    assert _figure(paused, "earnings-shift") == on_shift.replace("{shift}", time).replace("{paused}", offline)
    if lang == "en":
        assert "Hourly guarantee: 1 h 10 min online at ¥26.00 an hour = ¥30.33" in paused
        assert "On shift 1 h 30 min, of which 0 h 20 min offline" in paused


@pytest.mark.parametrize("lang", ["zh", "ko", "en"])
async def test_the_courier_pages_minutes_online_and_offline_add_up_to_the_shift(
    app: object, client: httpx.AsyncClient, now: datetime, lang: str
) -> None:
    # offline 20 min 30 s of 90 minutes: 69 min 30 s online. Each rounded down, 69 and 20 minutes
    # would leave one of the shift's 90 unaccounted for; the card shows 69 online and 21 offline
    paused = await _paused_courier(now, back=timedelta(minutes=39, seconds=30))
    me = (await client.get("/api/v1/courier/me", headers=paused.headers)).json()["earnings"]
    assert (me["shift_seconds"], me["online_seconds"], me["paused_seconds"], me["guarantee"]) == (
        5400,
        4170,
        1230,
        3012,  # 2600 x 4170 / 3600 = 3011.67
    )
    _ = lambda message: gettext(lang, message)  # noqa: E731 - as the templates say it
    page = await _page(app, paused, lang)
    span = _("{hours} h {minutes} min")
    online = span.replace("{hours}", "1").replace("{minutes}", "9")
    assert _figure(page, "earnings-guarantee") == _(
        "Hourly guarantee: {time} online at {rate} an hour = {amount}"
    ).replace("{time}", online).replace("{rate}", "¥26.00").replace("{amount}", "¥30.12")
    shift, offline = (
        span.replace("{hours}", h).replace("{minutes}", m) for h, m in (("1", "30"), ("0", "21"))
    )
    assert _figure(page, "earnings-shift") == _("On shift {shift}, of which {paused} offline").replace(
        "{shift}", shift
    ).replace("{paused}", offline)
    if lang == "en":
        assert "Hourly guarantee: 1 h 9 min online at ¥26.00 an hour = ¥30.12" in page
        assert "On shift 1 h 30 min, of which 0 h 21 min offline" in page
