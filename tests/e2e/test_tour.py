"""The console tour on the demo data: each role signs in and its console renders.

With ``MEDRUSH_SCREENSHOTS=1`` the pages are saved to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser

TOUR = [
    ("customer@demo.medrush.org", "/shop?q=ibuprofen&lat=31.2304&lng=121.4737", "shop-search"),
    ("customer@demo.medrush.org", "/account", "family"),
    ("customer@demo.medrush.org", "/consult", "consult"),
    ("staff.sh01@demo.medrush.org", "/merchant", "merchant-inbox"),
    ("pharmacist.sh01@demo.medrush.org", "/clinician/reviews", "prescription-reviews"),
    ("doctor@demo.medrush.org", "/clinician", "clinician"),
    ("courier@demo.medrush.org", "/courier", "courier"),
    ("operator@demo.medrush.org", "/console/audit", "audit"),
]


@pytest.fixture(scope="module")
async def demo_data(database: str) -> None:
    """The demo set of `medrush demo`, loaded once into the test database."""
    from medrush.demo import load_demo_data

    await load_demo_data()


@pytest.mark.parametrize(("email", "path", "name"), TOUR, ids=[t[2] for t in TOUR])
async def test_console_renders_for_its_role(
    page: Any, demo_data: None, email: str, path: str, name: str
) -> None:
    await page.goto("/signin")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "medrush-demo")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/")
    if not name.startswith(("shop", "family", "consult", "courier")):
        await page.set_viewport_size({"width": 1280, "height": 800})  # staff consoles are desktop pages
    response = await page.goto(path)
    assert response is not None
    assert response.status == 200, await page.content()
    assert await page.locator("main").count() == 1
    await shoot(page, name)
