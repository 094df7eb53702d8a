"""The partner kit as a partner gets it: a fresh virtualenv, `pip install omnicart` (this
tree), and a pytest run over examples/partner_tests that uses nothing but the plugin's
fixtures. Proves the entry point, the packaging and the sandbox start-up together."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_partner_tests_pass_in_a_fresh_venv(tmp_path: Path) -> None:
    project = tmp_path / "omnicart"  # a copy: building in place would litter the work tree
    project.mkdir()
    shutil.copy(REPO / "pyproject.toml", project)
    shutil.copy(REPO / "README.md", project)
    shutil.copytree(REPO / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    partner = tmp_path / "partner_tests"
    shutil.copytree(REPO / "examples" / "partner_tests", partner)

    # Nothing of this interpreter's: no PYTHONPATH pointing at the tree, no plugins autoloaded.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "PYTEST", "OMNICART", "VIRTUAL_ENV"))
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

    run = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(partner)],
        cwd=partner,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
    where = subprocess.run(
        [python, "-c", "import omnicart; print(omnicart.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert str(venv) in where, f"the venv's own omnicart ran, not the tree's: {where}"
