"""`omnicart catalog …` and `omnicart fixtures …`: check the data files an operator points
OMNICART_CATALOG and OMNICART_WORLD at, before a server refuses them."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files

from omnicart.domain.world import World, load_world, validate_world_file


def catalog(args: argparse.Namespace) -> int:
    """Check an operator's catalog file before pointing OMNICART_CATALOG at it."""
    from omnicart.domain.catalog import (
        CatalogError,
        load_catalog,
        validate_catalog_file,
    )

    problems = validate_catalog_file(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{args.file}: {len(problems)} problem(s); the service would refuse to start with it", file=sys.stderr)
        return 1
    if args.action == "validate":
        print(f"{args.file}: valid")
        return 0
    try:
        loaded = load_catalog(args.file)
    except CatalogError as exc:  # validate_catalog_file found nothing, so this is unexpected
        print(exc, file=sys.stderr)
        return 1
    for offering in loaded:
        prices = ", ".join(
            f"{p.priceType} {p.amount} {loaded.currency}"
            + (f"/{p.recurringChargePeriod}" if p.recurringChargePeriod else "")
            for p in offering.prices
        )
        print(f"{offering.id}\t{offering.productOfferingType}\t{offering.name}\t{prices}")
    print(f"{len(loaded)} offerings; serve them with OMNICART_CATALOG={args.file}", file=sys.stderr)
    return 0


def world_tables(world: World) -> str:
    """The sandbox world as docs/sandbox.md shows it to partners ("Test customers and
    addresses"); tests/unit/test_world.py keeps the doc equal to this."""
    lines = [
        "| customer id | name | credit risk | billing account | service | service address | subscriber number"
        " | existing products (id: type) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for customer in world.customers:
        for account, line in customer.lines():
            products = ", ".join(f"`{p.id}`: {p.productOfferingType}" for p in line.products)
            lines.append(
                f"| `{customer.id}` | {customer.givenName} {customer.familyName} | {customer.creditRisk} | "
                f"`{account.billingAccountNumber}` | {account.serviceType} | `{account.serviceAddressId}` | "
                f"`{line.subscriberNumber}` | {products} |"
            )
    lines += [
        "",
        "| address id | addressLine1 | city | state | postcode | fiber | offers |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for address in world.addresses:
        fiber = "eligible" if address.fiber.eligible else f"not eligible: {address.fiber.reason or 'no service'}"
        offers = ", ".join(f"`{offer}`" for offer in address.fiber.offers) or "none"
        lines.append(
            f"| `{address.id}` | {address.addressLine1} | {address.city} | {address.stateOrProvince} | "
            f"{address.postcode} | {fiber} | {offers} |"
        )
    failing = world.failingCredentials
    lines += [
        "",
        "| credential | values customer/auth refuses |",
        "| --- | --- |",
        *(
            f"| `{kind}` | " + (", ".join(f"`{v}`" for v in values) or "none") + " |"
            for kind, values in (("passcode", failing.passcode), ("otp", failing.otp), ("last4SSN", failing.last4SSN))
        ),
        "",
        "| appointment window | from | to | appointments a day |",
        "| --- | --- | --- | --- |",
        *(f"| `{w.id}` | {w.start:%H:%M} | {w.end:%H:%M} | {w.technicians} |" for w in world.appointments.windows),
    ]
    return "\n".join(lines) + "\n"


def fixtures(args: argparse.Namespace) -> int:
    """Check a sandbox world file before pointing OMNICART_WORLD at it; `load` also
    prints what a partner finds in it."""
    path = args.file or str(files("omnicart") / "data" / "world.json")
    problems = validate_world_file(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{path}: {len(problems)} problem(s); the sandbox would refuse to start with it", file=sys.stderr)
        return 1
    world = load_world(path)
    if args.action == "validate":
        print(f"{path}: valid ({len(world.customers)} customers, {len(world.addresses)} addresses)")
        return 0
    print(world_tables(world), end="")
    print(f"serve it with OMNICART_WORLD={path} in sandbox mode", file=sys.stderr)
    return 0
