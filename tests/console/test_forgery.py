"""Every form of the console refuses a POST that does not prove it came from a console
page (signed double submit): sent without the CSRF cookie, or with a token forged or made
for another visitor's cookie, it answers 403 and changes nothing. For each kind of
visitor (signed in with an API key, the sandbox's visitor, signed in on a sandbox), on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from omnicart import console
from tests.carts import line
from tests.conftest import SEED_REQUEST
from tests.console.conftest import Visitor, csrf_of
from tests.credentials import OTHER_KEY
from tests.receiver import Receiver

CSRF_COOKIE = "omnicart_console_csrf"
SESSION_COOKIE = "omnicart_console"
REFUSED = "the form&#39;s CSRF token is missing or wrong"
ACCEPTED = {  # every form of the console, and what it answers when it is genuine
    "sign-in": 303,
    "sign-out": 303,
    "submit": 303,
    "ping": 200,
    "replay": 200,
    "replay from the events": 200,
}


@dataclass(frozen=True)
class Form:
    page: str  # a console page that carries the visitor's token
    action: str
    fields: dict[str, str]


@dataclass(frozen=True)
class World:
    """What the forms act on: a draft ready to submit, and a listener (a live receiver)
    that was sent the cart's creation event."""

    cart_id: str
    hub_id: str
    event_id: str
    receiver: Receiver


@pytest.fixture
def world(visitor: Visitor) -> Iterator[World]:
    client = visitor.console
    with Receiver() as receiver:
        hub = client.post("/omni-svcs/v1/hub", headers=visitor.auth, json={"callback": receiver.url}).json()
        cart = client.post("/omni-svcs/v1/carts", headers=visitor.auth, json={**SEED_REQUEST, "items": line()}).json()
        services = client.app.state.services
        assert client.portal.call(services.dispatcher.deliver_due) == 1
        event = client.portal.call(lambda: services.hubs.events(visitor.partner, limit=1, offset=0))[0][0]
        yield World(cart["id"], hub["id"], event.event_id, receiver)


def every_form(world: World) -> dict[str, Form]:
    return {
        "sign-in": Form("/console/sign-in", "/console/sign-in", {"key": OTHER_KEY}),
        "sign-out": Form("/console/carts", "/console/sign-out", {}),
        "submit": Form(f"/console/carts/{world.cart_id}", f"/console/carts/{world.cart_id}/submit", {"scenario": ""}),
        "ping": Form("/console/hubs", f"/console/hubs/{world.hub_id}/ping", {}),
        "replay": Form("/console/hubs", f"/console/hubs/{world.hub_id}/replay", {"event": world.event_id}),
        "replay from the events": Form(
            "/console/events", f"/console/hubs/{world.hub_id}/replay", {"event": world.event_id}
        ),
    }


def state(visitor: Visitor, world: World) -> dict[str, Any]:
    """All a form could change: carts, orders, deliveries (a replay makes one due again),
    what the listener received (a ping) and the session (sign-in, sign-out)."""
    client, services = visitor.console, visitor.console.app.state.services
    return {
        "carts": client.get("/omni-svcs/v1/carts", headers=visitor.auth).json(),
        "orders": client.get("/omni-svcs/v1/orders", headers=visitor.auth).json(),
        "events": client.portal.call(lambda: services.hubs.events(visitor.partner, limit=100, offset=0))[0],
        "received": len(world.receiver.received),
        "session": client.cookies.get(SESSION_COOKIE),
    }


# -- the forgeries -----------------------------------------------------------------------


def without_the_cookie(client: TestClient, form: Form) -> httpx.Response:
    """From another site: the SameSite cookie stays home, the token is one the page had."""
    token = csrf_of(client.get(form.page).text)
    client.cookies.delete(CSRF_COOKIE)
    return client.post(form.action, data={**form.fields, "csrf": token})


def without_cookie_or_token(client: TestClient, form: Form) -> httpx.Response:
    client.cookies.delete(CSRF_COOKIE)
    return client.post(form.action, data=form.fields)


def with_a_forged_token(client: TestClient, form: Form) -> httpx.Response:
    client.get(form.page)
    return client.post(form.action, data={**form.fields, "csrf": "forged"})


def with_another_visitors_token(client: TestClient, form: Form) -> httpx.Response:
    """A genuine token, but of the page as served to a visitor without this one's cookie."""
    client.get(form.page)
    own = httpx.Cookies(client.cookies)
    client.cookies.delete(CSRF_COOKIE)
    theirs = csrf_of(client.get(form.page).text)
    client.cookies = own
    return client.post(form.action, data={**form.fields, "csrf": theirs})


FORGERIES: list[Callable[[TestClient, Form], httpx.Response]] = [
    without_the_cookie,
    without_cookie_or_token,
    with_a_forged_token,
    with_another_visitors_token,
]


def test_those_are_all_the_forms_of_the_console():
    posted = {route.path for route in console.mount().routes if "POST" in (getattr(route, "methods", None) or ())}
    assert posted == {"/sign-in", "/sign-out", "/carts/{cartId}/submit", "/hubs/{hubId}/ping", "/hubs/{hubId}/replay"}


@pytest.mark.parametrize("form", list(ACCEPTED))
def test_a_forged_post_is_refused_and_changes_nothing(visitor, world, form):
    sent = every_form(world)[form]
    before = state(visitor, world)
    for forge in FORGERIES:
        response = forge(visitor.console, sent)
        assert (response.status_code, REFUSED in response.text) == (403, True), (forge.__name__, response.text)
        assert state(visitor, world) == before, forge.__name__
    # The control: the same form with its page's token does what it says, so the forgeries
    # were refused for their token alone (a submit is offered by the sandbox only).
    token = csrf_of(visitor.console.get(sent.page).text)
    response = visitor.console.post(sent.action, data={**sent.fields, "csrf": token})
    if form == "submit" and not visitor.sandbox:
        assert (response.status_code, "sandbox mode only" in response.text) == (403, True)
    else:
        assert response.status_code == ACCEPTED[form], response.text
        if (form, visitor.auth) != ("sign-out", {}):  # the sandbox's visitor has no session to end
            assert state(visitor, world) != before
