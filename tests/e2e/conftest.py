"""Browser journeys: one Chromium for the session, the payment simulators, the real worker,
and the contact sheet of every screenshot written when the session ends."""

from __future__ import annotations

import pytest

# The browser journeys pay through the providers' simulators.
from ..integration.conftest import real_worker  # noqa: F401
from ..payments.simulators import fedapay_simulator, paygate_simulator  # noqa: F401
from .browser import CHROMIUM, LAUNCH_ARGS, write_contact_sheet


@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium for one test (list it after the fixtures that prepare data: while
    it runs, Playwright's sync API keeps an event loop running in this thread, and code
    that calls asyncio.run(), such as sealing a PDF, cannot run here). The ORM calls the
    test makes between steps are still plain synchronous code."""
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def contact_sheet():
    """var/screenshots/index.html, once every journey of the session has run."""
    yield
    write_contact_sheet()
