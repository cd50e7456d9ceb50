"""Browser test: a customer searches, adds to cart, pays in the sandbox; the pharmacy accepts, picks
and marks ready; the customer's tracking page follows without a reload (SSE)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from medrush import catalog, orders
from medrush.accounts import Role
from medrush.kernel import db
from tests.e2e.conftest import browser, page  # noqa: F401 - fixtures
from tests.factories.accounts import PASSWORD, make_user
from tests.integration.pharmacies.world import ensure_tables, make_pharmacy, staff_of

pytestmark = pytest.mark.browser
PRODUCT = "paracetamol-500mg-tab-20"


@pytest.fixture(scope="module")
async def shop_ready(database: str) -> None:
    """This area's tables and the shipped catalog."""
    await ensure_tables()
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)


async def sign_in(tab: Any, email: str) -> None:
    await tab.goto("/signin")
    await tab.fill("input[name=email]", email)
    await tab.fill("input[name=password]", PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.wait_for_url("**/")


async def test_buy_and_watch_the_order_become_ready(page: Any, shop_ready: None) -> None:  # noqa: F811
    n = uuid.uuid4().int
    lat, lng = 22.0 + (n % 1000) / 1000, 114.0 + (n // 1000 % 1000) / 1000
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[(PRODUCT, 5, 990)], name="Browser Test Pharmacy")
    buyer = await make_user(Role.CUSTOMER)
    await sign_in(page, buyer.user.email)

    await page.goto(f"/shop?q=paracetamol+500&lat={lat}&lng={lng}")
    offer = page.locator("[data-test=offer]", has_text="Browser Test Pharmacy").first
    await offer.locator("[data-test=add-to-cart]").click()
    await page.wait_for_url("**/shop/cart")
    await page.fill("[data-test=address]", "Room 5, Test Road")
    await page.locator("[data-test=checkout]").click()
    if await page.locator("[data-test=safety]").count():
        await page.check("input[name=confirm_warnings]")
        await page.fill("[data-test=address]", "Room 5, Test Road")
        await page.locator("[data-test=checkout]").click()
    await page.wait_for_url("**/shop/pay/**")
    await page.locator("[data-test=pay]").click()
    await page.wait_for_url("**/shop/orders/**")
    status = page.locator("[data-test=status]")
    assert (await status.get_attribute("data-status"), await status.text_content()) == ("paid", "Paid")
    assert len((await page.locator("[data-test=handover-code]").text_content()) or "") == 6

    order_id = uuid.UUID(page.url.rsplit("/", 1)[1])
    staff = staff_of(pid)
    async with db.session_scope() as session:
        await orders.accept_order(session, staff, order_id)
    await page.wait_for_function("document.getElementById('status').dataset.status === 'accepted'")
    assert await status.text_content() == "Accepted by the pharmacy"
    async with db.session_scope() as session:
        await orders.start_picking(session, staff, order_id)
        await orders.mark_picked(session, staff, order_id, PRODUCT, True)
        await orders.mark_ready(session, staff, order_id)
    await page.wait_for_function("document.getElementById('status').dataset.status === 'ready'")
    done = await page.locator("#steps li.done").evaluate_all("items => items.map(li => li.dataset.step)")
    assert done == ["placed", "paid", "accepted", "picking", "ready"]
