"""What the appointment tests use of the sandbox world (src/omnicart/data/world.json, as
docs/sandbox.md lists it), written out by hand: the addresses, a fiber offer, the
technician windows, and the slots offered when the tests' fake clock starts (START,
Thursday 2026-01-15): the 14 days from Friday the 16th, Sundays closed.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import SEED_REQUEST

# Addresses: two fiber-eligible, one out of the fiber footprint, one nobody knows.
DALLAS = "00000NG3XH"  # 208 S Akard St, Dallas TX 75202-4206
PACIFIC = "000011VYAA"  # 1600 Pacific Ave, Dallas TX 75201-3401
AMARILLO = "00000ZX9OR"  # 12 Prairie View Rd, Amarillo TX: not eligible
NOWHERE = "00000XXXXX"

FIBER_300 = "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50"  # AT&T Fiber 300, 55.00 / month

# The windows: id, from, to, appointments a day.
WINDOWS = [("AM", "08:00:00", "12:00:00", 2), ("PM", "13:00:00", "17:00:00", 1), ("EVE", "17:00:00", "20:00:00", 1)]

# The days slots are offered on as of START: tomorrow and the 13 days after, but Sundays
# (the 18th and the 25th).
OFFERED_DAYS = [
    "2026-01-16",
    "2026-01-17",
    "2026-01-19",
    "2026-01-20",
    "2026-01-21",
    "2026-01-22",
    "2026-01-23",
    "2026-01-24",
    "2026-01-26",
    "2026-01-27",
    "2026-01-28",
    "2026-01-29",
]
# The first day's slots at DALLAS, as checkout answers them.
FIRST_DAY_AT_DALLAS = [
    {
        "id": "00000NG3XH-20260116-AM",
        "date": "2026-01-16",
        "startTime": "08:00:00",
        "endTime": "12:00:00",
        "window": "AM",
        "remaining": 2,
    },
    {
        "id": "00000NG3XH-20260116-PM",
        "date": "2026-01-16",
        "startTime": "13:00:00",
        "endTime": "17:00:00",
        "window": "PM",
        "remaining": 1,
    },
    {
        "id": "00000NG3XH-20260116-EVE",
        "date": "2026-01-16",
        "startTime": "17:00:00",
        "endTime": "20:00:00",
        "window": "EVE",
        "remaining": 1,
    },
]
AM_SLOT = "00000NG3XH-20260116-AM"  # takes 2
PM_SLOT = "00000NG3XH-20260116-PM"  # takes 1
SUNDAY_SLOT = "00000NG3XH-20260118-AM"  # closed
TODAY_SLOT = "00000NG3XH-20260115-AM"  # today is not offered: from tomorrow on
BEYOND_SLOT = "00000NG3XH-20260130-AM"  # the 15th day
LAST_SLOT = "00000NG3XH-20260129-EVE"  # the last offered

# The service address as the order shows it.
DALLAS_ADDRESS = {
    "id": "00000NG3XH",
    "addressLine1": "208 S Akard St",
    "streetNr": "208",
    "streetName": "S Akard",
    "streetType": "St",
    "city": "Dallas",
    "stateOrProvince": "TX",
    "postcode": "75202",
    "postcodeExtension": "4206",
}

# Express submit's body for a fiber cart: the terms it needs (no payment is due today).
FIBER_TERMS = {"terms": {"WCA": True}}


def fiber_item(address: str | None = DALLAS, item_id: str = "fiber-1") -> dict[str, Any]:
    """A new AT&T Fiber 300 line, its service address named as docs/fiber.md says."""
    item: dict[str, Any] = {
        "productOrderItemId": item_id,
        "action": "add",
        "productOfferingType": "Broadband_Offer",
        "productOfferingId": FIBER_300,
    }
    if address is not None:
        item["product"] = {"place": [{"role": "serviceAddress", "id": address}]}
    return item


def fiber_cart_request(address: str | None = DALLAS) -> dict[str, Any]:
    """Create Cart's body for a cart holding one fiber line at `address`."""
    return {**copy.deepcopy(SEED_REQUEST), "items": [fiber_item(address)]}


def submission_with(slot: str | None, **fields: Any) -> dict[str, Any]:
    """Express submit's body for a fiber cart, booking `slot`."""
    body: dict[str, Any] = {**copy.deepcopy(FIBER_TERMS), **fields}
    if slot is not None:
        body["appointment"] = {"id": slot}
    return body
