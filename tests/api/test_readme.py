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


def walkthrough() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


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


@pytest.mark.skipif(shutil.which("jq") is None or shutil.which("curl") is None, reason="needs curl and jq")
def test_the_readme_blocks_run_against_a_live_sandbox(database_url, tmp_path):
    blocks = walkthrough()
    script = "set -euo pipefail\n" + "\n".join(blocks) + '\n[ -n "$CART" ] && [ -n "$ORDER" ]\n'
    with LiveServer(database_url, workers=1, args=["--sandbox"], log=tmp_path / "server.log") as server:
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
    out = done.stdout
    assert re.search(r"^cart [0-9a-f-]{36}$", out, re.MULTILINE)
    assert re.search(r"^order [0-9a-f-]{36}$", out, re.MULTILINE)
    assert '{"ready":false,' in out and '{"ready":true,' in out  # payment and terms were required, then complete
    assert '"paymentMethodId"' in out and '"state":"Submitted"' in out
