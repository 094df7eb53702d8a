"""The use case of service qualification: validate the address a partner wrote (address
validation, providers/) and say what can be sold there (domain/qualification.py, from the
catalog). Nothing is stored: qualifying an address changes nothing.

The sandbox's `mock-scenario` values act here: `address_not_found` (no address, whatever
was written) and `address_not_eligible` (a known address, but no fiber there).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import UNSET

from omnicart.clock import utc_now
from omnicart.domain.catalog import Catalog
from omnicart.domain.qualification import answer, qualify
from omnicart.domain.scenarios import ADDRESS_NOT_ELIGIBLE, ADDRESS_NOT_FOUND, NO_SCENARIOS, MockScenarios
from omnicart.providers.interface import AddressQuery, Providers
from omnicart.wire.errors import invalid_field
from omnicart.wire.qualification import ADDRESS_LINE1, ServiceQualificationRequest, ServiceQualificationResult


class QualificationService:
    def __init__(self, providers: Providers, catalog: Catalog, clock: Callable[[], datetime] = utc_now) -> None:
        self.providers = providers
        self.catalog = catalog
        self.clock = clock

    async def qualify(
        self, request: ServiceQualificationRequest, scenarios: MockScenarios = NO_SCENARIOS
    ) -> ServiceQualificationResult:
        written = request.geographicAddress
        line = (written.characteristic(ADDRESS_LINE1) or "").strip()
        if not line:
            raise invalid_field(
                "geographicAddress.addressCharacteristic",
                f"an {ADDRESS_LINE1} characteristic with the street line is required",
                missing=True,
            )
        addresses = self.providers.address_validation()
        query = AddressQuery(
            line,
            written.postcode,
            written.city if isinstance(written.city, str) else None,
            written.stateOrProvince if isinstance(written.stateOrProvince, str) else None,
        )
        address = None if scenarios.has(ADDRESS_NOT_FOUND) else await addresses.find(query)
        channel = request.channel
        found = qualify(
            address,
            self.catalog,
            channel_id=channel.id if channel is not UNSET else None,
            customer_type=request.customerType if isinstance(request.customerType, str) else None,
            at=self.clock(),
            eligible=not scenarios.has(ADDRESS_NOT_ELIGIBLE),
        )
        return answer(found, request.offers or [], self.catalog.currency)
