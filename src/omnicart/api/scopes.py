"""Access policy, declared once: which paths are public, and the scope every other
operation requires. The authentication middleware and the per-route guard (api/auth.py)
enforce it; the OpenAPI document and the tests are generated from it.

A route added anywhere is protected without being listed here: a safe method needs
`carts:read`, any other `carts:write`. List an operation below only when it needs
something else.
"""

from __future__ import annotations

from omnicart.domain.credentials import CARTS_READ, CARTS_WRITE, ORDERS_SUBMIT

# Answer without credentials. Anything else, including unknown paths, needs them.
PUBLIC_PATHS = frozenset({"/health", "/ready", "/openapi.json", "/docs", "/docs/init.js", "/oauth/token"})
PUBLIC_PREFIXES = ("/docs/static/",)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# (method, route path) -> scope, for operations whose scope is not their method's default.
REQUIRED_SCOPES: dict[tuple[str, str], str] = {
    ("POST", "/omni-svcs/v1/checkout"): ORDERS_SUBMIT,
    ("POST", "/omni-svcs/v1/carts/{cartId}/express-submit"): ORDERS_SUBMIT,
    ("POST", "/omni-svcs/v1/orders/{orderId}/cancel"): ORDERS_SUBMIT,
}


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def required_scope(method: str, path: str) -> str:
    """The scope an operation requires; `path` is the route's template."""
    declared = REQUIRED_SCOPES.get((method, path))
    if declared is not None:
        return declared
    return CARTS_READ if method in SAFE_METHODS else CARTS_WRITE
