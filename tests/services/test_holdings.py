"""A cart whose customer the customer directory knows is validated against that customer:
an item acting on an existing product, line or account must name one of theirs (rule
UNKNOWN_TO_CUSTOMER). The services here have the sandbox world's directory
(tests/services/conftest.py `providers`); the seed request's customer is Jordan Rivera."""

from __future__ import annotations

import pytest

from omnicart.domain.errors import DownstreamFailure
from omnicart.domain.world import Customer
from omnicart.providers import open_providers
from omnicart.providers.interface import Providers
from omnicart.services.holdings import CustomerHoldings
from tests.carts import codes
from tests.credentials import PARTNER
from tests.services.conftest import document, items, read, seed

# Jordan Rivera's (the seed request's customer, docs/sandbox.md): a line, its account, its phone.
JORDAN = "3f7f9189-974e-4639-8343-4a1819a98c7e"
JORDAN_LINE = "4690002221"
JORDAN_BAN = "556165899573"
JORDAN_PHONE = "47777581441708014"
MORGAN_LINE = "7135550190"  # another test customer's line
UNKNOWN = ("UNKNOWN_TO_CUSTOMER", "old-phone")


def terminate_phone(product_id: str, subscriber: str = JORDAN_LINE) -> dict:
    return {
        "productOrderItemId": "old-phone",
        "action": "terminate",
        "productOfferingType": "Mobile_Device",
        "product": {"id": product_id, "primaryProductId": product_id},
        "subscriberNumber": subscriber,
        "billingAccount": {"ratingType": "postpaid", "id": JORDAN_BAN},
        "actionReason": {"reasonText": "Memo text required if selected", "name": "LC"},
    }


class TestTheCustomersOwnProducts:
    async def test_naming_theirs_is_valid(self, carts):
        created = await carts.create_cart(PARTNER, seed(items=[terminate_phone(JORDAN_PHONE)]))
        assert UNKNOWN not in codes(document(created))

    async def test_naming_another_customers_line_is_an_error_on_that_item(self, carts):
        created = await carts.create_cart(PARTNER, seed())
        changed = document(
            await carts.add_items(PARTNER, created.id, items(terminate_phone(JORDAN_PHONE, MORGAN_LINE)))
        )
        [message] = [m for m in changed["validation"]["validationMessage"] if m["type"] == "error"]
        assert message["text"] == f"subscriberNumber '{MORGAN_LINE}' is not a line of customer '{JORDAN}'"
        assert {p["name"]: p["value"] for p in message["parameter"]} == {
            "code": "UNKNOWN_TO_CUSTOMER",
            "productOrderItemId": "old-phone",
        }
        assert changed["validation"]["readyToSubmit"] is False
        assert await read(carts, created.id) == changed

    async def test_a_product_they_do_not_have_is_an_error(self, carts):
        created = await carts.create_cart(PARTNER, seed(items=[terminate_phone("47777581441708099")]))
        assert UNKNOWN in codes(document(created))

    async def test_a_customer_unknown_to_the_directory_is_not_checked(self, carts):
        stranger = seed(items=[terminate_phone("47777581441708099")])
        for party in stranger.relatedParty:
            if party.role == "customer":
                party.id = "00000000-0000-4000-8000-000000000000"
        assert UNKNOWN not in codes(document(await carts.create_cart(PARTNER, stranger)))


class CountingDirectory:
    """The sandbox directory, counting what it is asked, or failing when told."""

    def __init__(self) -> None:
        self.inner = open_providers("sandbox").customer_directory()
        self.asked: list[str] = []
        self.failing = False

    async def search(self, query, offset, limit):  # pragma: no cover - not used here
        return await self.inner.search(query, offset, limit)

    async def get(self, customer_id: str) -> Customer | None:
        self.asked.append(customer_id)
        if self.failing:
            raise DownstreamFailure("customer directory", "timed out")
        return await self.inner.get(customer_id)

    async def authenticate(self, customer, credentials):  # pragma: no cover - not used here
        return await self.inner.authenticate(customer, credentials)


@pytest.fixture
def directory() -> CountingDirectory:
    return CountingDirectory()


@pytest.fixture
def providers(directory) -> Providers:
    return Providers("counting", customers=directory)


class TestAskingTheDirectory:
    async def test_once_per_customer_then_kept(self, carts, directory):
        first = await carts.create_cart(PARTNER, seed())
        await carts.add_items(PARTNER, first.id, items(terminate_phone(JORDAN_PHONE)))
        second = await carts.create_cart(PARTNER, seed())
        await carts.add_items(PARTNER, second.id, items(terminate_phone("47777581441708099")))
        assert directory.asked == [JORDAN]

    async def test_a_change_in_another_process_asks_before_writing(self, carts, directory):
        created = await carts.create_cart(PARTNER, seed())
        carts.holdings = CustomerHoldings(directory)  # another process: knows nobody yet
        carts.writer.forget(PARTNER, created.id)
        changed = await carts.add_items(PARTNER, created.id, items(terminate_phone(JORDAN_PHONE, MORGAN_LINE)))
        assert UNKNOWN in codes(document(changed))
        assert len(directory.asked) == 2
        assert document(changed)["version"] == 2  # written once

    async def test_a_failing_directory_leaves_the_cart_unchecked_not_refused(self, carts, directory):
        directory.failing = True
        created = await carts.create_cart(PARTNER, seed(items=[terminate_phone("47777581441708099")]))
        assert UNKNOWN not in codes(document(created))
