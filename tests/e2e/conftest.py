"""Browser journeys: one Chromium for the session, the payment simulators, the real worker,
and the contact sheet of every screenshot written when the session ends."""

from __future__ import annotations

import os

import pytest

# The browser journeys pay through the providers' simulators.
from ..integration.conftest import real_worker  # noqa: F401
from ..payments.simulators import fedapay_simulator, paygate_simulator  # noqa: F401
from .browser import CHROMIUM, LAUNCH_ARGS, write_contact_sheet


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, started once per module. Playwright's sync API runs an event loop
    in this thread while it lives; the ORM calls the tests make between steps are still
    plain synchronous code (allowed for the module only)."""
    if CHROMIUM is None:
        pytest.skip("needs Debian's chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def contact_sheet():
    """var/screenshots/index.html, once every journey of the session has run."""
    yield
    write_contact_sheet()
