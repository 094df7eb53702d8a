"""Idle connections against `omnicart serve` (issue 21): open N sockets that say nothing
(or send half a head, or stay open after one request), then time real requests.

    PYTHONPATH=src python bench/idle_connections.py [--idle 1100] [--requests 50] [--mode silent|head|kept]

One worker, a throw-away SQLite database, the shipped connection settings
(OMNICART_MAX_CONNECTIONS 1000, header timeout 10 s, keep-alive 5 s) unless the
environment says otherwise. Prints how many of the real requests (each on a connection of
its own, one after the other, started right after the idle ones) were answered 200 and
503, their median and slowest time, and how long until the first 200.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.live import LiveServer  # noqa: E402

SAY = {
    "silent": b"",
    "head": b"GET /health HTTP/1.1\r\nHost: localhost\r\n",
    "kept": b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
}


def request(port: int) -> tuple[int, float]:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle", type=int, default=1100)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--mode", choices=list(SAY), default="silent")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="omnicart-idle-")
    env = {"OMNICART_JWT_SECRET": "x" * 32, "OMNICART_LOG_LEVEL": "error"}
    with LiveServer(f"sqlite:///{directory}/omnicart.db", workers=1, env=env) as live:
        idle = []
        for _ in range(args.idle):
            sock = socket.create_connection(("127.0.0.1", live.port), timeout=30)
            sock.sendall(SAY[args.mode])
            idle.append(sock)
        time.sleep(0.5)
        started = time.perf_counter()
        answers = [request(live.port) for _ in range(args.requests)]
        first_ok = next((time.perf_counter() - started for status, _ in answers if status == 200), None)
        for sock in idle:
            sock.close()
    times = sorted(seconds for _, seconds in answers)
    statuses = [status for status, _ in answers]
    print(
        f"{args.idle} idle ({args.mode}), {args.requests} requests: "
        f"{statuses.count(200)} x 200, {statuses.count(503)} x 503, "
        f"{len(statuses) - statuses.count(200) - statuses.count(503)} other; "
        f"median {statistics.median(times) * 1000:.1f} ms, slowest {times[-1] * 1000:.1f} ms; "
        f"first 200 after {'-' if first_ok is None else f'{first_ok:.2f} s'}; "
        f"max connections {os.environ.get('OMNICART_MAX_CONNECTIONS', '1000')}"
    )


if __name__ == "__main__":
    main()
