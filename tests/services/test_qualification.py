"""The service qualification use case, called directly: the address found by the address
validation provider, the offers the catalog sells there to the request (its channel and
customer type, as of now), the mock scenarios, and a provider that is missing or knows
offers the catalog does not. Over HTTP: tests/api/test_qualification.py."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from omnicart.domain.catalog import Catalog, ProductOffering, ValidFor, load_default_catalog
from omnicart.domain.errors import ProviderMissing
from omnicart.domain.scenarios import NO_SCENARIOS, parse
from omnicart.domain.world import FiberAvailability, ServiceAddress
from omnicart.providers.interface import AddressQuery, Providers
from omnicart.services.qualification import QualificationService
from omnicart.wire.catalog import Eligibility
from omnicart.wire.decoding import convert
from omnicart.wire.errors import ApiError
from omnicart.wire.qualification import ServiceQualificationRequest
from tests.conftest import START
from tests.world import (
    ADDRESSES,
    AKARD,
    FIBER_1G,
    FIBER_300,
    FIBER_500,
    JORDAN_FIBER_BAN,
    MAIN,
    NOWHERE,
    OFFERS_AT,
    PRAIRIE,
    qualification_request,
)


def request(written: dict | None = None, **fields) -> ServiceQualificationRequest:
    """What the HTTP layer decodes of the carrier's request."""
    return convert(copy.deepcopy(qualification_request(written, **fields)), ServiceQualificationRequest)


def offered(result) -> list[str]:
    return [offer.id for offer in result.offers]


@pytest.fixture
def qualification(services) -> QualificationService:
    service = services.qualification
    service.clock = lambda: START
    return service


class TestTheSandboxWorld:
    async def test_an_eligible_address_sells_its_offers(self, qualification):
        result = await qualification.qualify(request())
        assert result.addressValidation.validationResult == "success"
        assert result.addressValidation.validGeographicAddress.id == AKARD
        (item,) = result.serviceQualification
        assert (item.qualificationResult, item.billingAccountNumber, item.intent) == (
            "qualified",
            JORDAN_FIBER_BAN,
            "MOVE",
        )
        assert offered(result) == OFFERS_AT[AKARD]

    async def test_an_address_not_eligible_sells_nothing_and_says_why(self, qualification):
        result = await qualification.qualify(request(ADDRESSES[PRAIRIE]))
        (item,) = result.serviceQualification
        assert item.qualificationResult == "unqualified"
        assert [(r.code, r.label) for r in item.eligibilityUnavailabilityReason] == [
            ("FIBER_NOT_AVAILABLE", "the address is out of the fiber footprint")
        ]
        assert result.offers == []

    async def test_an_unknown_address_fails_validation(self, qualification):
        result = await qualification.qualify(request(NOWHERE))
        assert result.addressValidation.validationResult == "fails"
        assert (result.serviceQualification, result.offers) == ([], [])

    @pytest.mark.parametrize(
        ("scenario", "validation", "offers"),
        [
            ("address_not_found", "fails", []),
            ("address_not_eligible", "success", []),
            (None, "success", [FIBER_300, FIBER_500]),
        ],
    )
    async def test_the_mock_scenarios(self, qualification, scenario, validation, offers):
        scenarios = parse(scenario) if scenario else NO_SCENARIOS
        result = await qualification.qualify(request(ADDRESSES[MAIN]), scenarios)
        assert (result.addressValidation.validationResult, offered(result)) == (validation, offers)

    async def test_the_street_line_is_required(self, qualification):
        body = qualification_request()
        body["geographicAddress"]["addressCharacteristic"] = [{"name": "addressLine2", "value": "Apt 4"}]
        with pytest.raises(ApiError) as refused:
            await qualification.qualify(convert(body, ServiceQualificationRequest))
        assert refused.value.status == 400
        assert refused.value.details["errors"] == [
            {
                "field": "geographicAddress.addressCharacteristic",
                "reason": "an addressLine1 characteristic with the street line is required",
            }
        ]


# -- other catalogs and providers ----------------------------------------------------------------

BUSINESS_ONLY = ProductOffering(
    id=FIBER_500,
    productOfferingType="Broadband_Offer",
    name="AT&T Business Fiber 500",
    eligibility=Eligibility(customerTypes=["Business"]),
)
STORE_ONLY = ProductOffering(
    id=FIBER_1G,
    productOfferingType="Broadband_Offer",
    name="AT&T Fiber 1 GIG (stores)",
    eligibility=Eligibility(channelIds=["ATTR"]),
)
RETIRED = ProductOffering(
    id=FIBER_300,
    productOfferingType="Broadband_Offer",
    name="AT&T Fiber 300 (retired)",
    validFor=ValidFor(endDateTime=datetime(2026, 1, 1, tzinfo=UTC)),
)


class OneAddress:
    """An address validation provider that knows one address, whatever is asked."""

    def __init__(self, *offers: str) -> None:
        self.address = ServiceAddress(
            id="00000TEST1",
            streetNr="1",
            streetName="Test",
            streetType="St",
            city="Dallas",
            stateOrProvince="TX",
            postcode="75201",
            fiber=FiberAvailability(eligible=True, offers=list(offers)),
        )
        self.asked: list[AddressQuery] = []

    async def find(self, query: AddressQuery) -> ServiceAddress | None:
        self.asked.append(query)
        return self.address

    async def get(self, address_id: str) -> ServiceAddress | None:
        return self.address if address_id == self.address.id else None


def service(addresses: OneAddress, catalog: Catalog | None = None) -> QualificationService:
    providers = Providers("test", addresses=addresses)
    return QualificationService(providers, catalog or load_default_catalog(), clock=lambda: START)


class TestTheCatalogDecides:
    async def test_offers_are_filtered_by_channel_customer_type_and_validity(self):
        catalog = Catalog([BUSINESS_ONLY, STORE_ONLY, RETIRED])
        qualify = service(OneAddress(FIBER_300, FIBER_500, FIBER_1G), catalog).qualify
        assert offered(await qualify(request())) == [], "IND, CONSUMER, after Fiber 300's end"
        assert offered(await qualify(request(customerType="BUSINESS"))) == [FIBER_500]
        assert offered(await qualify(request(channel={"id": "ATTR"}))) == [FIBER_1G]

    async def test_no_offer_sold_to_the_request_is_unqualified_with_the_reason(self):
        result = await service(OneAddress(FIBER_500), Catalog([BUSINESS_ONLY])).qualify(request())
        (item,) = result.serviceQualification
        assert item.qualificationResult == "unqualified"
        assert [(r.code, r.label) for r in item.eligibilityUnavailabilityReason] == [
            ("NO_OFFER_SOLD", "no fiber offer at the address is sold in channel 'IND' to customer type 'CONSUMER'")
        ]

    async def test_an_offer_the_catalog_does_not_have_is_not_offered(self):
        result = await service(OneAddress("no-such-offering", FIBER_300)).qualify(request())
        assert offered(result) == [FIBER_300]

    async def test_the_provider_is_asked_the_address_as_written(self):
        addresses = OneAddress(FIBER_300)
        await service(addresses).qualify(request({"addressLine1": " 1 Test St ", "postcode": "75201-0001"}))
        assert addresses.asked == [AddressQuery("1 Test St", "75201-0001", None, None)]

    async def test_without_address_validation_it_cannot_answer(self):
        with pytest.raises(ProviderMissing) as missing:
            await QualificationService(Providers("none"), load_default_catalog()).qualify(request())
        assert missing.value.details == {"provider": "address validation"}
