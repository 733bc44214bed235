"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs its own event loop; Django's async-safety guard would refuse the ORM calls the
# tests make between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "Demo@2026"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        # A CI artifact, not an assertion: Chromium under load sometimes answers "Unable to capture screenshot" to a
        # full-page capture; retry once with the viewport only.
        from playwright.sync_api import Error as PlaywrightError  # imported where the browser is, as above

        path = str(SCREENSHOTS / f"{name}.png")
        try:
            page.screenshot(path=path, full_page=True)
        except PlaywrightError:
            page.screenshot(path=path)

    return take


@pytest.fixture
def login_as(browser, live_server, settings):
    """Return a function that opens a fresh browser context logged in as the given user."""
    contexts = []

    def open_as(user=None, viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="vi-VN")
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
