"""Whatever a partner writes into a cart, an order or a listener, and whatever a visitor
posts, the console shows as text, never as markup: a script and a quote that would close
an attribute before an img tag come out escaped on every page that shows them, on SQLite
and PostgreSQL."""

from __future__ import annotations

import copy

import pytest

from tests.carts import COMPLETE, line
from tests.conftest import SEED_REQUEST
from tests.console.conftest import Visitor, csrf_of
from tests.live import free_port

pytestmark = pytest.mark.parametrize("visitor", ["sandbox"], indirect=True)

# Each field holds its own name, a script, a quote closing an attribute and an img whose
# onerror runs, and its name again: so a page shows which field it escaped, and where.
SCRIPT, SCRIPT_AS_TEXT = "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG, IMG_AS_TEXT = '"><img src=x onerror=alert(1)>', "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
# A callback is a URL, which holds no space: its img is written with slashes.
URL_IMG, URL_IMG_AS_TEXT = '"><img/src=x/onerror=alert(1)>', "&#34;&gt;&lt;img/src=x/onerror=alert(1)&gt;"
MARKUP = ["<script>alert(1)", "<img src=x", "<img/src=x"]


def hostile(field: str, img: str = IMG) -> str:
    return f"{field}{SCRIPT}{img}{field}"


def as_text(field: str) -> list[str]:
    """hostile(field) as a page must show it (in a JSON payload, the quote's backslash
    comes before the escaped quote, so both halves are found there too)."""
    img = URL_IMG_AS_TEXT if field == "callback" else IMG_AS_TEXT
    return [f"{field}{SCRIPT_AS_TEXT}", f"{img}{field}"]


def assert_shown_as_text(page: str, fields: list[str]) -> None:
    for field in fields:
        for text in as_text(field):
            assert text in page, (field, text)
    for markup in MARKUP:
        assert markup not in page, markup


SHOWN = {  # page: the fields it shows
    "carts": ["relatedParty.name", "relatedParty.id"],
    "draft": ["channel.id", "relatedParty.name", "productOfferingId"],
    "placed cart": ["relatedParty.id"],
    "orders": [],  # ids, states and dates the service wrote: nothing a partner wrote
    "order": ["cancellationReason"],
    "order timeline": ["cancellationReason"],
    "events": [  # the deliveries' callback, and the cart and order snapshots each event carries
        "callback",
        "channel.id",
        "channel.extensions.value",
        "relatedParty.name",
        "relatedParty.id",
        "characteristic.name",
        "characteristic.value",
        "productOfferingId",
        "cancellationReason",
    ],
    "listeners": ["callback"],
}


@pytest.fixture
def paths(visitor: Visitor) -> dict[str, str]:
    """The console's paths to what an attacker wrote: a listener, a draft with an offering
    that is not in the catalog, and a cart submitted then cancelled (its order)."""
    client, auth = visitor.console, visitor.auth
    callback = f"http://127.0.0.1:{free_port()}/events?{hostile('callback', URL_IMG)}"
    hub_id = client.post("/omni-svcs/v1/hub", headers=auth, json={"callback": callback}).json()["id"]

    draft = copy.deepcopy(SEED_REQUEST)
    draft["channel"]["id"] = hostile("channel.id")
    draft["channel"]["extensions"][0]["value"] = hostile("channel.extensions.value")
    draft["relatedParty"][2]["name"] = hostile("relatedParty.name")
    items = line()
    items[2]["characteristic"] = [{"name": hostile("characteristic.name"), "value": hostile("characteristic.value")}]
    stray = {"productOrderItemId": "stray", "action": "add", "productOfferingType": "SIM"}
    draft["items"] = [*items, {**stray, "productOfferingId": hostile("productOfferingId")}]
    draft_id = client.post("/omni-svcs/v1/carts", headers=auth, json=draft).json()["id"]

    placed = copy.deepcopy(SEED_REQUEST)
    placed["relatedParty"][2]["id"] = hostile("relatedParty.id")  # no name: the console shows the id
    placed["items"] = line()
    placed_id = client.post("/omni-svcs/v1/carts", headers=auth, json=placed).json()["id"]
    submit = client.post(f"/omni-svcs/v1/carts/{placed_id}/express-submit", headers=auth, json=COMPLETE)
    order_id = submit.json()["id"]
    reason = {"cancellationReason": hostile("cancellationReason")}
    client.post(f"/omni-svcs/v1/orders/{order_id}/cancel", headers=auth, json=reason).raise_for_status()

    services = client.app.state.services
    # Each event's delivery to the listener is tried (and fails: nothing listens on the port).
    client.portal.call(services.dispatcher.deliver_due)
    return {
        "carts": "/console/carts",
        "draft": f"/console/carts/{draft_id}",
        "placed cart": f"/console/carts/{placed_id}",
        "orders": "/console/orders",
        "order": f"/console/orders/{order_id}",
        "order timeline": f"/console/orders/{order_id}/timeline",
        "events": "/console/events",
        "listeners": "/console/hubs",
        "ping": f"/console/hubs/{hub_id}/ping",
        "replay": f"/console/hubs/{hub_id}/replay",
    }


@pytest.mark.parametrize("page", list(SHOWN))
def test_every_page_shows_what_a_partner_wrote_as_text(visitor, paths, page):
    response = visitor.console.get(paths[page])
    assert response.status_code == 200, response.text
    assert_shown_as_text(response.text, SHOWN[page])


def test_an_offering_not_in_the_catalog_is_named_as_text_in_its_message(visitor, paths):
    draft = visitor.console.get(paths["draft"]).text
    message = draft[draft.index("OFFERING_NOT_FOUND") :]
    assert message.startswith(
        "OFFERING_NOT_FOUND</code> productOfferingId &#39;productOfferingId&lt;script&gt;alert(1)&lt;/script&gt;"
        "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;productOfferingId&#39; is not in the catalog"
    )


def notice_of(page: str) -> str:
    return page[page.index('<p class="notice" role="status">') :].split("</p>")[0]


def test_a_listeners_ping_names_its_callback_as_text(visitor, paths):
    csrf = csrf_of(visitor.console.get(paths["listeners"]).text)
    notice = notice_of(visitor.console.post(paths["ping"], data={"csrf": csrf}).text)
    assert notice.startswith('<p class="notice" role="status">Ping to http://127.0.0.1:')
    assert_shown_as_text(notice, ["callback"])


def test_what_a_visitor_posts_comes_back_as_text(visitor, paths):
    csrf = csrf_of(visitor.console.get(paths["listeners"]).text)
    replayed = visitor.console.post(paths["replay"], data={"csrf": csrf, "event": hostile("event")})
    assert replayed.status_code == 404
    assert_shown_as_text(notice_of(replayed.text), ["event"])
    submitted = visitor.console.post(
        paths["draft"] + "/submit", data={"csrf": csrf, "scenario": hostile("mock-scenario")}
    )
    assert submitted.status_code == 403
    assert_shown_as_text(submitted.text, ["mock-scenario"])
