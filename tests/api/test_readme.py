"""The README's walk-throughs work as written: the whole flow (issue 10, point 8) and the
direct-fulfilment add-a-line flow (issue 19). Each section's shell blocks, run in order in
one fresh bash against a live sandbox server, succeed and end with an order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEED_REQUEST
from tests.live import LiveServer

ROOT = Path(__file__).parents[2]
SECTION = "## The whole flow, step by step"
ADD_A_LINE = "## Add a line, step by step"
NEEDS_TOOLS = pytest.mark.skipif(shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq")


def walkthrough(section: str = SECTION) -> list[str]:
    text = (ROOT / "README.md").read_text()
    found = text.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", found, flags=re.MULTILINE | re.DOTALL)


def run_blocks(server: LiveServer, blocks: list[str], check: str) -> subprocess.CompletedProcess[str]:
    """The blocks, in order, in one fresh bash against `server`, then the `check` line."""
    script = "set -euo pipefail\n" + "\n".join(blocks) + "\n" + check + "\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMNICART_")}
    return subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**env, "OMNICART": server.url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_walkthrough_covers_the_whole_flow():
    script = "\n".join(walkthrough())
    for step in (
        '/omni-svcs/v1/carts"',
        "add-device.json",
        "add-plan.json",
        "add-sim.json",
        "add-protection.json",
        "/checkout",
        "/payment-methods",
        "/express-submit",
        "/orders/$ORDER",
    ):
        assert step in script, step
    for sample in re.findall(r"examples/[\w.-]+\.json", script):
        assert (ROOT / sample).is_file(), sample


@NEEDS_TOOLS
def test_the_readme_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    with LiveServer(database_url, workers=1, args=["--sandbox"], log=tmp_path / "server.log") as server:
        done = run_blocks(server, walkthrough(), '[ -n "$CART" ] && [ -n "$ORDER" ]')
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"^cart [0-9a-f-]{36}$", out, re.MULTILINE)
    assert re.search(r"^order [0-9a-f-]{36}$", out, re.MULTILINE)
    assert '{"ready":false,' in out and '{"ready":true,' in out  # payment and terms were required, then complete
    assert '"paymentMethodId"' in out and '"state":"Submitted"' in out


def test_the_add_a_line_walkthrough_covers_the_flow():
    script = "\n".join(walkthrough(ADD_A_LINE))
    for step in (
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
    ):
        assert step in script, step
    for sample in re.findall(r"examples/[\w.-]+\.json", script):
        assert (ROOT / sample).is_file(), sample


@NEEDS_TOOLS
def test_the_add_a_line_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    """Skipped only while `POST /omni-svcs/v1/order/create` (the BYOD part of issue 19,
    built apart) is not served: the walk-through creates its order with it."""
    with LiveServer(database_url, workers=1, args=["--sandbox"], log=tmp_path / "server.log") as server:
        if httpx.post(f"{server.url}/omni-svcs/v1/order/create", json=SEED_REQUEST, timeout=10).status_code == 404:
            pytest.skip("POST /omni-svcs/v1/order/create answers 404: not merged yet")
        done = run_blocks(server, walkthrough(ADD_A_LINE), '[ -n "$ORDER_ID" ] && [ -n "$SUBMITTED" ]')
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
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
