"""The console in a real browser: Playwright for Python driving Debian's chromium against
a sandbox served by uvicorn (SQLite, fulfilment steps of 0.3 s, deliveries every 0.2 s).
scripts/test installs chromium; without it (or Playwright) these tests are skipped."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from omnicart.store.migrate import upgrade
from tests.carts import COMPLETE, line
from tests.conftest import SEED_REQUEST
from tests.console.conftest import CHROMIUM, ThreadServer, console_settings, launch_browser
from tests.credentials import AUTH, KEY, OTHER_AUTH
from tests.live import free_port

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(
        f"no chromium at {CHROMIUM}: scripts/test installs it with apt-get (needs root)", allow_module_level=True
    )

expect = sync_api.expect
CUSTOMER = SEED_REQUEST["relatedParty"][2]["id"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'omnicart.db'}"
    upgrade(url)
    settings = console_settings(
        url,
        sandbox=True,
        rate_limit=None,
        fulfilment_step_seconds=0.3,
        fulfilment_poll_seconds=0.1,
        webhook_poll_seconds=0.2,
    )
    with ThreadServer(settings) as running:
        yield running


@pytest.fixture(scope="module")
def api(server: ThreadServer) -> Iterator[httpx.Client]:
    """The partner API, as partner-a."""
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = launch_browser(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: ThreadServer):  # type: ignore[no-untyped-def]
    """A fresh browser context, signed in as partner-a with its API key."""
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/console/sign-in")
    page.get_by_label("API key").fill(KEY)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Carts"))
    expect(page.locator("#partner")).to_have_text("partner-a")
    yield page
    context.close()


def test_find_a_cart_open_it_and_see_its_validation_message(page, api) -> None:  # type: ignore[no-untyped-def]
    items = [
        *line(),
        {
            "productOrderItemId": "stray",
            "action": "add",
            "productOfferingType": "SIM",
            "productOfferingId": "no-such-sim",
            "rootBundleProductOrderItemId": "line-1",
        },
    ]
    cart = api.post("/omni-svcs/v1/carts", json={**SEED_REQUEST, "items": items}).json()
    page.get_by_label("Cart id or customer").fill(CUSTOMER)
    page.get_by_label("State").select_option("Draft")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=cart["id"]).click()
    expect(page).to_have_title(re.compile(f"^Cart {cart['id']}"))
    stray = page.locator("li.item", has=page.locator("code", has_text=re.compile("^stray$"))).first
    expect(stray.get_by_role("note")).to_contain_text("OFFERING_NOT_FOUND")
    expect(page.locator(".facts")).to_contain_text("not ready to submit")


def test_an_order_submitted_through_the_api_reaches_completed_live(page, api) -> None:  # type: ignore[no-untyped-def]
    cart = api.post("/omni-svcs/v1/carts", json={**SEED_REQUEST, "items": line()}).json()
    order = api.post(f"/omni-svcs/v1/carts/{cart['id']}/express-submit", json=COMPLETE).json()
    page.get_by_role("link", name="Orders").click()
    page.get_by_role("link", name=order["customerOrderId"]).click()
    expect(page.locator("#order-state")).to_have_text("Completed", timeout=15_000)  # by polling, no reload
    expect(page.locator("ol.timeline li")).to_have_count(4)


def test_a_mock_scenario_run_from_the_console(page, api) -> None:  # type: ignore[no-untyped-def]
    cart = api.post("/omni-svcs/v1/carts", json={**SEED_REQUEST, "items": line()}).json()
    page.goto(f"/console/carts/{cart['id']}")
    page.get_by_label("mock-scenario").select_option("fulfilment_fails")
    page.get_by_label("Parameters").fill("after=1")
    page.get_by_role("button", name="Submit and watch the order").click()
    expect(page).to_have_title(re.compile("^Order "))
    expect(page.locator("#order-state")).to_have_text("Failed", timeout=15_000)


def test_a_deliverys_error_and_another_partners_cart(page, api, server) -> None:  # type: ignore[no-untyped-def]
    api.post(
        "/omni-svcs/v1/hub",
        json={"callback": f"http://127.0.0.1:{free_port()}/events", "query": "eventType=ShoppingCartCreateEvent"},
    )
    api.post("/omni-svcs/v1/carts", json=SEED_REQUEST)
    page.get_by_role("link", name="Events").click()
    error = page.locator("td.delivery-error").first
    for _ in range(50):  # the dispatcher tries within 0.2 s
        if error.count() and error.inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(error).to_contain_text("ConnectError")
    theirs = httpx.post(f"{server.url}/omni-svcs/v1/carts", json=SEED_REQUEST, headers=OTHER_AUTH).json()["id"]
    response = page.goto(f"/console/carts/{theirs}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


def test_each_version_shows_what_it_changed(page, api) -> None:  # type: ignore[no-untyped-def]
    cart = api.post("/omni-svcs/v1/carts", json=SEED_REQUEST).json()
    api.post(f"/omni-svcs/v1/carts/{cart['id']}/items", json={"items": line()})
    api.delete(f"/omni-svcs/v1/carts/{cart['id']}/items/line-1-protect")
    page.goto(f"/console/carts/{cart['id']}")
    newest, added, created = page.locator("#history li.version").all()
    expect(newest.locator(".change-removed")).to_have_text(
        re.compile(r"^removed item line-1-protect Device_Protection")
    )
    expect(added.locator(".change-added")).to_have_count(4)
    expect(added.locator(".change-added").first).to_contain_text("added item line-1 Mobile_Offer")
    total = added.locator(".change-field", has_text="orderTotalPrice[")
    expect(total.first).to_contain_text("→")
    expect(created).to_contain_text("ShoppingCartCreateEvent")


def test_events_filtered_by_type_and_cart_with_their_total(page, api) -> None:  # type: ignore[no-untyped-def]
    cart = api.post("/omni-svcs/v1/carts", json=SEED_REQUEST).json()
    api.post(f"/omni-svcs/v1/carts/{cart['id']}/items", json={"items": line()})
    page.get_by_role("link", name="Events").click()
    page.get_by_label("Event type").select_option("ShoppingCartAttributeValueChangeEvent")
    page.get_by_label("Cart id").fill(cart["id"])
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#total")).to_have_text("1 event matches")
    expect(page.locator("#events td.event-type")).to_have_text(["ShoppingCartAttributeValueChangeEvent"])
    page.get_by_label("Event type").select_option("")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#total")).to_have_text("2 events match")
    page.get_by_role("link", name="Carts").click()
    expect(page.locator("#total")).to_have_text(re.compile(r"^\d+ carts$"))
    page.get_by_label("Cart id or customer").fill(cart["id"])
    page.keyboard.press("Enter")
    expect(page.locator("#total")).to_have_text("1 cart matches")


def test_an_order_shows_its_items_totals_and_fulfilment_timeline(page, api) -> None:  # type: ignore[no-untyped-def]
    cart = api.post("/omni-svcs/v1/carts", json={**SEED_REQUEST, "items": line()}).json()
    order = api.post(f"/omni-svcs/v1/carts/{cart['id']}/express-submit", json=COMPLETE).json()
    page.goto(f"/console/orders/{order['id']}")
    items = page.locator("#order-items li.item code", has_text=re.compile("^line-1"))
    expect(items).to_have_text(["line-1", "line-1-phone", "line-1-sim", "line-1-protect"])
    expect(page.locator("#order-totals ul.totals li").first).to_contain_text(re.compile(r"\d+\.\d\d"))
    expect(page.locator("ol.timeline li").first).to_contain_text("Submitted")
    expect(page.locator("#order-state")).to_have_text("Completed", timeout=15_000)
    expect(page.locator("ol.timeline li.planned")).to_have_count(0)
    orders = page.get_by_role("link", name="Orders")
    orders.click()
    expect(page.locator("#total")).to_have_text(re.compile(r"^\d+ orders?$"))


def test_a_failing_listener_shows_its_error_circuit_and_what_waits(page, api) -> None:  # type: ignore[no-untyped-def]
    callback = f"http://127.0.0.1:{free_port()}/events"
    api.post(
        "/omni-svcs/v1/hub", json={"callback": callback, "query": "eventType=ShoppingCartAttributeValueChangeEvent"}
    )
    cart = api.post("/omni-svcs/v1/carts", json=SEED_REQUEST).json()
    api.post(f"/omni-svcs/v1/carts/{cart['id']}/items", json={"items": line()[:1]})
    page.wait_for_timeout(600)  # the dispatcher tries the first within 0.2 s; it fails
    api.post(f"/omni-svcs/v1/carts/{cart['id']}/items", json={"items": line()[1:2]})
    page.goto("/console/hubs")
    hub = page.locator("article.hub", has=page.get_by_role("heading", name=callback))
    for _ in range(50):  # the next round holds the second behind the first
        if "behind it" in hub.locator(".circuit").inner_text():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(hub.locator(".circuit")).to_contain_text(
        re.compile(r"^open: ShoppingCartAttributeValueChangeEvent .* failed")
    )
    expect(hub.locator(".circuit")).to_contain_text("1 later delivery waits behind it")
    expect(hub.locator(".last-error")).to_contain_text("ConnectError")
    expect(hub.locator(".waiting")).to_have_text("2")
    page.goto(f"/console/events?cart={cart['id']}&type=ShoppingCartAttributeValueChangeEvent")
    held = page.locator("#events tbody.event").first.locator("td.delivery-why")
    expect(held).to_contain_text(re.compile(r"^held until .* behind ShoppingCartAttributeValueChangeEvent"))
    expect(page.locator("#events tbody.event").nth(1).locator("td.delivery-why")).to_contain_text("attempt 1 failed")


def test_screenshots(page, api) -> None:  # type: ignore[no-untyped-def]
    """With OMNICART_CONSOLE_SCREENSHOTS=1: the main pages as PNGs in docs/console/."""
    if not os.environ.get("OMNICART_CONSOLE_SCREENSHOTS"):
        pytest.skip("set OMNICART_CONSOLE_SCREENSHOTS=1 to refresh docs/console/*.png")
    out = Path(__file__).parents[2] / "docs" / "console"
    out.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    shots = {
        "carts": "/console/carts",
        "events": "/console/events",
        "hubs": "/console/hubs",
        "orders": "/console/orders",
    }
    stray = {
        "productOrderItemId": "line-1-case",
        "action": "add",
        "productOfferingType": "Accessory",
        "productOfferingId": "no-such-case",
        "rootBundleProductOrderItemId": "line-1",
    }
    cart = api.post("/omni-svcs/v1/carts", json={**SEED_REQUEST, "items": [*line()[:3], stray]}).json()
    api.post(f"/omni-svcs/v1/carts/{cart['id']}/items", json={"items": line()[3:]})  # a version to compare
    shots["cart"] = f"/console/carts/{cart['id']}"
    order = api.get("/omni-svcs/v1/orders").json()[-1]  # the oldest: Completed when the module ran
    shots["order"] = f"/console/orders/{order['id']}"
    for name, path in shots.items():
        page.goto(path)
        page.screenshot(path=str(out / f"{name}.png"), full_page=name != "events")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(shots["cart"])
    page.screenshot(path=str(out / "cart-phone.png"), full_page=True)
