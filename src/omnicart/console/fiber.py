"""A cart's fiber lines on the console: each `Broadband_Offer` item with the service
address it names and what service qualification says of it there (the address known,
fiber available, the offer sold at it), asked of the address provider as the API's
service-qualification would. Without a provider the address is shown by its id alone."""

from __future__ import annotations

from typing import Any

from omnicart.domain.catalog import Catalog
from omnicart.domain.world import BROADBAND, ServiceAddress
from omnicart.providers import Providers


def _address_id(item: dict[str, Any]) -> str | None:
    places = (item.get("product") or {}).get("place") or []
    return next((place.get("id") for place in places if place.get("role") == "serviceAddress"), None)


def _qualification(address: ServiceAddress | None, offering_id: str | None, known: bool) -> str:
    if not known:
        return "not asked: no address provider is configured"
    if address is None:
        return "address not found"
    if not address.fiber.eligible:
        return f"not qualified: {address.fiber.reason or 'no fiber service at the address'}"
    if offering_id not in address.fiber.offers:
        return "qualified, but this offer is not sold at the address"
    return "qualified: the offer is sold at the address"


async def fiber_lines(cart: dict[str, Any], catalog: Catalog, providers: Providers) -> list[dict[str, Any]]:
    lines = []
    for item in cart.get("productOrderItem", []):
        offering = catalog.get(item.get("productOfferingId"))
        if offering is None or offering.productOfferingType != BROADBAND:
            continue
        address_id = _address_id(item)
        addresses = providers.addresses
        address = await addresses.get(address_id) if addresses is not None and address_id else None
        lines.append(
            {
                "item": item.get("productOrderItemId"),
                "offer": offering.name,
                "address_id": address_id,
                "address": address,
                "qualification": _qualification(address, offering.id, addresses is not None)
                if address_id
                else "no service address (product.place with role serviceAddress)",
            }
        )
    return lines
