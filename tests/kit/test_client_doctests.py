"""The client's docstring examples, run as doctests against the sandbox the partner kit's
pytest plugin starts (`omnicart.testing.Sandboxes`, as `omnicart_server` does), with the
names client/sync.py's docstring lists: `api`, `CUSTOMER`, `LINE` and a new `cart` for
each example; the examples are those of `Client`, `AsyncClient` and the groups of calls
they are composed of (client/carts.py, ordering.py …)."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from typing import Any

import pytest

import omnicart.client
from omnicart.client import (
    AsyncClient,
    Client,
    aio,
    carts,
    core,
    customers,
    fulfilment,
    hubs,
    ordering,
    sync,
    tmf,
    tmf_ordering,
    webhooks,
)
from omnicart.testing import Sandboxes

CUSTOMER = "3f7f9189-974e-4639-8343-4a1819a98c7e"
LINE = [
    {
        "productOrderItemId": "line-1",
        "productOfferingType": "Mobile_Offer",
        "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e",
    },
    {
        "productOrderItemId": "line-1-sim",
        "productOfferingType": "SIM",
        "productOfferingId": "SIM_pkey80001_sku6001001",
        "rootBundleProductOrderItemId": "line-1",
    },
]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
EXAMPLES = [
    test
    for module in (
        omnicart.client,
        sync,
        aio,
        carts,
        ordering,
        customers,
        fulfilment,
        hubs,
        tmf,
        tmf_ordering,
        core,
        webhooks,
    )
    for test in doctest.DocTestFinder(exclude_empty=True).find(module)
    if test.examples
]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    sandboxes = Sandboxes(tmp_path_factory.mktemp("doctests"))
    try:
        with Client(sandboxes.get(None).url) as client:
            yield client
    finally:
        sandboxes.stop()


def public(client: type) -> set[str]:
    """The client's public methods, its own and those of the groups it is composed of."""
    return {name for name in dir(client) if not name.startswith("_")}


def test_every_public_method_has_an_example() -> None:
    documented = {test.name.rsplit(".", 1)[-1] for test in EXAMPLES}
    assert public(Client) - documented == set()


def test_the_async_client_has_the_same_methods_each_documented() -> None:
    assert public(AsyncClient) ^ public(Client) == {"aclose", "close"}
    assert [name for name in sorted(public(AsyncClient)) if not getattr(AsyncClient, name).__doc__] == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda test: test.name.removeprefix("omnicart.client."))
def test_the_docstring_example_runs(example: doctest.DocTest, api: Client) -> None:
    cart = api.create_cart({"id": "IND"}, [{"id": CUSTOMER, "role": "customer", "referredType": "customer"}])
    names: dict[str, Any] = {"api": api, "CUSTOMER": CUSTOMER, "LINE": LINE, "cart": cart}
    test = doctest.DocTest(
        example.examples, {**example.globs, **names}, example.name, example.filename, example.lineno, example.docstring
    )
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=report.append, clear_globs=False)
    assert result.failed == 0, "".join(report)
