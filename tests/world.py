"""The sandbox world as a partner's tests see it (docs/sandbox.md, "Test customers and
addresses"), written out by hand: the customers, their billing accounts, lines and
existing products, the service addresses and what each sells, the credentials customer
auth refuses. Tests of every tier import these names instead of copying the values, and
never read them from `omnicart/data/world.json`, the code under test.
"""

from __future__ import annotations

# -- customers ------------------------------------------------------------------------------

JORDAN = "3f7f9189-974e-4639-8343-4a1819a98c7e"  # Jordan Rivera, LOW; a wireless and a fiber account
MORGAN = "8a4c2e10-5b6d-4f7a-9c8b-1d2e3f4a5b60"  # Morgan Lee, MEDIUM; fiber
CASEY = "b7d3f1a2-6c8e-4d9f-8a1b-2c3d4e5f6a71"  # Casey Nguyen, HIGH; fiber
TAYLOR = "c1e2d3f4-7a8b-4c9d-8e0f-3a4b5c6d7e82"  # Taylor Brooks, Fraud Risk; fiber
RILEY = "d2f3e4a5-8b9c-4dae-9f10-4b5c6d7e8f93"  # Riley Patel, Abusive Risk; wireless only
AVERY = "e3a4f5b6-9cad-4ebf-a021-5c6d7e8f9a04"  # Avery Kim, Analyst Review; a fiber and a wireless account
CUSTOMERS = (JORDAN, MORGAN, CASEY, TAYLOR, RILEY, AVERY)  # in the world's order
WITH_FIBER = (JORDAN, MORGAN, CASEY, TAYLOR, AVERY)
UNKNOWN_CUSTOMER = "00000000-0000-4000-8000-000000000000"

JORDAN_EMAIL = "jordan.rivera@example.com"
JORDAN_PHONE = "2145550101"

# Billing account numbers (BANs)
JORDAN_WIRELESS_BAN = "556165899573"  # the carrier's example BAN
JORDAN_FIBER_BAN = "556165899574"
MORGAN_BAN = "556165899575"
CASEY_BAN = "556165899576"
TAYLOR_BAN = "556165899577"
RILEY_BAN = "556165899578"
AVERY_FIBER_BAN = "556165899579"
AVERY_WIRELESS_BAN = "556165899580"
UNKNOWN_BAN = "999999999999"

# Subscriber numbers (one line per account)
JORDAN_WIRELESS_LINE = "4690002221"  # the carrier's example CTN
JORDAN_FIBER_LINE = "4690002300"
MORGAN_LINE = "7135550190"
AVERY_WIRELESS_LINE = "8065550195"
UNKNOWN_LINE = "9999999999"

# Existing products of Jordan's lines
JORDAN_PHONE_PRODUCT = "47777581441708014"  # iPhone 15 128GB, Mobile_Device
JORDAN_SIM_PRODUCT = "47777581441708015"
JORDAN_PLAN_PRODUCT = "47777581441708016"
JORDAN_FIBER_PRODUCT = "51000000000000001"  # AT&T Fiber 300, Broadband_Offer

# -- service addresses ----------------------------------------------------------------------

AKARD = "00000NG3XH"  # 208 S Akard St, Dallas TX 75202-4206: eligible, all five fiber offers
PACIFIC = "000011VYAA"  # 1600 Pacific Ave, Dallas TX 75201-3401: eligible, 300 / 500 / 1 GIG (Jordan's)
MAIN = "00000QK7PZ"  # 4200 Main St, Houston TX 77002-1012: eligible, 300 / 500 (Morgan's)
PEACHTREE = "00000RT2LM"  # 77 Peachtree St, Atlanta GA 30303-1811: eligible, 300 … 2 GIG
PRAIRIE = "00000ZX9OR"  # 12 Prairie View Rd, Amarillo TX 79101-0001: not eligible (out of the footprint)
LAKESHORE = "00000CW4BE"  # 350 Lakeshore Dr, Chicago IL 60611-4410: not eligible (being built)

# The geographicAddress a partner sends for each (service-qualification's request)
ADDRESSES = {
    AKARD: {"addressLine1": "208 S Akard St", "city": "Dallas", "stateOrProvince": "TX", "postcode": "75202"},
    PACIFIC: {"addressLine1": "1600 Pacific Ave", "city": "Dallas", "stateOrProvince": "TX", "postcode": "75201"},
    MAIN: {"addressLine1": "4200 Main St", "city": "Houston", "stateOrProvince": "TX", "postcode": "77002"},
    PEACHTREE: {"addressLine1": "77 Peachtree St", "city": "Atlanta", "stateOrProvince": "GA", "postcode": "30303"},
    PRAIRIE: {"addressLine1": "12 Prairie View Rd", "city": "Amarillo", "stateOrProvince": "TX", "postcode": "79101"},
    LAKESHORE: {"addressLine1": "350 Lakeshore Dr", "city": "Chicago", "stateOrProvince": "IL", "postcode": "60611"},
}
NOWHERE = {"addressLine1": "1 Nowhere Ln", "city": "Dallas", "stateOrProvince": "TX", "postcode": "75201"}

# -- the fiber offers (catalog offerings of type Broadband_Offer), monthly, before tax --------

FIBER_300 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50"  # AT&T Fiber 300, 55.00
FIBER_500 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a51"  # AT&T Fiber 500, 65.00
FIBER_1G = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a52"  # AT&T Fiber 1 GIG, 80.00
FIBER_2G = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a53"  # AT&T Fiber 2 GIG, 150.00
FIBER_5G = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a54"  # AT&T Fiber 5 GIG, 245.00
FIBER_OFFERS = {
    FIBER_300: ("AT&T Fiber 300", 55.0),
    FIBER_500: ("AT&T Fiber 500", 65.0),
    FIBER_1G: ("AT&T Fiber 1 GIG", 80.0),
    FIBER_2G: ("AT&T Fiber 2 GIG", 150.0),
    FIBER_5G: ("AT&T Fiber 5 GIG", 245.0),
}
OFFERS_AT = {
    AKARD: [FIBER_300, FIBER_500, FIBER_1G, FIBER_2G, FIBER_5G],
    PACIFIC: [FIBER_300, FIBER_500, FIBER_1G],
    MAIN: [FIBER_300, FIBER_500],
    PEACHTREE: [FIBER_300, FIBER_500, FIBER_1G, FIBER_2G],
    PRAIRIE: [],
    LAKESHORE: [],
}

# -- credentials customer/auth refuses; any other well-formed value succeeds ----------------

FAILING_PASSCODE = "invalid-passcode"
FAILING_OTP = "000000"
FAILING_LAST4SSN = "0000"


# -- what a partner sends about them -----------------------------------------------------------


def geographic_address(written: dict) -> dict:
    """service-qualification's `geographicAddress` for an address written as in ADDRESSES."""
    address = {key: value for key, value in written.items() if key != "addressLine1"}
    characteristic = [{"name": "addressLine1", "valueType": "string", "value": written["addressLine1"]}]
    return {**address, "addressCharacteristic": characteristic}


def qualification_request(written: dict | None = None, **fields) -> dict:
    """The carrier's service-qualification request (reference §4.3) for an address written as
    in ADDRESSES (default: 208 S Akard St, the carrier's example answer's 00000NG3XH)."""
    return {
        "channel": {"id": "IND", "name": "IND", "extensions": [{"name": "agentId", "value": "s12345"}]},
        "geographicAddress": geographic_address(written or ADDRESSES[AKARD]),
        "customerType": "CONSUMER",
        "offers": [
            {"productOfferingTypeGroup": "BBOffers", "billingAccountNumber": JORDAN_FIBER_BAN, "intent": "MOVE"}
        ],
        **fields,
    }
