"""TMF663 Shopping Cart v4 at /tmf-api/shoppingCart/v4/shoppingCart (docs/tmf.md): one
store, two shapes — a ShoppingCart is the omnicart cart of the same id, made and changed
through either path — with versions, idempotency, partners and scopes as on the carrier
paths, and every error in TMF's Error body. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from omnicart.domain.cart import Cart
from omnicart.wire.cart import State
from tests.api.conftest import CARTS, TMF663
from tests.carts import CHARGER, PIXEL
from tests.credentials import OTHER_AUTH, bearer
from tests.tmf.answers import tmf_error

SHOPPING_CARTS = f"{TMF663}/shoppingCart"
BASE = "http://testserver"
TIME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ZERO = {"dutyFreeAmount": {"unit": "USD", "value": 0.0}, "taxIncludedAmount": {"unit": "USD", "value": 0.0}}
NO_TOTALS = [
    {"@type": "CartPrice", "name": "Due today", "priceType": "oneTime", "price": ZERO},
    {
        "@type": "CartPrice",
        "name": "Monthly recurring",
        "priceType": "recurring",
        "recurringChargePeriod": "month",
        "price": ZERO,
    },
]
# Two chargers (19.99 one-time each, taxed 8.25 %): as TMF663 shows them.
CHARGERS = {"id": "acc-1", "quantity": 2, "productOffering": {"id": CHARGER}, "productOfferingType": "Accessory"}
CHARGER_PRICE = "Apple 20W USB-C Power Adapter"


def money(value: float) -> dict:
    return {"unit": "USD", "value": value}


def create(client, body: dict | None = None, **headers) -> dict:
    response = client.post(SHOPPING_CARTS, json={} if body is None else body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


class TestCreate:
    def test_an_empty_body_is_an_empty_cart_with_its_absolute_href(self, client):
        response = client.post(SHOPPING_CARTS, json={})
        assert response.status_code == 201, response.text
        cart = response.json()
        assert TIME_UUID.match(cart["id"]) and STAMP.match(cart["validFor"]["startDateTime"])
        href = f"{BASE}{SHOPPING_CARTS}/{cart['id']}"
        assert (response.headers["location"], response.headers["etag"]) == (href, '"1"')
        assert cart == {
            "id": cart["id"],
            "href": href,
            "@type": "ShoppingCart",
            "validFor": {"startDateTime": cart["validFor"]["startDateTime"]},
            "relatedParty": [],
            "cartItem": [],
            "cartTotalPrice": NO_TOTALS,
        }

    def test_items_are_priced_per_unit_and_per_line(self, client):
        cart = create(client, {"cartItem": [CHARGERS]})
        (item,) = cart["cartItem"]
        one = {"dutyFreeAmount": money(19.99), "taxIncludedAmount": money(21.64), "taxRate": 0.0825}
        two = {"dutyFreeAmount": money(39.98), "taxIncludedAmount": money(43.28), "taxRate": 0.0825}
        assert item == {
            "id": "acc-1",
            "@type": "CartItem",
            "action": "add",
            "quantity": 2,
            "productOffering": {"id": CHARGER},
            "itemPrice": [{"@type": "CartPrice", "name": CHARGER_PRICE, "priceType": "oneTime", "price": one}],
            "itemTotalPrice": [{"@type": "CartPrice", "name": CHARGER_PRICE, "priceType": "oneTime", "price": two}],
            "productOfferingType": "Accessory",
        }
        assert cart["cartTotalPrice"][0]["price"] == {
            "dutyFreeAmount": money(39.98),
            "taxIncludedAmount": money(43.28),
        }

    def test_a_whole_number_written_as_a_float_is_that_integer(self, client):
        # JSON has one number type; JSON Schema's integer takes 2.0 too (schemathesis sent one).
        cart = create(client, {"cartItem": [{**CHARGERS, "quantity": 2.0}]})
        assert cart["cartItem"][0]["quantity"] == 2
        assert cart["cartTotalPrice"][0]["price"]["dutyFreeAmount"] == money(39.98)

    def test_what_the_service_owns_is_not_taken_from_the_client(self, client):
        cart = create(client, {"id": "mine", "href": "http://elsewhere/x", "cartTotalPrice": [{"name": "free"}]})
        assert cart["id"] != "mine" and cart["href"] == f"{BASE}{SHOPPING_CARTS}/{cart['id']}"
        assert cart["cartTotalPrice"] == NO_TOTALS

    def test_a_bad_item_is_a_400_naming_it_in_tmf663s_words_and_nothing_is_made(self, client):
        response = client.post(SHOPPING_CARTS, json={"cartItem": [{"quantity": 0}]})
        tmf_error(response, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", "cartItem[0].quantity")
        bad_offering = client.post(SHOPPING_CARTS, json={"cartItem": [{"productOffering": "x"}]})
        tmf_error(bad_offering, 400, field="cartItem[0].productOffering")
        party = client.post(SHOPPING_CARTS, json={"relatedParty": [{"id": "c-1", "role": "customer"}]})
        tmf_error(party, 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0001", "relatedParty[0].@referredType")
        assert client.get(SHOPPING_CARTS).json() == []

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"contactMedium": [[None, None]]}, "contactMedium[0]"),
            ({"cartItem": [{"product": {"productCharacteristic": [{"name": "color", "value": 7}]}}]},
             "cartItem[0].product.productCharacteristic[0].value"),
            ({"cartItem": [{"id": "a/b"}]}, "cartItem[0].id"),
            ({"cartItem": [{"action": "terminate"}]}, "cartItem[0].action"),
            ({"relatedParty": [{"id": "", "role": "customer", "@referredType": "individual"}]}, "relatedParty[0].id"),
        ],
    )  # fmt: skip
    def test_what_tmf663s_shape_does_not_allow_is_a_400_naming_it(self, client, body, field):
        tmf_error(client.post(SHOPPING_CARTS, json=body), 400, "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002", field)
        assert client.get(SHOPPING_CARTS).json() == []

    def test_a_body_that_is_not_json_is_a_415(self, client):
        response = client.post(SHOPPING_CARTS, content=b"{}", headers={"content-type": "text/plain"})
        tmf_error(response, 415, "OMNICART-REQUEST-0002")

    def test_an_idempotency_key_replays_the_first_answer(self, client):
        first = client.post(SHOPPING_CARTS, json={}, headers={"Idempotency-Key": "tmf-1"})
        again = client.post(SHOPPING_CARTS, json={}, headers={"Idempotency-Key": "tmf-1"})
        assert (again.status_code, again.json()) == (201, first.json())
        assert again.headers["idempotent-replayed"] == "true"
        assert [cart["id"] for cart in client.get(SHOPPING_CARTS).json()] == [first.json()["id"]]


class TestOneStoreTwoShapes:
    def test_a_carrier_cart_is_a_shopping_cart_of_the_same_id(self, client, cart):
        response = client.get(f"{SHOPPING_CARTS}/{cart['id']}")
        assert response.status_code == 200, response.text
        shown = response.json()
        assert (shown["id"], shown["href"]) == (cart["id"], f"{BASE}{SHOPPING_CARTS}/{cart['id']}")
        assert shown["validFor"] == {"startDateTime": cart["creationDate"]}
        assert [(p["id"], p["role"], p["@referredType"]) for p in shown["relatedParty"]] == [
            (p["id"], p["role"], p["referredType"]) for p in cart["relatedParty"]
        ]
        assert response.headers["etag"] == '"1"'

    def test_an_item_added_on_the_carrier_path_is_a_cart_item(self, client, cart):
        added = client.post(
            f"{CARTS}/{cart['id']}/items",
            json={
                "items": [
                    {"productOrderItemId": "p-1", "productOfferingType": "Mobile_Device", "productOfferingId": PIXEL}
                ]
            },
        )
        assert added.status_code == 200, added.text
        (item,) = client.get(f"{SHOPPING_CARTS}/{cart['id']}").json()["cartItem"]
        assert (item["id"], item["productOffering"], item["quantity"]) == ("p-1", {"id": PIXEL}, 1)
        assert item["itemPrice"] == item["itemTotalPrice"]  # one unit: the line is its price

    def test_a_shopping_cart_is_a_carrier_cart_with_its_items_and_parties(self, client):
        made = create(
            client,
            {
                "cartItem": [CHARGERS],
                "relatedParty": [{"id": "cust-9", "role": "customer", "@referredType": "individual"}],
                "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "a@example.com"}}],
            },
        )
        carrier = client.get(f"{CARTS}/{made['id']}").json()
        assert (carrier["state"], carrier["version"], carrier["channel"]) == (
            "Draft",
            1,
            {"id": "TMF663", "name": "TM Forum Shopping Cart API"},
        )
        assert carrier["relatedParty"] == [{"id": "cust-9", "role": "customer", "referredType": "individual"}]
        (item,) = carrier["productOrderItem"]
        assert (item["productOrderItemId"], item["productOfferingId"], item["quantity"]) == ("acc-1", CHARGER, 2)
        assert carrier["contactMedium"] == [
            {"mediumType": "email", "characteristic": {"emailAddress": "a@example.com"}}
        ]
        # found by the carrier's filters too: its customer party
        assert [c["id"] for c in client.get(CARTS, params={"customerId": "cust-9"}).json()] == [made["id"]]

    def test_a_tmf_patch_is_a_carrier_change_and_the_reverse(self, client, cart):
        patched = client.patch(f"{SHOPPING_CARTS}/{cart['id']}", json={"cartItem": [CHARGERS]})
        assert patched.status_code == 200, patched.text
        carrier = client.get(f"{CARTS}/{cart['id']}").json()
        assert carrier["version"] == 2 and carrier["channel"] == cart["channel"]  # the carrier's own, kept
        assert [i["productOrderItemId"] for i in carrier["productOrderItem"]] == ["acc-1"]
        removed = client.delete(f"{CARTS}/{cart['id']}/items/acc-1")
        assert removed.status_code == 200, removed.text
        shown = client.get(f"{SHOPPING_CARTS}/{cart['id']}")
        assert (shown.json()["cartItem"], shown.headers["etag"]) == ([], '"3"')


class TestPatch:
    def test_a_merge_patch_replaces_arrays_and_keeps_the_rest(self, client):
        made = create(client, {"cartItem": [CHARGERS], "contactMedium": [{"mediumType": "email"}]})
        response = client.patch(
            f"{SHOPPING_CARTS}/{made['id']}",
            json={"relatedParty": [{"id": "cust-2", "role": "customer", "@referredType": "individual"}]},
            headers={"content-type": "application/merge-patch+json"},
        )
        assert response.status_code == 200, response.text
        patched = response.json()
        assert patched["relatedParty"] == [{"id": "cust-2", "role": "customer", "@referredType": "individual"}]
        assert (patched["cartItem"], patched["contactMedium"]) == (made["cartItem"], [{"mediumType": "email"}])
        assert response.headers["etag"] == '"2"'
        removed = client.patch(f"{SHOPPING_CARTS}/{made['id']}", json={"contactMedium": None, "cartItem": []})
        assert "contactMedium" not in removed.json() and removed.json()["cartItem"] == []

    def test_if_match_guards_the_version(self, client):
        made = create(client)
        stale = client.patch(
            f"{SHOPPING_CARTS}/{made['id']}", json={"cartItem": [CHARGERS]}, headers={"If-Match": '"7"'}
        )
        tmf_error(stale, 412)
        assert stale.headers["etag"] == '"1"'
        fresh = client.patch(
            f"{SHOPPING_CARTS}/{made['id']}", json={"cartItem": [CHARGERS]}, headers={"If-Match": '"1"'}
        )
        assert (fresh.status_code, fresh.headers["etag"]) == (200, '"2"')

    def test_a_bad_patch_is_a_400_and_changes_nothing(self, client):
        made = create(client, {"cartItem": [CHARGERS]})
        for patch, field in [
            ({"id": "another"}, "id"),
            ({"cartItem": [{"id": "acc-1", "quantity": -1}]}, "cartItem[0].quantity"),
            ({"cartItem": "none"}, "cartItem"),
        ]:
            tmf_error(client.patch(f"{SHOPPING_CARTS}/{made['id']}", json=patch), 400, field=field)
        after = client.get(f"{SHOPPING_CARTS}/{made['id']}")
        assert (after.json(), after.headers["etag"]) == (made, '"1"')

    def test_a_submitted_cart_is_a_409(self, client, submitted_cart):
        response = client.patch(f"{SHOPPING_CARTS}/{submitted_cart}", json={"cartItem": []})
        tmf_error(response, 409)
        tmf_error(client.delete(f"{SHOPPING_CARTS}/{submitted_cart}"), 409)


class TestDelete:
    def test_a_deleted_cart_is_gone_from_both_paths(self, client, cart):
        assert client.delete(f"{SHOPPING_CARTS}/{cart['id']}").status_code == 204
        tmf_error(client.get(f"{SHOPPING_CARTS}/{cart['id']}"), 404, "OMNICART-CART-0404")
        assert client.get(f"{CARTS}/{cart['id']}").status_code == 404

    def test_a_stale_if_match_deletes_nothing(self, client, cart):
        tmf_error(client.delete(f"{SHOPPING_CARTS}/{cart['id']}", headers={"If-Match": '"2"'}), 412)
        assert client.get(f"{SHOPPING_CARTS}/{cart['id']}").status_code == 200


class TestPartnersAndScopes:
    def test_another_partners_cart_is_not_there(self, client, cart):
        other = {**OTHER_AUTH}
        tmf_error(client.get(f"{SHOPPING_CARTS}/{cart['id']}", headers=other), 404)
        tmf_error(client.patch(f"{SHOPPING_CARTS}/{cart['id']}", json={}, headers=other), 404)
        tmf_error(client.delete(f"{SHOPPING_CARTS}/{cart['id']}", headers=other), 404)
        for query in ({}, {"id": cart["id"]}):
            listed = client.get(SHOPPING_CARTS, params=query, headers=other)
            assert (listed.json(), listed.headers["x-total-count"]) == ([], "0")

    def test_a_read_only_key_reads_and_cannot_write(self, client, keys, cart):
        reader = bearer(keys.create(scopes={"carts:read"}))
        assert client.get(f"{SHOPPING_CARTS}/{cart['id']}", headers=reader).status_code == 200
        tmf_error(client.post(SHOPPING_CARTS, json={}, headers=reader), 403, "OMNICART-AUTH-0403")
        tmf_error(client.patch(f"{SHOPPING_CARTS}/{cart['id']}", json={}, headers=reader), 403)

    def test_without_credentials_a_401_in_tmfs_error(self, client):
        tmf_error(client.get(SHOPPING_CARTS, headers={"Authorization": ""}), 401, "OMNICART-AUTH-0401")


@pytest.fixture
def submitted_cart(client, cart) -> str:
    """The id of a cart that is no longer a draft (as express submit leaves it)."""

    def submit(found: Cart) -> None:
        found.state = State.SUBMITTED

    client.portal.call(client.app.state.services.carts.change, "partner-a", cart["id"], None, submit)
    return cart["id"]
