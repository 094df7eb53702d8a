"""`omnicart …` explains itself: a version, help with defaults on every option, the
database each data command uses, every problem of a data file, quiet broken pipes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from omnicart.cli import main

CATALOG = Path(__file__).parents[2] / "src" / "omnicart" / "data" / "catalog.json"


def help_of(capsys, *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines at the terminal's width


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert re.fullmatch(r"omnicart \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def test_the_top_level_help_lists_every_command(capsys):
    text = help_of(capsys)
    for command in ("serve", "migrate", "catalog", "fixtures", "keys", "--version"):
        assert f" {command} " in text, command


@pytest.mark.parametrize(("command", "shown"), [
    (["serve"], "--host HOST the address to listen on (default: 127.0.0.1)"),
    (["serve"], "--port PORT the TCP port to listen on (default: 8000)"),
    (["serve"], "(default: 1)"),
    (["serve"], "--sandbox accept requests without credentials"),
    (["keys", "create"], "--scopes SCOPES comma-separated scopes to grant (default: all)"),
    (["keys", "create"], "--partner PARTNER the partner the key acts for"),
    (["keys", "list"], "--partner PARTNER only this partner's keys (default: every partner's)"),
    (["keys", "revoke"], "key_id the key's id"),
    (["catalog"], "validate: report every problem"),
    (["fixtures"], "file a world JSON file (default: the one shipped with omnicart)"),
])  # fmt: skip
def test_every_option_says_what_it_does_and_its_default(capsys, command, shown):
    assert shown in help_of(capsys, *command)


@pytest.mark.parametrize("command", [["serve"], ["migrate"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"]])
def test_every_command_that_touches_data_names_its_database_setting(capsys, command):
    text = help_of(capsys, *command)
    assert "OMNICART_DATABASE_URL" in text
    assert "omnicart.db of the current directory" in text
    assert "--database-url URL" in text


class TestTheDatabaseUsed:
    def test_keys_create_names_the_sqlite_file_it_wrote_to(self, tmp_path, monkeypatch, capsys):
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("OMNICART_DATABASE_URL", raising=False)
        assert main(["keys", "create", "--partner", "acme"]) == 0
        assert f"database: SQLite file {tmp_path}/omnicart.db\n" in capsys.readouterr().err
        assert (tmp_path / "omnicart.db").exists()

    def test_the_option_overrides_the_environment(self, tmp_path, monkeypatch, capsys):
        monkeypatch.setenv("OMNICART_DATABASE_URL", f"sqlite:///{tmp_path}/from-env.db")
        assert main(["keys", "list", "--database-url", f"sqlite:///{tmp_path}/chosen.db"]) == 0
        assert f"database: SQLite file {tmp_path}/chosen.db\n" in capsys.readouterr().err
        assert not (tmp_path / "from-env.db").exists()

    def test_a_postgresql_url_is_named_without_its_password(self):
        from omnicart.store.urls import described

        assert described("postgresql://shop:s3cret@db.internal:5432/carts") == (
            "PostgreSQL postgresql://shop:***@db.internal:5432/carts"
        )
        assert described("postgresql://db.internal/carts") == "PostgreSQL postgresql://db.internal/carts"


def test_a_pipe_closed_early_ends_quietly(tmp_path):
    """`omnicart catalog load … | head -1`: no BrokenPipeError traceback."""
    # More output than a pipe holds (64 KiB), so the command is still writing when the
    # reader goes away.
    catalog = json.loads(CATALOG.read_text())
    catalog["productOffering"] = [
        {**offering, "id": f"{offering['id']}-{copy}"} for copy in range(150) for offering in catalog["productOffering"]
    ]
    big = tmp_path / "catalog.json"
    big.write_text(json.dumps(catalog))
    process = subprocess.Popen(
        [sys.executable, "-m", "omnicart.cli", "catalog", "load", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert first.startswith(b"Mobile_Device_pkey73001_sku2680262-0\t")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
