"""Every example of the documentation runs (issue 10, point 8; issue 19; issue 22, point 1):
each code block of README.md and docs/*.md is run against a live sandbox server, or is the
answer shown for the block before it (checked, masked), or is marked `<!-- not run: why -->`
(tests/examples.py; the convention is in docs/architecture.md). The README's walk-throughs
are also named here, with what their script must do and what their output must show.

One sandbox server for the module, on SQLite only: these are documentation tests, not
storage tests (every operation an example calls has its storage tests on both databases);
a second server would double the module's time for no new behaviour. The simulator's step
is long, so that an order shown `Submitted` still is when it is read."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import examples
from tests.examples import DOCUMENTS, ROOT, Ran, blocks, matches, run_section, runs, unaccounted, wrong_answers
from tests.live import LiveServer

README = ROOT / "README.md"
FLOW = "## The whole flow, step by step"
BYOD = "## BYOD, step by step"
FIBER = "## Fiber move, step by step"
ADD_A_LINE = "## Add a line, step by step"
NEEDS_CURL_AND_JQ = pytest.mark.skipif(
    shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq"
)

# What a section takes as given, made before its blocks run. `$CART`: a cart ready to
# submit (a plan and its SIM, paid, with the customer's consent to the terms).
READY_CART = """CART=$(curl -X POST "$OMNICART/omni-svcs/v1/carts" -H 'content-type: application/json' \\
  --data @examples/create-cart.json | jq -r .id)
for sample in add-plan add-sim; do
  curl -X POST "$OMNICART/omni-svcs/v1/carts/$CART/items" -H 'content-type: application/json' \\
    --data @examples/$sample.json >/dev/null
done
sed "s/CART_ID/$CART/" examples/payment-methods.json \\
  | curl -X POST "$OMNICART/omni-svcs/v1/payment-methods" -H 'content-type: application/json' --data @- >/dev/null
"""
SUBMITTED_ORDER = READY_CART + 'curl -X POST "$OMNICART/omni-svcs/v1/carts/$CART/express-submit" >/dev/null\n'
# `$ORDER_ID`: an order of direct fulfilment with a new line (a plan, a phone in monthly
# installments, a SIM), named by its customer order id.
NEW_LINE = """ORDER_ID=$(curl -X POST "$OMNICART/omni-svcs/v1/order/create" -H 'content-type: application/json' \\
  --data @examples/create-cart.json | jq -r .id)
curl -X POST "$OMNICART/omni-svcs/v1/carts/$ORDER_ID/items" -H 'content-type: application/json' \\
  --data @examples/add-a-line.json >/dev/null
"""
# `$CART`: Jordan's cart with a fiber line at the address of the carrier's qualification
# example.
FIBER_CART = """CART=$(curl -X POST "$OMNICART/omni-svcs/v1/carts" -H 'content-type: application/json' \\
  --data @examples/create-cart.json | jq -r .id)
curl -X POST "$OMNICART/omni-svcs/v1/carts/$CART/items" -H 'content-type: application/json' \\
  --data '{"items": [{"productOrderItemId": "fiber-1", "action": "add", "productOfferingType": "Broadband_Offer",
           "productOfferingId": "7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a50",
           "product": {"place": [{"role": "serviceAddress", "id": "00000NG3XH"}]}}]}' >/dev/null
"""
SETUP = {
    ("fiber.md", "## Credit"): FIBER_CART,
    # and ready to submit but for its appointment: a credit decision, a payment method
    ("fiber.md", "## Checkout and appointments"): FIBER_CART
    + """curl -X POST "$OMNICART/omni-svcs/v1/credit-application" -H 'content-type: application/json' \\
  --data '{"cartId": "'$CART'"}' >/dev/null
sed "s/CART_ID/$CART/" examples/payment-methods.json \\
  | curl -X POST "$OMNICART/omni-svcs/v1/payment-methods" -H 'content-type: application/json' --data @- >/dev/null
""",
    **{
        ("direct-fulfilment.md", f"## `POST /omni-svcs/v1/{path}`"): NEW_LINE
        for path in (
            "fulfillment-options",
            "order/{orderId}/fulfillment",
            "terms",
            "order/{orderId}/terms",
            "order/{orderId}/billing",
        )
    },
    ("orders-query.md", ""): SUBMITTED_ORDER,
    ("README.md", "## Checkout, submit, orders"): READY_CART,
    ("orders.md", "## Express submit"): READY_CART,
    ("sandbox.md", "## Examples"): READY_CART,
}


def path(name: str) -> Path:
    return README if name == "README.md" else ROOT / "docs" / name


# The sections whose answers show a fresh sandbox (the only order, a slot no one booked):
# run before the others.
FRESH = [("orders-query.md", ""), ("fiber.md", "## Checkout and appointments")]


def first(section: tuple[str, str]) -> tuple[int, int, int]:
    """The sections of FRESH first, then every section in document order."""
    name, heading = section
    lines = [block.line for block in blocks(path(name)) if block.section == heading]
    return FRESH.index(section) if section in FRESH else len(FRESH), DOCUMENTS.index(path(name)), lines[0]


SECTIONS = sorted(
    {(document.name, block.section) for document in DOCUMENTS for block in blocks(document) if runs(block)},
    key=first,
)


def walkthrough(section: str) -> str:
    """The shell blocks of one section of the README, in order."""
    return "".join(block.text for block in blocks(README) if block.section == section and runs(block))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("examples") / "omnicart.db"
    shutil.copy(sqlite_template, database)
    env = {"OMNICART_FULFILMENT_STEP_SECONDS": "3600"}
    log = database.with_name("server.log")
    with LiveServer(f"sqlite:///{database}", workers=1, args=["--sandbox"], env=env, log=log) as live:
        yield live


@pytest.fixture(scope="module")
def ran(server: LiveServer) -> Callable[[str, str], Ran]:
    """Run a section, once for the module; what it printed."""
    done: dict[tuple[str, str], Ran] = {}

    def run(name: str, section: str) -> Ran:
        if (name, section) not in done:
            setup = SETUP.get((name, section), "")
            done[name, section] = run_section(path(name), section, server.url, server.database_url, setup=setup)
        return done[name, section]

    return run


def test_what_sections_take_as_given_names_sections_that_run():
    assert set(SETUP) | set(FRESH) <= set(SECTIONS)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_every_block_is_run_shown_as_an_answer_or_marked(document):
    missing = unaccounted(document)
    assert not missing, "\n".join(missing)


def test_a_block_neither_run_nor_an_answer_nor_marked_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(examples, "ROOT", tmp_path)
    document = tmp_path / "new.md"
    document.write_text(
        "## A\n\n```sh\ntrue\n```\n\n```json\n{}\n```\n\n"  # run, and its answer
        "<!-- not run: a configuration excerpt -->\n```yaml\nx: 1\n```\n\n"
        "```json\n{}\n```\n\n"  # after a block not run: no answer
        "- in a list:\n\n  ```\n  a tree\n  ```\n"
    )
    assert unaccounted(document) == [
        "new.md:16: a ```json block neither run nor marked `<!-- not run: why -->`",
        "new.md:22: a ``` block neither run nor marked `<!-- not run: why -->`",
    ]


@pytest.mark.parametrize(
    ("shown", "printed", "same"),
    [
        ('{"id":"0c97aeef-f15f-11f1-a167-f365a2e4f056"}', '{"id":"177a1210-f019-11f0-a4f6-dd46c526bb51"}', True),
        (
            '{"at": "2026-01-15T12:00:00.250Z",\n "on": "2026-01-16"}',
            '{"at":"2026-12-06T10:23:16.065Z","on":"2026-12-07"}',
            True,
        ),
        (
            '{"href":"http://127.0.0.1:8000/omni-svcs/v1/carts"}',
            '{"href":"http://127.0.0.1:41234/omni-svcs/v1/carts"}',
            True,
        ),
        ('{"customerOrderId":"26-76826709685300"}', '{"customerOrderId":"26-29428186501011"}', True),
        (
            '{"access_token":"eyJ…","secret":"whsec_…"}',
            '{"access_token":"eyJhbGciOi.eyJzdWIi.c2lnbmF0","secret":"whsec_x1Y2"}',
            True,
        ),
        ('{"relatedParty":[…as sent…],"n":1}', '{"relatedParty":[{"id":"G5MGG"}],"n":1}', True),
        ('{"n": 1}', '{"n":2}', False),
        ('{"text":"a b"}', '{"text":"ab"}', False),  # white space inside a string counts
        ('{"state":"Submitted"}', '{"state":"Submitted","extra":1}', False),  # no more than shown, but for `…`
    ],
)
def test_an_answer_is_compared_masked(shown, printed, same):
    assert matches(shown, printed) is same


@NEEDS_CURL_AND_JQ
@pytest.mark.parametrize(("name", "section"), SECTIONS, ids=[f"{name} {title[3:]}".strip() for name, title in SECTIONS])
def test_the_examples_run_and_answer_as_shown(ran, name, section):
    result = ran(name, section)
    assert result.returncode == 0, f"{result.script}\n{result.stdout}{result.stderr}"
    wrong = wrong_answers(path(name), section, result)
    assert not wrong, "\n\n".join(wrong)


@pytest.mark.parametrize(
    ("section", "steps"),
    [
        (
            FLOW,
            [
                '/omni-svcs/v1/carts"',
                "add-device.json",
                "add-plan.json",
                "add-sim.json",
                "add-protection.json",
                "/checkout",
                "/payment-methods",
                "/express-submit",
                "/orders/$ORDER",
            ],
        ),
        (
            BYOD,
            [
                "/omni-svcs/v1/order/create",
                "create-order.json",
                "/omni-svcs/v1/order/$ORDER_ID/items",
                "byod-items.json",
                "/carts/$ORDER_ID/express-submit",
                "/orders/$PLACED",
            ],
        ),
        (
            FIBER,
            [
                "/omni-svcs/v1/customers/search",
                "/omni-svcs/v1/customer/auth",
                "service-qualification.json",
                '/omni-svcs/v1/carts"',
                "/omni-svcs/v1/carts/$CART/items",
                "/omni-svcs/v1/credit-application",
                "/omni-svcs/v1/checkout",
                "/omni-svcs/v1/payment-methods",
                "/omni-svcs/v1/carts/$CART/express-submit",
                "/orders/$FIBER_ORDER",
            ],
        ),
        (
            ADD_A_LINE,
            [
                "/omni-svcs/v1/order/create",
                "/offers/search",
                "add-a-line.json",
                "/fulfillment-options",
                "/order/$ORDER_ID/fulfillment",
                "/omni-svcs/v1/terms",
                "/order/$ORDER_ID/terms",
                "/order/$ORDER_ID/billing",
                "/payment-methods",
                "/carts/$ORDER_ID/express-submit",
                "/orders/$SUBMITTED",
            ],
        ),
    ],
    ids=["whole flow", "byod", "fiber move", "add a line"],
)
def test_the_walkthrough_covers_its_flow(section, steps):
    script = walkthrough(section)
    for step in steps:
        assert step in script, step
    for sample in re.findall(r"examples/[\w.-]+\.json", script):
        assert (ROOT / sample).is_file(), sample


@NEEDS_CURL_AND_JQ
def test_the_readme_blocks_run_against_a_live_sandbox(ran):
    out = ran("README.md", FLOW).stdout
    assert re.search(r"^cart [0-9a-f-]{36}$", out, re.MULTILINE)
    assert re.search(r"^order [0-9a-f-]{36}$", out, re.MULTILINE)
    assert '{"ready":false,' in out and '{"ready":true,' in out  # payment and terms were required, then complete
    assert '"paymentMethodId"' in out and '"state":"Submitted"' in out


@NEEDS_CURL_AND_JQ
def test_the_byod_blocks_run_against_a_live_sandbox(ran):
    out = ran("README.md", BYOD).stdout
    name = re.search(r"^order id (\d{2}-\d{14})$", out, re.MULTILINE)
    assert name, out
    assert f'{{"customerOrderId":"{name[1]}","status":"valid","total":[0,0]}}' in out  # nothing to pay
    assert '[{"code":"ACTION_REASON_REQUIRED","text":' in out  # the mistake, on the SIM's item
    assert f'{{"customerOrderId":"{name[1]}","state":"Submitted"}}' in out


@NEEDS_CURL_AND_JQ
def test_the_fiber_move_blocks_run_against_a_live_sandbox(ran):
    out = ran("README.md", FIBER).stdout
    assert "customer 3f7f9189-974e-4639-8343-4a1819a98c7e" in out
    assert '{"status":"SUCCESS"}' in out
    assert "address 00000NG3XH offer 7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a52" in out
    assert '{"creditRisk":"LOW"}' in out
    assert re.search(r"^slot 00000NG3XH-\d{8}-AM$", out, re.MULTILINE)
    assert re.search(
        r'^\{"state":"Submitted","line":\["7c1e5a20-3b4d-4f6e-8a9b-0c1d2e3f4a52"\],"address":"00000NG3XH",'
        r'"appointment":"00000NG3XH-\d{8}-AM"\}$',
        out,
        re.MULTILINE,
    )


@NEEDS_CURL_AND_JQ
def test_the_add_a_line_blocks_run_against_a_live_sandbox(ran):
    out = ran("README.md", ADD_A_LINE).stdout
    order_id = re.search(r"^order (\d{2}-\d{14,15})$", out, re.MULTILINE)
    assert order_id, out
    assert '"iPhone 11 Pro Max 64GB"' in out
    assert '{"type":"fulfillment","status":"pending","required":true}' in out
    assert '[{"item":"line-1-phone","status":"success"},{"item":"line-1-sim","status":"success"}]' in out
    assert '{"error":null,"terms":"complete"}' in out
    assert (
        '{"status":"success","enrollment":{"autoPay":"enrolled","paperLess":"enrolled","paymentProfileId":""}}' in out
    )
    assert '{"ready":true,"dueToday":{"dutyFreeAmount":{"unit":"USD","value":19.99}' in out
    assert (
        f'{{"customerOrderId":"{order_id[1]}","state":"Submitted","delivery":'
        '[{"item":"line-1-phone","how":"express-shipping"},{"item":"line-1-sim","how":"store-pickup"}],'
        '"terms":["WCA","IA"],"enrollment":{"autoPay":"enrolled","paperLess":"enrolled","paymentProfileId":""}}'
    ) in out


@NEEDS_CURL_AND_JQ
def test_the_sandbox_examples_rehearse_their_scenarios(ran):
    out = ran("sandbox.md", "## Examples").stdout
    assert '{"cartId":' in out  # the slow answer came
    assert '"code":"EXTSALESOPS-CART_CREATE-OAV-0003"' in out and "\n422\n" in out  # rejected, and said so
    assert re.search(r'^\{"id":"[0-9a-f-]{36}","customerOrderId":"[\d-]+","state":"Submitted"', out, re.MULTILINE)
