"""The sandbox world (domain/world.py, data/world.json) and the providers made from it
(providers/): what a partner is promised in docs/sandbox.md, "Test customers and
addresses", and how a broken world file is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnicart.cli import main
from omnicart.cli.files import world_tables
from omnicart.config import Settings
from omnicart.domain.catalog import CatalogError
from omnicart.domain.errors import ProviderMissing
from omnicart.domain.world import load_default_world, parse_world
from omnicart.providers import NO_PROVIDERS, open_providers
from omnicart.providers.interface import AddressQuery, Credential, CustomerQuery

ROOT = Path(__file__).parents[2]
WORLD_FILE = ROOT / "src" / "omnicart" / "data" / "world.json"
SEED_CUSTOMER = "3f7f9189-974e-4639-8343-4a1819a98c7e"  # the carrier's Create Cart example


@pytest.fixture(scope="module")
def world():
    return load_default_world()


@pytest.fixture(scope="module")
def sandbox():
    return open_providers("sandbox")


class TestTheShippedWorld:
    def test_the_seed_customer_owns_the_carriers_byod_example_line(self, world):
        jordan = world.customer(SEED_CUSTOMER)
        assert (jordan.givenName, jordan.familyName) == ("Jordan", "Rivera")
        products = {(a.billingAccountNumber, line.subscriberNumber, p.id) for a, line, p in jordan.products()}
        assert ("556165899573", "4690002221", "47777581441708014") in products

    def test_it_has_every_credit_risk_class_once_at_least(self, world):
        risks = {c.creditRisk for c in world.customers}
        assert risks == {"LOW", "MEDIUM", "HIGH", "Fraud Risk", "Abusive Risk", "Analyst Review"}

    def test_some_addresses_are_fiber_eligible_and_some_are_not(self, world):
        eligible = {a.id: a.fiber.eligible for a in world.addresses}
        assert eligible["00000NG3XH"] is True and eligible["00000ZX9OR"] is False

    def test_docs_sandbox_shows_exactly_the_shipped_world(self, world):
        assert world_tables(world) in (ROOT / "docs" / "sandbox.md").read_text()


class TestFindingAnAddress:
    @pytest.mark.parametrize(
        ("line", "postcode", "city", "found"),
        [
            ("208 S Akard St", "75202", None, "00000NG3XH"),
            ("208 s. akard st.", "75202-4206", "DALLAS", "00000NG3XH"),  # as people write it
            ("  208   S Akard  St ", "75202", "Dallas", "00000NG3XH"),
            ("208 S Akard St", "75203", None, None),  # another ZIP code
            ("208 S Akard St", "75202", "Houston", None),  # another city
            ("209 S Akard St", "75202", None, None),
        ],
    )
    def test_by_line_and_postcode(self, world, line, postcode, city, found):
        address = world.find_address(line, postcode, city)
        assert (address.id if address else None) == found


class TestTheSandboxProviders:
    async def test_customers_are_found_by_any_of_their_numbers(self, sandbox):
        directory = sandbox.customer_directory()
        for query in (
            CustomerQuery(subscriber_number="4690002221"),
            CustomerQuery(billing_account_number="556165899574"),
            CustomerQuery(given_name="jordan", family_name="RIVERA"),
            CustomerQuery(service_type="WIRELESS", email="jordan.rivera@example.com"),
        ):
            found, total = await directory.search(query, 0, 10)
            assert [c.id for c in found] == [SEED_CUSTOMER] and total == 1, query

    async def test_search_pages_in_a_stable_order(self, sandbox):
        directory = sandbox.customer_directory()
        first, total = await directory.search(CustomerQuery(service_type="FIBER"), 0, 2)
        rest, again = await directory.search(CustomerQuery(service_type="FIBER"), 2, 10)
        assert total == again == 5 and len(first) == 2 and len(rest) == 3
        assert not {c.id for c in first} & {c.id for c in rest}

    @pytest.mark.parametrize(
        ("credentials", "accepted"),
        [
            ([Credential("passcode", "any-thing-else")], True),
            ([Credential("otp", "123456"), Credential("last4SSN", "1234")], True),
            ([Credential("passcode", "invalid-passcode")], False),
            ([Credential("otp", "000000")], False),
            ([Credential("otp", "123456"), Credential("last4SSN", "0000")], False),
        ],
    )
    async def test_auth_refuses_only_the_documented_failing_values(self, sandbox, world, credentials, accepted):
        assert await sandbox.customer_directory().authenticate(world.customer(SEED_CUSTOMER), credentials) is accepted

    async def test_addresses_are_found_and_read_by_id(self, sandbox):
        addresses = sandbox.address_validation()
        found = await addresses.find(AddressQuery("1600 Pacific Ave", "75201"))
        assert found is not None and found.id == "000011VYAA"
        assert await addresses.get("000011VYAA") == found
        assert await addresses.get("nope") is None


class TestChoosingProviders:
    def test_the_sandbox_world_in_sandbox_mode_and_none_otherwise(self):
        assert Settings(sandbox=True).providers_name == "sandbox"
        assert Settings().providers_name == "none"
        assert Settings(providers="sandbox").providers_name == "sandbox"

    def test_without_providers_each_capability_is_missing(self):
        for need in (
            NO_PROVIDERS.address_validation,
            NO_PROVIDERS.customer_directory,
            NO_PROVIDERS.credit_bureau,
            NO_PROVIDERS.scheduler,
        ):
            with pytest.raises(ProviderMissing):
                need()

    def test_an_unknown_entry_point_is_refused_at_start_up(self):
        with pytest.raises(ValueError, match=r"no entry point of that name in the group 'omnicart\.providers'"):
            open_providers("acme-crm")


def broken(change) -> bytes:
    data = json.loads(WORLD_FILE.read_text())
    change(data)
    return json.dumps(data).encode()


def first_address(data):
    return data["addresses"][0]


def first_account(data):
    return data["customers"][0]["accounts"][0]


OFFERS = "addresses[0].fiber.offers"
WINDOW = "appointments.windows[0]"


@pytest.mark.parametrize(("change", "path", "reason"), [
    (lambda d: first_address(d).update(id=d["addresses"][1]["id"]), "addresses[1].id", "duplicate address id"),
    (lambda d: first_address(d)["fiber"]["offers"].append("nope"), f"{OFFERS}[5]", "no offering 'nope'"),
    (lambda d: first_address(d)["fiber"]["offers"].append("SIM_pkey80001_sku6001001"),
     f"{OFFERS}[5]", "is a SIM, not a Broadband_Offer"),
    (lambda d: first_address(d)["fiber"].update(offers=[]), "addresses[0].fiber.offers", "needs at least one offer"),
    (lambda d: first_address(d).update(postcode="7520"), "addresses[0].postcode", "not a 5-digit ZIP code"),
    (lambda d: first_account(d).update(serviceAddressId="00000AAAAA"),
     "customers[0].accounts[0].serviceAddressId", "no address '00000AAAAA'"),
    (lambda d: first_account(d).update(billingAccountNumber="556165899575"),
     "customers[1].accounts[0].billingAccountNumber", "duplicate '556165899575'"),
    (lambda d: first_account(d)["lines"][0].update(subscriberNumber="469000222"),
     "customers[0].accounts[0].lines[0].subscriberNumber", "not a 10-digit number"),
    (lambda d: d["customers"][1].update(id=SEED_CUSTOMER), "customers[1].id", "duplicate customer id"),
    (lambda d: d["appointments"]["windows"][0].update(end="07:00:00"), f"{WINDOW}.end", "not after start"),
    (lambda d: d["appointments"]["windows"][0].update(techs=2), WINDOW, "Object contains unknown field `techs`"),
    (lambda d: d["customers"][0].update(creditRisk="SHAKY"), "customers[0].creditRisk", "Invalid enum value 'SHAKY'"),
])  # fmt: skip
def test_a_broken_world_file_is_refused_at_the_bad_value(change, path, reason):
    with pytest.raises(CatalogError) as refused:
        parse_world(broken(change), "world.json")
    assert refused.value.path == path and reason in refused.value.reason, str(refused.value)


class TestTheCommand:
    def test_validate_reports_every_problem_and_fails(self, tmp_path, capsys):
        bad = tmp_path / "world.json"
        bad.write_bytes(
            broken(lambda d: (first_address(d).update(postcode="1"), d["customers"][1].update(id=SEED_CUSTOMER)))
        )
        assert main(["fixtures", "validate", str(bad)]) == 1
        err = capsys.readouterr().err
        assert "addresses[0].postcode" in err and "customers[1].id" in err and "2 problem(s)" in err

    def test_validate_reports_every_value_of_the_wrong_shape(self, tmp_path, capsys):
        bad = tmp_path / "world.json"
        bad.write_bytes(
            broken(
                lambda d: (
                    d["customers"][0].update(creditRisk="SHAKY"),
                    d["customers"][2].update(givenName=7),
                    d["appointments"]["windows"][0].update(techs=2),
                )
            )
        )
        assert main(["fixtures", "validate", str(bad)]) == 1
        assert capsys.readouterr().err.splitlines() == [
            f"{bad}: customers[0].creditRisk: Invalid enum value 'SHAKY'",
            f"{bad}: customers[2].givenName: Expected `str`, got `int`",
            f"{bad}: appointments.windows[0]: Object contains unknown field `techs`",
            f"{bad}: 3 problem(s); the sandbox would refuse to start with it",
        ]

    def test_load_prints_the_tables_of_the_docs(self, capsys):
        assert main(["fixtures", "load"]) == 0
        assert capsys.readouterr().out == world_tables(load_default_world())

    def test_validate_says_valid(self, capsys):
        assert main(["fixtures", "validate", str(WORLD_FILE)]) == 0
        assert "valid (6 customers, 6 addresses)" in capsys.readouterr().out
