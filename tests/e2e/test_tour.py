"""The console tour on the demo data: each role signs in and its console renders.

It runs on a database and server of its own, loaded by `medrush demo --no-serve` exactly as a user
would, so the demo set never meets other tests' data. With ``MEDRUSH_SCREENSHOTS=1`` the pages are
saved to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, create_database, drop_database, serve
from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser

TOUR = [
    ("customer@demo.medrush.org", "/shop?q=ibuprofen&lat=31.2304&lng=121.4737", "shop-search"),
    ("customer@demo.medrush.org", "/account", "family"),
    ("customer@demo.medrush.org", "/consult", "consult"),
    ("staff.sh01@demo.medrush.org", "/merchant", "merchant-inbox"),
    ("staff.sh01@demo.medrush.org", "/merchant/insights", "merchant-insights"),
    ("pharmacist.sh01@demo.medrush.org", "/clinician/reviews", "prescription-reviews"),
    ("doctor@demo.medrush.org", "/clinician", "clinician"),
    ("courier@demo.medrush.org", "/courier", "courier"),
    ("operator@demo.medrush.org", "/operator", "operator"),
    ("operator@demo.medrush.org", "/console/audit", "audit"),
]
MOBILE = ("shop", "family", "consult", "courier")


@pytest.fixture(scope="module")
def demo_server(database: str) -> Iterator[str]:
    """A server on a fresh database holding the demo set of `medrush demo`."""
    url, server = create_database()
    try:
        loaded = subprocess.run(
            [sys.executable, "-m", "medrush", "demo", "--no-serve"],
            env={**os.environ, "MEDRUSH_DATABASE_URL": url},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert loaded.returncode == 0, loaded.stderr[-2000:]
        assert "customer@demo.medrush.org" in loaded.stdout
        yield from serve(url)
    finally:
        drop_database(url, server)


@pytest.fixture
async def demo_page(browser: Any, demo_server: str) -> AsyncIterator[Any]:
    """A fresh browser context on the demo server."""
    context = await browser.new_context(base_url=demo_server, viewport={"width": 390, "height": 844})
    tab = await context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        await context.close()


@pytest.mark.parametrize(("email", "path", "name"), TOUR, ids=[t[2] for t in TOUR])
async def test_console_renders_for_its_role(demo_page: Any, email: str, path: str, name: str) -> None:
    page = demo_page
    await page.goto("/signin")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "medrush-demo")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/")
    if not name.startswith(MOBILE):
        await page.set_viewport_size({"width": 1280, "height": 800})  # staff consoles are desktop pages
    response = await page.goto(path)
    assert response is not None
    assert response.status == 200, await page.content()
    assert await page.locator("main").count() == 1
    if name == "operator":  # the live map and the on-time chart were drawn by their scripts
        await page.locator("#fleet-map.leaflet-container").wait_for()
        await page.locator("#on-time-chart canvas").wait_for()
    if name == "merchant-insights":  # the demo's eight weeks of sales end in a cold-and-flu surge
        await page.locator("[data-test=surges] li").first.wait_for()
    # times written in UTC by the server are shown in the reader's zone, in the page's language
    lang = await page.locator("html").get_attribute("lang")
    for text in await page.locator("time[data-at]").all_inner_texts():
        assert "UTC" not in text, (name, text)
        if lang != "en":
            assert "AM" not in text and "PM" not in text, (name, lang, text)
    await shoot(page, name)


async def test_an_operator_plans_a_day_and_sees_couriers_per_hour(demo_page: Any) -> None:
    page = demo_page
    await page.set_viewport_size({"width": 1280, "height": 800})
    await page.goto("/signin")
    await page.fill("input[name=email]", "operator@demo.medrush.org")
    await page.fill("input[name=password]", "medrush-demo")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/")
    await page.goto("/operator")
    await page.get_by_role("link", name="Plan a day").click()
    await page.wait_for_url("**/operator/simulate")
    await page.select_option("select[name=city]", "Shanghai")
    await page.fill("input[name=orders_per_day]", "500")
    await page.fill("input[name=surge]", "18-21x2")
    await page.fill("input[name=consults_per_day]", "400")
    # the form posts and the page comes back when the day is simulated: tens of seconds on a busy machine
    await page.locator("[data-test=simulate-run]").click(timeout=180_000)
    result = page.locator("[data-test=simulate-result]")
    await result.wait_for(timeout=180_000)
    assert await page.locator("[data-test=simulate-hours] tbody tr").count() == 24
    assert "Shanghai" in await result.locator("h2").inner_text()
    await page.locator("#simulate-chart canvas").wait_for()
    await result.evaluate("el => el.scrollIntoView()")  # the screenshot shows the answer, not the form
    await shoot(page, "operator-plan")


async def test_the_demo_customer_lists_her_past_orders_and_no_one_elses(demo_server: str) -> None:
    """Over HTTP (no browser needed): the past day's orders belong to their customers."""
    orders_of = re.compile(r'data-test="order-([0-9a-f-]{36})"')
    async with (
        httpx.AsyncClient(base_url=demo_server) as li_na,
        httpx.AsyncClient(base_url=demo_server) as neighbour,
    ):
        for http, email in (
            (li_na, "customer@demo.medrush.org"),
            (neighbour, "customer.001@demo.medrush.org"),
        ):
            signed = await http.post(
                "/signin", data={"email": email, "password": "medrush-demo", "next": "/"}
            )
            assert signed.status_code == 303, signed.text
        page = await li_na.get("/shop/orders")
        assert page.status_code == 200
        mine = orders_of.findall(page.text)
        assert len(mine) == 3 and page.text.count('data-status="delivered"') == 3
        theirs = orders_of.findall((await neighbour.get("/shop/orders")).text)
        assert theirs and not set(mine) & set(theirs)
        assert (await li_na.get(f"/shop/orders/{mine[0]}")).status_code == 200
        assert (await neighbour.get(f"/shop/orders/{mine[0]}")).status_code == 404
        assert (await li_na.get(f"/shop/orders/{theirs[0]}")).status_code == 404
