"""Customers over HTTP (the carrier's fiber move order solution). Translation only: HTTP
in, use case call, HTTP out.

- `POST /omni-svcs/v1/customers/search` (carrier v1.0.0): a page of customers with their
  accounts, service addresses, lines and existing products;
- `POST /omni-svcs/v1/customer/auth` (carrier v1.0.2): `{"status": "SUCCESS"}` or
  `{"status": "FAILURE"}`; 404 when no customer matches the identifiers.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from omnicart.api.context import carts_of, customers_of
from omnicart.api.operation import InputCodes
from omnicart.api.requests import decode_body
from omnicart.api.responses import JSONResponse
from omnicart.api.scenarios import scenarios_of
from omnicart.wire.customers import CustomerAuthRequest, CustomerSearchRequest

# omnicart's own codes: the carrier's error tables list none for these two operations.
CUSTOMER_INPUT = InputCodes("OMNICART-CUSTOMER-0001", "OMNICART-CUSTOMER-0002")
DIRECTORY_FAILED = "OMNICART-CUSTOMER-0003"


async def search_customers(request: Request) -> Response:
    body = await decode_body(request, CustomerSearchRequest, carts_of(request).limits)
    return JSONResponse(await customers_of(request).search(body, scenarios_of(request)))


async def authenticate_customer(request: Request) -> Response:
    body = await decode_body(request, CustomerAuthRequest, carts_of(request).limits)
    return JSONResponse(await customers_of(request).authenticate(body, scenarios_of(request)))
