"""The shop and merchant pages end to end in one browser-like client each (cookies and CSRF)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from medrush import catalog, orders
from medrush.accounts import Role
from medrush.kernel import clock, db
from tests.factories.accounts import PASSWORD, make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy

PRODUCT = "paracetamol-500mg-tab-20"


@pytest.fixture(scope="module")
async def tables(database: str) -> str:
    """This area's tables and the shipped catalog in the test database."""
    await ensure_tables()
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
        await catalog.rebuild_index(session)
    return database


@pytest.fixture
async def browser(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping client."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def sign_in(http: httpx.AsyncClient, email: str) -> None:
    response = await http.post("/signin", data={"email": email, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


async def test_buy_pay_and_fulfil_through_the_pages(
    browser: httpx.AsyncClient, app: object, tables: str
) -> None:
    n = uuid.uuid4().int
    lat, lng = 20.0 + (n % 1000) / 1000, 100.0 + (n // 1000 % 1000) / 1000
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(PRODUCT, 5, 990)], name="Page Test Pharmacy")
    buyer = await make_user(Role.CUSTOMER)
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    await sign_in(browser, buyer.user.email)

    page = await browser.get("/shop", params={"q": "paracetamol", "lat": lat, "lng": lng})
    assert page.status_code == 200
    assert "Page Test Pharmacy" in page.text
    token = csrf(page.text)
    refused = await browser.post(
        "/shop/cart", data={"pharmacy_id": str(pid), "medicine_id": PRODUCT, "quantity": "1"}
    )
    assert refused.status_code == 403  # no CSRF token
    added = await browser.post(
        "/shop/cart",
        data={"csrf_token": token, "pharmacy_id": str(pid), "medicine_id": PRODUCT, "quantity": "2"},
    )
    assert added.status_code == 303
    cart = await browser.get("/shop/cart")
    assert "¥19.80" in cart.text
    key = re.search(r'name="checkout_key" value="([0-9a-f]+)"', cart.text)
    assert key is not None
    form = {"csrf_token": token, "lat": lat, "lng": lng, "address": "Room 1", "checkout_key": key.group(1)}
    paying = await browser.post("/shop/checkout", data=form)
    assert paying.status_code == 303
    double_click = await browser.post("/shop/checkout", data=form)
    assert double_click.headers["location"] == paying.headers["location"]
    pay_url = paying.headers["location"]
    assert pay_url.startswith("/shop/pay/sbx_")
    assert "¥24.80" in (await browser.get(pay_url)).text
    tracked = await browser.post(pay_url, data={"csrf_token": token, "outcome": "pay"})
    order_url = tracked.headers["location"]
    order_page = await browser.get(order_url)
    assert 'data-test="status" id="status" data-status="paid">Paid<' in order_page.text
    code = re.search(r'data-test="handover-code" id="code">(\d{6})<', order_page.text)
    assert code is not None

    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as desk:
        await sign_in(desk, staff.user.email)
        inbox = await desk.get("/merchant")
        assert 'data-new-count="1"' in inbox.text
        staff_token = csrf(inbox.text)
        oid = order_url.rsplit("/", 1)[1]
        for action, extra in (
            ("accept", {}),
            ("picking", {}),
            ("picked", {"medicine_id": PRODUCT, "picked": "1"}),
        ):
            step = await desk.post(
                f"/merchant/orders/{oid}/{action}", data={"csrf_token": staff_token, **extra}
            )
            assert step.status_code == 303, (action, step.text)
        ready = await desk.post(f"/merchant/orders/{oid}/ready", data={"csrf_token": staff_token})
        assert ready.status_code == 303
        assert "Ready for pickup" not in (await desk.get(f"/merchant/orders/{oid}")).text
        stock = await desk.get("/merchant/stock")
        assert PRODUCT in stock.text
        report = await desk.post(
            "/merchant/stock/import",
            data={"csrf_token": staff_token},
            files={"file": ("s.csv", b"medicine_id,quantity,price\nnot-a-product,1,1\n", "text/csv")},
        )
        assert report.status_code == 200
        assert "unknown product" in report.text
        assert (await desk.get("/merchant/insights")).status_code == 200
        duty = await desk.post("/merchant/pharmacist", data={"csrf_token": staff_token, "name": "Chen Jing"})
        assert duty.status_code == 303
        assert 'value="Chen Jing"' in (await desk.get("/merchant")).text
    final = await browser.get(order_url)
    assert 'data-status="ready">Ready<' in final.text
    outsider = await make_user(Role.CUSTOMER)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await sign_in(other, outsider.user.email)
        assert (await other.get(order_url)).status_code == 404
        assert (await other.get("/merchant")).headers["location"] == "/merchant/apply"  # not this inbox


async def test_an_order_cancelled_by_the_platform_says_why_in_the_page_language(
    browser: httpx.AsyncClient, tables: str
) -> None:
    n = uuid.uuid4().int
    lat, lng = 20.0 + (n % 1000) / 1000, 100.0 + (n // 1000 % 1000) / 1000
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(PRODUCT, 5, 990)], name="Unpaid Test Pharmacy")
    buyer = await make_user(Role.CUSTOMER)
    await sign_in(browser, buyer.user.email)
    token = csrf((await browser.get("/shop", params={"q": "paracetamol", "lat": lat, "lng": lng})).text)
    await browser.post(
        "/shop/cart",
        data={"csrf_token": token, "pharmacy_id": str(pid), "medicine_id": PRODUCT, "quantity": "1"},
    )
    key = re.search(r'name="checkout_key" value="([0-9a-f]+)"', (await browser.get("/shop/cart")).text)
    assert key is not None
    form = {"csrf_token": token, "lat": lat, "lng": lng, "address": "Room 2", "checkout_key": key.group(1)}
    pay_page = await browser.get((await browser.post("/shop/checkout", data=form)).headers["location"])
    order_url = re.search(r'href="(/shop/orders/[0-9a-f-]+)"', pay_page.text)
    assert order_url is not None, "the payment page links to the order"
    later = clock.FrozenClock(clock.now() + timedelta(hours=2))  # the reservation ran out unpaid
    clock.set_clock(later)
    try:
        async with db.session_scope() as session:
            assert await orders.expire_unpaid(session) >= 1
    finally:
        clock.set_clock(None)
    page = await browser.get(order_url.group(1), params={"lang": "zh"})
    assert "未在规定时间内付款" in page.text
    assert "not paid in time" not in page.text.split("<script>")[0]
    oid = order_url.group(1).rsplit("/", 1)[1]
    listed = await browser.get("/shop/orders")
    assert f'data-test="order-{oid}"' in listed.text
    assert "未在规定时间内付款" in listed.text  # the language chosen above stays
    mine = (await browser.get("/api/v1/orders", headers=buyer.headers)).json()
    assert (mine[0]["id"], mine[0]["status"], mine[0]["cancel_reason"]) == (
        oid,
        "cancelled",
        "not paid in time",
    )
    someone_else = await make_user(Role.CUSTOMER)
    assert (await browser.get("/api/v1/orders", headers=someone_else.headers)).json() == []
    assert (
        await browser.get("/api/v1/orders", params={"limit": 0}, headers=buyer.headers)
    ).status_code == 422


async def test_a_refused_checkout_leaves_nothing_behind_and_its_form_can_be_sent_again(
    browser: httpx.AsyncClient, tables: str
) -> None:
    """The refusal rolls back: no half-claimed form key that would replay an empty answer."""
    n = uuid.uuid4().int
    lat, lng = -20.0 - (n % 1000) / 1000, -50.0 - (n // 1000 % 1000) / 1000
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(PRODUCT, 5, 990)], name="Refusal Test Pharmacy")
    buyer = await make_user(Role.CUSTOMER)
    await sign_in(browser, buyer.user.email)
    token = csrf((await browser.get("/shop", params={"q": "paracetamol", "lat": lat, "lng": lng})).text)
    added = await browser.post(
        "/shop/cart",
        data={"csrf_token": token, "pharmacy_id": str(pid), "medicine_id": PRODUCT, "quantity": "1"},
    )
    assert added.status_code == 303
    key = re.search(r'name="checkout_key" value="([0-9a-f]+)"', (await browser.get("/shop/cart")).text)
    assert key is not None
    far = {"csrf_token": token, "lat": lat + 1, "lng": lng, "address": "Far", "checkout_key": key.group(1)}
    for _ in range(2):  # the same refused form twice: a clear refusal both times
        refused = await browser.post("/shop/checkout", data=far)
        assert 400 <= refused.status_code < 500, refused.text
    assert PRODUCT in (await browser.get("/shop/cart")).text  # the cart is still there
    near = {**far, "lat": lat, "address": "Room 3"}
    nul = await browser.post("/shop/checkout", data={**near, "checkout_key": "a\x00b"})
    assert nul.status_code == 422  # PostgreSQL cannot store it: a clear refusal, not a crash
    paying = await browser.post("/shop/checkout", data=near)
    assert paying.status_code == 303, paying.text
    assert paying.headers["location"].startswith("/shop/pay/sbx_")
