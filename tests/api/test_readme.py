"""The README's walk-throughs work as written (issue 10, point 8; issue 19): each one's
shell blocks, run in order in one fresh bash against a live sandbox server, succeed and
end where the walk-through says. Every walk-through of the README is named here, with what
its script must do and what its output must show."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live import LiveServer

ROOT = Path(__file__).parents[2]
FLOW = "## The whole flow, step by step"
BYOD = "## BYOD, step by step"
FIBER = "## Fiber move, step by step"
ADD_A_LINE = "## Add a line, step by step"
NEEDS_CURL_AND_JQ = pytest.mark.skipif(
    shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq"
)


def walkthrough(section: str = FLOW) -> list[str]:
    """The shell blocks of one section of the README, in order."""
    text = (ROOT / "README.md").read_text()
    body = text.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", body, flags=re.MULTILINE | re.DOTALL)


def run_walkthrough(section: str, database_url: str, log: Path, *, ends_with: str) -> str:
    """Run the section's blocks in one bash against a live sandbox; its output. `ends_with`:
    a shell test the script must pass at the end (the variables the walk-through sets)."""
    script = "set -euo pipefail\n" + "\n".join(walkthrough(section)) + f"\n{ends_with}\n"
    with LiveServer(database_url, workers=1, args=["--sandbox"], log=log) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OMNICART_")}
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=ROOT,
            env={**env, "OMNICART": server.url},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


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
    script = "\n".join(walkthrough(section))
    for step in steps:
        assert step in script, step
    for sample in re.findall(r"examples/[\w.-]+\.json", script):
        assert (ROOT / sample).is_file(), sample


@NEEDS_CURL_AND_JQ
def test_the_readme_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    out = run_walkthrough(FLOW, database_url, tmp_path / "server.log", ends_with='[ -n "$CART" ] && [ -n "$ORDER" ]')
    assert re.search(r"^cart [0-9a-f-]{36}$", out, re.MULTILINE)
    assert re.search(r"^order [0-9a-f-]{36}$", out, re.MULTILINE)
    assert '{"ready":false,' in out and '{"ready":true,' in out  # payment and terms were required, then complete
    assert '"paymentMethodId"' in out and '"state":"Submitted"' in out


@NEEDS_CURL_AND_JQ
def test_the_byod_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    ends_with = '[ -n "$ORDER_ID" ] && [ -n "$PLACED" ]'
    out = run_walkthrough(BYOD, database_url, tmp_path / "server.log", ends_with=ends_with)
    name = re.search(r"^order id (\d{2}-\d{14})$", out, re.MULTILINE)
    assert name, out
    assert f'{{"customerOrderId":"{name[1]}","status":"valid","total":[0,0]}}' in out  # nothing to pay
    assert '[{"code":"ACTION_REASON_REQUIRED","text":' in out  # the mistake, on the SIM's item
    assert f'{{"customerOrderId":"{name[1]}","state":"Submitted"}}' in out


@NEEDS_CURL_AND_JQ
def test_the_fiber_move_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    out = run_walkthrough(FIBER, database_url, tmp_path / "server.log", ends_with='[ -n "$FIBER_ORDER" ]')
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
def test_the_add_a_line_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    ends_with = '[ -n "$ORDER_ID" ] && [ -n "$SUBMITTED" ]'
    out = run_walkthrough(ADD_A_LINE, database_url, tmp_path / "server.log", ends_with=ends_with)
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
