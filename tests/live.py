"""A real `omnicart serve` in a subprocess, for tests that need several workers, real
sockets or a process to kill."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.credentials import API_KEYS_ENV, AUTH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        log: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.workers = workers
        # The test partners' keys, as an operator would provision them; `headers`
        # authenticates as partner-a.
        self.env = {
            **os.environ,
            "OMNICART_DATABASE_URL": database_url,
            "OMNICART_LOG_LEVEL": "warning",
            "OMNICART_API_KEYS": API_KEYS_ENV,
            **(env or {}),
        }
        self.headers = dict(AUTH)
        self.args = args or []
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> LiveServer:
        # The child gets its own copy of the log file: this one closes once it is started.
        log = open(self.log, "ab") if self.log else contextlib.nullcontext(subprocess.DEVNULL)  # noqa: SIM115
        with log as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "omnicart.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    *self.args,
                ],
                env=self.env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"omnicart serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("omnicart serve did not become ready in time")

    def worker_pids(self) -> list[int]:
        """The worker processes (not the master, not multiprocessing's resource tracker)."""
        assert self.process is not None
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split() if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers, no clean shutdown."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
