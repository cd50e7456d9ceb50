"""Browser fixtures: Playwright driving Debian's chromium (``make browser`` installs it as root).

Without chromium the browser tests skip with a message, except in CI (``CI`` set), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """A headless chromium shared by the session's browser tests."""
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium for the browser tests (make browser)")
        pytest.skip("browser tests need Debian's chromium: run `make browser` as root")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield instance
        finally:
            await instance.close()


@pytest.fixture
async def page(live_server: str, browser: Any) -> AsyncIterator[Any]:
    """A fresh browser context (no cookies) with a phone-sized viewport."""
    context = await browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, locale="en-US"
    )
    tab = await context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        await context.close()


async def shoot(page: Any, name: str) -> None:
    """Keep a screenshot for the README tour when MEDRUSH_SCREENSHOTS is set."""
    if os.environ.get("MEDRUSH_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
