"""/docs renders the OpenAPI document in a real browser (Swagger UI, self-hosted): no
error, every resource's section, and an operation opened shows its description and its
example. Playwright with Debian's chromium, as the console's browser tests; skipped
without them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from omnicart.store.migrate import upgrade
from tests.console.conftest import CHROMIUM, ThreadServer, launch_browser
from tests.credentials import API_KEYS, JWT_SECRET

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no chromium at {CHROMIUM}", allow_module_level=True)

expect = sync_api.expect

# The resources, as a partner finds them on the page (written by hand).
SECTIONS = [
    "carts",
    "items",
    "catalog",
    "customers",
    "fiber",
    "checkout",
    "direct fulfilment",
    "orders",
    "orders query",
    "hubs",
    "auth",
    "service",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from omnicart.config import Settings

    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'omnicart.db'}"
    upgrade(url)
    settings = Settings(database_url=url, api_keys=API_KEYS, jwt_secret=JWT_SECRET)
    with ThreadServer(settings) as server, sync_api.sync_playwright() as playwright:
        browser = launch_browser(playwright)
        opened = browser.new_page()
        opened.goto(f"{server.url}/docs")
        yield opened
        browser.close()


def test_every_resource_has_its_section_and_nothing_failed(page):
    for name in SECTIONS:
        section = page.locator(f'.opblock-tag-section:has(.opblock-tag[data-tag="{name}"])')
        expect(section.locator(".opblock").first).to_be_visible()  # with its operations
    expect(page.locator(".errors-wrapper")).to_have_count(0)


def test_an_operation_shows_its_description_and_examples(page):
    operation = page.locator("#operations-checkout-registerPaymentMethods")
    operation.locator(".opblock-summary").click()
    expect(operation.locator(".opblock-description-wrapper").first).to_contain_text("before express submit")
    expect(operation.locator(".body-param__example, .highlight-code").first).to_contain_text("paymentmethod_1")
