"""A customer signs up, adds a family member, signs out and signs back in, in a real browser."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import shoot

pytestmark = pytest.mark.browser


async def test_sign_up_add_family_member_sign_out_and_in(page: Any) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    await page.goto("/")
    await shoot(page, "home")
    await page.get_by_role("link", name="Sign up").click()
    await page.fill("input[name=display_name]", "Chen Jing")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "browser-pass-1")
    await page.get_by_role("button", name="Sign up").click()
    await page.wait_for_url("**/account")
    assert await page.locator("text=No family members yet.").is_visible()

    form = page.locator("#add-profile")
    await form.locator("input[name=name]").fill("Doudou")
    await form.locator("select[name=relationship]").select_option("child")
    await form.locator("input[name=birth_date]").fill("2022-06-01")
    await form.locator("select[name=sex]").select_option("female")
    await form.locator("input[name=allergies]").fill("penicillin")
    await form.get_by_role("button", name="Add").click()
    profile = page.locator("[data-test=profile]").filter(has_text="Doudou")
    await profile.wait_for()
    assert "penicillin" in await profile.inner_text()
    await shoot(page, "family")

    await page.locator("[data-test=signout]").click()
    await page.wait_for_url("**/")
    assert await page.get_by_role("link", name="Sign in").is_visible()

    await page.get_by_role("link", name="Sign in").click()
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "browser-pass-1")
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/")
    await page.goto("/account")
    assert await page.locator("[data-test=profile]").filter(has_text="Doudou").is_visible()


async def test_pages_switch_language(page: Any) -> None:
    await page.goto("/?lang=zh")
    assert await page.locator("h1").inner_text() == "您需要什么药？"
    await page.goto("/?lang=ko")
    assert await page.locator("h1").inner_text() == "무엇이 필요하세요?"
