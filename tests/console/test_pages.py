"""The console's pages in-process, on SQLite and PostgreSQL: sessions, CSRF, isolation,
search, version history, deliveries and replay. Browser flows are in test_browser.py."""

from __future__ import annotations

import pytest

from tests.carts import COMPLETE, line
from tests.console.conftest import csrf_of, sign_in
from tests.credentials import AUTH, KEY, OTHER_AUTH, OTHER_KEY
from tests.live import free_port

CARTS = "/omni-svcs/v1/carts"
CUSTOMER = "3f7f9189-974e-4639-8343-4a1819a98c7e"  # the seed request's customer


@pytest.fixture
def signed_in(console):
    sign_in(console, KEY)
    return console


class TestSession:
    def test_without_a_session_every_page_asks_to_sign_in(self, console):
        for path in ("/console/carts", "/console/orders", "/console/events", "/console/hubs"):
            response = console.get(path)
            assert (response.status_code, response.headers["location"]) == (303, "/console/sign-in"), path

    def test_a_key_becomes_a_short_http_only_strict_cookie(self, console):
        page = console.get("/console/sign-in")
        response = console.post("/console/sign-in", data={"key": KEY, "csrf": csrf_of(page.text)})
        cookie = response.headers["set-cookie"].lower()
        assert cookie.startswith("omnicart_console=")
        assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=900" in cookie
        assert KEY.lower() not in cookie
        assert "partner-a" in console.get("/console/carts").text

    def test_a_wrong_key_is_refused(self, console):
        page = console.get("/console/sign-in")
        response = console.post("/console/sign-in", data={"key": KEY + "x", "csrf": csrf_of(page.text)})
        assert response.status_code == 401 and "not valid" in response.text

    def test_a_form_without_its_csrf_token_is_refused(self, console):
        console.get("/console/sign-in")
        assert console.post("/console/sign-in", data={"key": KEY}).status_code == 403
        assert console.post("/console/sign-in", data={"key": KEY, "csrf": "forged"}).status_code == 403

    def test_a_tampered_session_is_no_session(self, signed_in):
        session = signed_in.cookies.get("omnicart_console")
        payload, mac = session.split(".")
        signed_in.cookies.set("omnicart_console", payload[:-2] + "xx." + mac, path="/console")
        assert signed_in.get("/console/carts").status_code == 303

    def test_pages_forbid_inline_script(self, signed_in):
        policy = signed_in.get("/console/carts").headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy


class TestCarts:
    def test_another_partners_cart_is_not_found(self, signed_in, seed_request):
        theirs = signed_in.post(CARTS, json=seed_request, headers=OTHER_AUTH).json()["id"]
        response = signed_in.get(f"/console/carts/{theirs}")
        assert response.status_code == 404 and "Not found" in response.text
        assert theirs not in signed_in.get("/console/carts").text

    def test_search_by_customer_and_id_and_filter_by_state(self, signed_in, seed_request):
        mine = signed_in.post(CARTS, json=seed_request, headers=AUTH).json()["id"]
        seed_request["relatedParty"][2]["id"] = "another-customer"
        other = signed_in.post(CARTS, json=seed_request, headers=AUTH).json()["id"]
        found = signed_in.get("/console/carts", params={"q": CUSTOMER}).text
        assert mine in found and other not in found
        assert other in signed_in.get("/console/carts", params={"q": other}).text
        assert mine not in signed_in.get("/console/carts", params={"q": "no%such_"}).text
        assert mine not in signed_in.get("/console/carts", params={"state": "Submitted"}).text
        assert mine in signed_in.get("/console/carts", params={"state": "Draft"}).text

    def test_paging(self, signed_in, seed_request):
        made = [signed_in.post(CARTS, json=seed_request, headers=AUTH).json()["id"] for _ in range(21)]
        first, second = signed_in.get("/console/carts").text, signed_in.get("/console/carts?page=2").text
        assert made[0] in second and made[0] not in first and made[-1] in first
        assert 'rel="next"' in first and 'rel="next"' not in second

    def test_items_as_bundles_with_their_messages_and_the_version_history(self, signed_in, seed_request):
        cart = signed_in.post(CARTS, json=seed_request, headers=AUTH).json()
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
        signed_in.post(f"{CARTS}/{cart['id']}/items", json={"items": items}, headers=AUTH)
        page = signed_in.get(f"/console/carts/{cart['id']}").text
        bundle = page[page.index("<code>line-1</code>") :]
        assert bundle.index("line-1-phone") < bundle.index("stray") < bundle.index("OFFERING_NOT_FOUND")
        assert bundle.index('class="bundle"') < bundle.index("line-1-phone")
        history = page[page.index("Version history") :]
        assert "ShoppingCartAttributeValueChangeEvent" in history and "ShoppingCartCreateEvent" in history


class TestOrdersAndEvents:
    def test_an_order_shows_its_state_history_and_customer_order_id(self, signed_in, seed_request):
        seed_request["items"] = line()
        cart = signed_in.post(CARTS, json=seed_request, headers=AUTH).json()
        order = signed_in.post(f"{CARTS}/{cart['id']}/express-submit", headers=AUTH, json=COMPLETE).json()
        page = signed_in.get(f"/console/orders/{order['id']}").text
        assert order["customerOrderId"] in page and 'id="order-state"' in page and "Submitted" in page
        assert order["customerOrderId"] in signed_in.get("/console/orders").text
        assert signed_in.get(f"/console/orders/{order['id']}/timeline").text.lstrip().startswith('<div id="timeline"')
        sign_in(signed_in, OTHER_KEY)
        assert signed_in.get(f"/console/orders/{order['id']}").status_code == 404

    def test_an_order_shows_its_items_totals_and_the_steps_still_planned(self, visitor, seed_request):
        seed_request["items"] = line()
        client, auth = visitor.console, visitor.auth
        cart = client.post(CARTS, json=seed_request, headers=auth).json()
        order = client.post(f"{CARTS}/{cart['id']}/express-submit", headers=auth, json=COMPLETE).json()
        page = client.get(f"/console/orders/{order['id']}").text
        items = page[page.index('id="order-items"') : page.index('id="order-totals"')]
        assert [f"<code>{i}</code>" in items for i in ("line-1", "line-1-phone", "line-1-sim")] == [True] * 3
        totals = page[page.index('id="order-totals"') :]
        assert "<li>Due today: 804.99 (871.40 with tax) USD</li>" in totals
        # In sandbox mode fulfilment is simulated: its steps are planned (and, here, never made).
        planned = '<strong>Acknowledged</strong> <span class="hint">(planned)</span>'
        assert (planned in page) is visitor.sandbox

    def test_an_order_shows_its_terms_fulfilment_and_billing(self, signed_in, seed_request):
        seed_request["items"] = line()
        cart = signed_in.post(CARTS, json=seed_request, headers=AUTH).json()
        order_url = f"/omni-svcs/v1/order/{cart['id']}"
        chosen = {"productOrderItemId": "line-1-phone", "productOffering": {"id": "express-shipping"}}
        sim = {"productOrderItemId": "line-1-sim", "productOffering": {"id": "store-pickup"}}
        signed_in.post(f"{order_url}/fulfillment", headers=AUTH, json={"selectedOptions": [chosen, sim]})
        signed_in.post(f"{order_url}/billing", headers=AUTH, json={"enrollment": {"paperLess": "enrolled"}})
        order = signed_in.post(f"{CARTS}/{cart['id']}/express-submit", headers=AUTH, json=COMPLETE).json()
        page = signed_in.get(f"/console/orders/{order['id']}").text
        terms = page[page.index('id="order-terms"') : page.index("</ul>", page.index('id="order-terms"'))]
        assert "Wireless Customer Agreement <code>WCA</code> version 2025-06" in terms
        fulfilment = page[page.index('id="order-fulfilment"') :]
        assert "<td><code>line-1-phone</code></td><td>Express Shipping</td><td></td><td>14.99 USD</td>" in fulfilment
        assert "<td>Pick up in store</td><td><code>G5MGG</code> (store)</td><td>0.00 USD</td>" in fulfilment
        billing = page[page.index('id="order-billing"') :]
        assert (
            "<dt>AutoPay</dt><dd>not chosen</dd>" in billing and "<dt>Paperless bills</dt><dd>enrolled</dd>" in billing
        )

    def test_a_failed_delivery_shows_its_error_and_can_be_replayed(self, signed_in, seed_request):
        hub = signed_in.post(
            "/omni-svcs/v1/hub", headers=AUTH, json={"callback": f"http://127.0.0.1:{free_port()}/events"}
        ).json()
        signed_in.post(CARTS, json=seed_request, headers=AUTH)
        services = signed_in.app.state.services
        assert signed_in.portal.call(services.dispatcher.deliver_due) == 1
        page = signed_in.get("/console/events").text
        assert "ShoppingCartCreateEvent" in page and "retrying" in page and "ConnectError" in page
        event = signed_in.portal.call(lambda: services.hubs.events("partner-a", limit=1, offset=0))[0][0]
        assert event.deliveries[0].attempts == 1
        hubs = signed_in.get("/console/hubs")
        assert "ConnectError" in hubs.text
        replayed = signed_in.post(
            f"/console/hubs/{hub['id']}/replay", data={"event": event.event_id, "csrf": csrf_of(hubs.text)}
        )
        assert replayed.status_code == 200 and "delivered again" in replayed.text
        assert signed_in.portal.call(services.dispatcher.deliver_due) == 1  # due again at once
        sign_in(signed_in, OTHER_KEY)  # another partner can neither see nor replay it
        assert "No events match" in signed_in.get("/console/events").text
        refused = signed_in.post(
            f"/console/hubs/{hub['id']}/replay", data={"event": event.event_id, "csrf": csrf_of(hubs.text)}
        )
        assert refused.status_code == 404

    def test_ping_reports_what_the_listener_answered(self, signed_in):
        hub = signed_in.post(
            "/omni-svcs/v1/hub", headers=AUTH, json={"callback": f"http://127.0.0.1:{free_port()}/events"}
        ).json()
        page = signed_in.get("/console/hubs").text
        pinged = signed_in.post(f"/console/hubs/{hub['id']}/ping", data={"csrf": csrf_of(page)})
        assert pinged.status_code == 200 and "ConnectError" in pinged.text
