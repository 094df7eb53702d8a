"""The partner kit as a partner gets it: a fresh virtualenv, `pip install omnicart` (this
tree), a pytest run over examples/partner_tests (and the README's example of them) that
uses nothing but the plugin's fixtures, and `mypy --strict` over the same tests against the installed package. Proves
the entry point, the packaging (py.typed in the wheel), the sandbox start-up and the
client's types together."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# What a partner's type checker sees of a created cart, and two slips it catches: the Add
# Items body where its list belongs, and a key the item shape does not have.
SNIPPET = """\
from omnicart.client import Client

api = Client("http://127.0.0.1:8000")
cart = api.create_cart({"id": "IND"}, [{"id": "c1", "role": "customer", "referredType": "customer"}])
reveal_type(cart)
api.add_items(cart.id, {"items": [{"productOrderItemId": "line-1"}]})
api.add_items(cart.id, [{"productOrderItemID": "line-1"}])
"""


@dataclass
class Partner:
    python: str
    tests: Path
    readme: Path  # the README's "Test your integration" example, as a test file
    env: dict[str, str]


def readme_python(heading: str) -> str:
    """The first Python block after the README's `heading`."""
    text = (REPO / "README.md").read_text().split(f"\n{heading}\n", 1)[1]
    block: str = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)[0]
    return block


@pytest.fixture(scope="module")
def partner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Partner]:
    tmp_path = tmp_path_factory.mktemp("partner")
    project = tmp_path / "omnicart"  # a copy: building in place would litter the work tree
    project.mkdir()
    shutil.copy(REPO / "pyproject.toml", project)
    shutil.copy(REPO / "README.md", project)
    shutil.copytree(REPO / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    tests = tmp_path / "partner_tests"
    shutil.copytree(REPO / "examples" / "partner_tests", tests)
    readme = tmp_path / "readme_tests"
    readme.mkdir()
    (readme / "test_readme_example.py").write_text(readme_python("### Test your integration"))

    # Nothing of this interpreter's: no PYTHONPATH pointing at the tree, no plugins autoloaded.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "PYTEST", "OMNICART", "VIRTUAL_ENV", "MYPY"))
    }
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    python = str(venv / "bin" / "python")
    # pip's cache is shared with the machine: the dependencies are wheels already downloaded.
    installed = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(project), "pytest==9.0.3"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    yield Partner(python, tests, readme, env)


@pytest.mark.slow
def test_partner_tests_pass_in_a_fresh_venv(partner: Partner) -> None:
    run = subprocess.run(
        [partner.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(partner.tests), str(partner.readme)],
        cwd=partner.tests,
        env=partner.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "6 passed" in run.stdout  # examples/partner_tests' three, the README's three
    where = subprocess.run(
        [partner.python, "-c", "import omnicart; print(omnicart.__file__)"],
        env=partner.env,
        capture_output=True,
        text=True,
        cwd=partner.tests.parent,
    ).stdout
    assert str(Path(partner.python).parents[1]) in where, f"the venv's own omnicart ran, not the tree's: {where}"


@pytest.mark.slow
def test_mypy_strict_reads_the_installed_client(partner: Partner, tmp_path: Path) -> None:
    """This interpreter's mypy (the test extra's), reading the venv's packages: omnicart as
    installed from the wheel, which it reads only because the wheel carries py.typed."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET)
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-executable", partner.python]
    run = subprocess.run(
        [*mypy, "--cache-dir", str(tmp_path / "cache"), str(partner.tests), str(snippet)],
        cwd=tmp_path,
        env=partner.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    reported = [line.split(": ", 1)[1] for line in run.stdout.splitlines() if line.startswith("snippet.py:")]
    assert run.stdout.count(": error:") == 2, run.stdout + run.stderr  # the two slips, nothing in partner_tests
    assert reported == [
        'note: Revealed type is "omnicart.wire.cart.ProductOrderView"',
        # mypy names the class defining the method: the group of calls `Client` is composed of.
        'error: Argument 2 to "add_items" of "CartCalls" has incompatible type "dict[str, list[dict[str, str]]]";'
        ' expected "Sequence[ProductOrderItem | ItemDict]"  [arg-type]',
        'error: List item 0 has incompatible type "dict[str, str]"; expected "ProductOrderItem | ItemDict"'
        "  [list-item]",
    ]
