"""A partner's test run pays for the client only: importing `omnicart.client` (and the
partner kit's pytest plugin) in a fresh interpreter loads the wire's structs and httpx,
never the server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Packages of the server's that a client must never load.
SERVER_PACKAGES = ("starlette", "uvicorn", "asyncpg", "prometheus_client", "jwt", "sqlalchemy", "alembic", "jinja2")
SERVER_MODULES = (
    "omnicart.api",
    "omnicart.store",
    "omnicart.services",
    "omnicart.domain",
    "omnicart.console",
    "omnicart.webhooks",
    "omnicart.runtime",
    "omnicart.config",
)
# What the client is made of: itself, the wire's structs and the package's face.
CLIENT_MODULES = {
    "omnicart",
    "omnicart.client",
    "omnicart.client.aio",
    "omnicart.client.base",
    "omnicart.client.calls",
    "omnicart.client.carts",
    "omnicart.client.core",
    "omnicart.client.customers",
    "omnicart.client.fulfilment",
    "omnicart.client.hubs",
    "omnicart.client.ordering",
    "omnicart.client.shapes",
    "omnicart.client.sync",
    "omnicart.client.tmf",
    "omnicart.client.tmf_ordering",
    "omnicart.client.webhooks",
    "omnicart.wire",
    "omnicart.wire.appointments",
    "omnicart.wire.byod",
    "omnicart.wire.billing",
    "omnicart.wire.cart",
    "omnicart.wire.catalog",
    "omnicart.wire.customers",
    "omnicart.wire.credit",
    "omnicart.wire.decoding",
    "omnicart.wire.errors",
    "omnicart.wire.fulfilment",
    "omnicart.wire.hubs",
    "omnicart.wire.items",
    "omnicart.wire.limits",
    "omnicart.wire.offers",
    "omnicart.wire.notices",
    "omnicart.wire.open",
    "omnicart.wire.order_query",
    "omnicart.wire.orders",
    "omnicart.wire.payments",
    "omnicart.wire.prices",
    "omnicart.wire.qualification",
    "omnicart.wire.signing",
    "omnicart.wire.terms",
    "omnicart.wire.tmf",
    "omnicart.wire.tmf.common",
    "omnicart.wire.tmf.product_order",
    "omnicart.wire.tmf.shopping_cart",
    "omnicart.wire.tokens",
    "omnicart.wire.values",
}


def loaded_after(statement: str) -> list[str]:
    """Every module a fresh interpreter holds after running `statement`."""
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("statement", ["import omnicart.client", "from omnicart.client import AsyncClient, Client"])
def test_importing_the_client_loads_no_server_module(statement):
    modules = loaded_after(statement)
    server = [m for m in modules if m.split(".")[0] in SERVER_PACKAGES or m.startswith(SERVER_MODULES)]
    assert server == []
    assert {m for m in modules if m.startswith("omnicart")} == CLIENT_MODULES
    assert "httpx" in modules and "msgspec" in modules


def test_the_partner_kits_plugin_loads_no_server_module_either():
    modules = loaded_after("import omnicart.testing")
    assert [m for m in modules if m.split(".")[0] in SERVER_PACKAGES or m.startswith(SERVER_MODULES)] == []
