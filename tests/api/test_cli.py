"""The operator's side: `omnicart keys create|list|revoke`, and `omnicart serve` in
sandbox mode and with several workers sharing one token-signing secret."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from starlette.testclient import TestClient

from omnicart.api.app import create_app
from tests.api.conftest import CARTS, assert_challenge
from tests.credentials import AUTH, KEY, bearer
from tests.live import LiveServer


def omnicart(database_url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "OMNICART_DATABASE_URL": database_url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "omnicart.cli", *args], env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def keys_command(database_url, monkeypatch, capsys):
    """`omnicart keys …` in this process (a real process costs seconds of imports):
    returns (exit code, stdout, stderr)."""
    from omnicart import cli, logs

    monkeypatch.setenv("OMNICART_DATABASE_URL", database_url)
    monkeypatch.setattr(logs, "configure", lambda level="info": None)  # keep pytest's log capture

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["keys", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


class TestKeysCommand:
    def test_create_prints_the_key_alone_once(self, database_url):
        created = omnicart(database_url, "keys", "create", "--partner", "acme")
        assert created.returncode == 0, created.stderr
        key = created.stdout.strip()
        key_id, secret = key.split(".", 1)
        assert created.stdout == key + "\n" and key_id.startswith("ock_")
        assert "shown only once" in created.stderr and secret not in created.stderr

    def test_a_key_is_used_listed_and_revoked(self, keys_command, settings, seed_request):
        code, key, _ = keys_command("create", "--partner", "acme", "--scopes", "carts:read,carts:write")
        assert code == 0
        key = key.strip()
        key_id, secret = key.split(".", 1)
        with TestClient(create_app(settings), headers=bearer(key)) as client:
            assert client.post(CARTS, json=seed_request).status_code == 201

        code, listed, _ = keys_command("list")
        assert code == 0 and listed.splitlines()[0] == "id\tpartner\tscopes\tcreated\trevoked"
        (row,) = [line for line in listed.splitlines() if line.startswith(key_id)]
        assert row.split("\t")[1:3] == ["acme", "carts:read carts:write"] and row.endswith("\t-")
        assert secret not in listed

        code, _, said = keys_command("revoke", key_id)
        assert code == 0 and "within 2 s" in said
        with TestClient(create_app(settings), headers=bearer(key)) as client:
            assert_challenge(client.get(CARTS), 401, "invalid_token")
        (row,) = [line for line in keys_command("list")[1].splitlines() if line.startswith(key_id)]
        assert not row.endswith("\t-")

    def test_listing_can_be_narrowed_to_one_partner(self, keys_command):
        mine = keys_command("create", "--partner", "acme")[1].split(".")[0]
        theirs = keys_command("create", "--partner", "globex")[1].split(".")[0]
        listed = keys_command("list", "--partner", "acme")[1]
        assert mine in listed and theirs not in listed

    def test_revoking_an_unknown_key_fails(self, keys_command):
        assert keys_command("revoke", "ock_0000000000000000")[0] == 1


@pytest.mark.parametrize("args", [["--partner", "acme", "--scopes", "carts:admin"], ["--partner", "bad name"]])
def test_a_bad_scope_or_partner_name_is_refused_before_the_database(tmp_path, args):
    refused = omnicart(f"sqlite:///{tmp_path}/x.db", "keys", "create", *args)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "x.db").exists()


class TestServeSandbox:
    @pytest.mark.parametrize("how", [["--sandbox"], []])
    def test_a_sandbox_refuses_to_listen_beyond_loopback(self, tmp_path, how):
        env = {} if how else {"OMNICART_SANDBOX": "1"}
        refused = omnicart(f"sqlite:///{tmp_path}/x.db", "serve", "--host", "0.0.0.0", *how, env=env)
        assert refused.returncode == 2
        assert "refusing to serve the sandbox on 0.0.0.0" in refused.stderr
        assert not (tmp_path / "x.db").exists()  # refused before touching anything

    @pytest.mark.slow
    def test_the_readmes_curl_works_against_a_local_sandbox(self, database_url, tmp_path, seed_request):
        log = tmp_path / "server.log"
        with LiveServer(database_url, workers=1, args=["--sandbox"], log=log) as server:
            created = httpx.post(
                f"{server.url}{CARTS}",
                json=seed_request,
                headers={"accept": "application/json", "content-type": "application/json"},
            )
            assert created.status_code == 201, created.text
            cart_id = created.json()["id"]
            assert httpx.get(f"{server.url}{CARTS}/{cart_id}").status_code == 200
            assert httpx.get(f"{server.url}{CARTS}/{cart_id}", headers=AUTH).status_code == 404
        assert "SANDBOX MODE" in log.read_text()


class TestServeInMemory:
    """`sqlite:///:memory:` lives in the worker that opens it, migrated as it opens."""

    @pytest.fixture
    def command(self, monkeypatch, caplog):
        """`omnicart …` in this process on a database in memory, uvicorn never started:
        returns (exit code, the error lines logged, whether uvicorn would have run)."""
        from omnicart import cli, logs
        from omnicart.cli import serve

        monkeypatch.setenv("OMNICART_DATABASE_URL", "sqlite:///:memory:")
        monkeypatch.setenv("OMNICART_JWT_SECRET", "x" * 32)  # else serve sets one for the rest of the run
        monkeypatch.setenv("OMNICART_WORKERS", "1")  # likewise
        monkeypatch.setattr(logs, "configure", lambda level="info": None)  # keep pytest's log capture
        served = []
        monkeypatch.setattr(serve, "_run_uvicorn", lambda *args: served.append(args))

        def run(*args: str) -> tuple[int, list[str], bool]:
            served.clear()
            caplog.clear()
            code = cli.main(list(args))
            return code, [r.getMessage() for r in caplog.records if r.levelname == "ERROR"], bool(served)

        return run

    def test_more_than_one_worker_is_refused_in_one_line(self, command):
        assert command("serve", "--workers", "2") == (
            2,
            [
                "refusing to serve sqlite:///:memory: with 2 workers: each worker would hold a database of"
                " its own. Pass --workers 1, or name a database file (sqlite:///omnicart.db)"
            ],
            False,
        )

    def test_one_worker_is_served_and_nothing_is_migrated_before(self, command, monkeypatch):
        from omnicart.store import migrate

        migrated = []
        monkeypatch.setattr(migrate, "upgrade", lambda *args: migrated.append(args))
        assert command("serve") == (0, [], True)
        assert command("migrate") == (0, [], False)
        assert migrated == []  # a database of its own, gone at once: the store migrates its own

    @pytest.mark.slow
    def test_its_one_worker_keeps_what_it_is_given(self, tmp_path, seed_request):
        with LiveServer("sqlite:///:memory:", workers=1, log=tmp_path / "server.log") as server:
            created = httpx.post(f"{server.url}{CARTS}", json=seed_request, headers=server.headers)
            assert created.status_code == 201, created.text
            read = httpx.get(f"{server.url}{CARTS}/{created.json()['id']}", headers=server.headers)
            assert read.status_code == 200 and read.json() == created.json()


@pytest.mark.slow
def test_a_token_from_one_worker_is_accepted_by_every_worker(tmp_path):
    """`serve` without OMNICART_JWT_SECRET generates one secret and hands it to all
    workers. About process start-up, not storage: one database is enough."""
    server = LiveServer(f"sqlite:///{tmp_path}/omnicart.db", workers=2, log=tmp_path / "server.log")
    server.env.pop("OMNICART_JWT_SECRET", None)
    with server:
        issued = httpx.post(
            f"{server.url}/oauth/token", data={"grant_type": "client_credentials"}, auth=("partner-a", KEY)
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        # A fresh connection per request, so the kernel spreads them over the workers.
        with httpx.Client(base_url=server.url, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            statuses = [client.get(CARTS, headers=bearer(token)).status_code for _ in range(30)]
        assert statuses == [200] * 30
        assert httpx.get(f"{server.url}{CARTS}").status_code == 401
    assert "OMNICART_JWT_SECRET is not set" in (tmp_path / "server.log").read_text()


def test_serve_against_a_database_that_is_down_says_so_in_one_line_and_keeps_trying():
    from tests.live import free_port

    environment = {
        **os.environ,
        "OMNICART_DATABASE_URL": f"postgresql://omnicart:secret@127.0.0.1:{free_port()}/x",
        "OMNICART_JWT_SECRET": "x" * 32,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "omnicart.cli", "serve", "--port", str(free_port())],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        while len([line for line in lines if "does not answer" in line]) < 2:  # two attempts: it retries
            line = process.stdout.readline()  # type: ignore[union-attr]
            assert line, "serve exited: " + "".join(lines)
            lines.append(line)
        assert process.poll() is None
    finally:
        process.kill()
        process.wait(10)
    output = "".join(lines)
    assert "Traceback" not in output
    assert "secret" not in output  # the password stays out of the log
    assert "retrying in 1 s" in output and "retrying in 2 s" in output
