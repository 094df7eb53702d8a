"""The README's walk through the whole flow works as written (issue 10, point 8): its
shell blocks, run in order in one fresh bash against a live sandbox server, succeed and
end with an order."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.live import LiveServer

ROOT = Path(__file__).parents[2]
SECTION = "## The whole flow, step by step"
FIBER = "## Fiber move, step by step"


def walkthrough(heading: str = SECTION) -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def run_blocks(blocks: list[str], check: str, database_url: str, log: Path) -> str:
    """The blocks, in order in one fresh bash against a live sandbox server, then `check`;
    their output."""
    script = "set -euo pipefail\n" + "\n".join(blocks) + "\n" + check + "\n"
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


NEEDS_CURL_AND_JQ = pytest.mark.skipif(
    shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq"
)


@NEEDS_CURL_AND_JQ
def test_the_readme_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    out = run_blocks(walkthrough(), '[ -n "$CART" ] && [ -n "$ORDER" ]', database_url, tmp_path / "server.log")
    assert re.search(r"^cart [0-9a-f-]{36}$", out, re.MULTILINE)
    assert re.search(r"^order [0-9a-f-]{36}$", out, re.MULTILINE)
    assert '{"ready":false,' in out and '{"ready":true,' in out  # payment and terms were required, then complete
    assert '"paymentMethodId"' in out and '"state":"Submitted"' in out


@NEEDS_CURL_AND_JQ
def test_the_fiber_move_runs_against_a_live_sandbox(database_url, tmp_path):
    """The fiber walk-through, after the first block of the whole flow (OMNICART and api)."""
    blocks = walkthrough()[:1] + walkthrough(FIBER)
    out = run_blocks(blocks, '[ -n "$FIBER_ORDER" ]', database_url, tmp_path / "server.log")
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
