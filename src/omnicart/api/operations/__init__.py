"""Every operation of the API, declared once (what a declaration holds: api/operation.py).

The routes (api/routing.py), the scope each requires, the paths that answer without
credentials and the whole OpenAPI document (api/openapi.py) are derived from `OPERATIONS`,
so none of them can drift from another. Handlers stay in their resource modules; the
declarations, one module per resource or solution, beside this one.
"""

from __future__ import annotations

from omnicart import console
from omnicart.api import docs
from omnicart.api.operation import Operation
from omnicart.api.operations.carts import CARTS
from omnicart.api.operations.direct_fulfilment import DIRECT_FULFILMENT
from omnicart.api.operations.fiber import FIBER
from omnicart.api.operations.hubs import HUBS
from omnicart.api.operations.orders import ORDERS
from omnicart.api.operations.public import PUBLIC
from omnicart.api.operations.tmf import TMF
from omnicart.api.operations.tmf_ordering import TMF_ORDERING

OPERATIONS: tuple[Operation, ...] = (
    *CARTS,
    *FIBER,
    *ORDERS,
    *DIRECT_FULFILMENT,
    *HUBS,
    *TMF,
    *TMF_ORDERING,
    *PUBLIC,
)

PUBLIC_PATHS = frozenset(op.path for op in OPERATIONS if op.scope is None)
if any("{" in path for path in PUBLIC_PATHS):
    # Authentication (at the edge) runs before routing and compares raw paths.
    raise ValueError("a public operation cannot have path parameters")


def is_public(path: str) -> bool:
    """Whether a request path answers without credentials. The console (omnicart.console)
    is no operation of the API: it authenticates its visitors itself, with a session."""
    return path in PUBLIC_PATHS or path.startswith(docs.ASSETS + "/") or console.is_console(path)
