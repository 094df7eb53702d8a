"""The request-head limit of `omnicart serve` counts each whole head (issue 21, point 5):
from the end of the previous request (empty lines before it included) to the blank line that
ends it, however the reads split it and whatever came before it on the connection. A raw
socket against a live server; the limit is 1024 bytes here, so the sizes below are exact."""

from __future__ import annotations

import re
import shutil
import socket
import time

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.slow

LIMIT = 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("heads") / "omnicart.db"
    shutil.copy(sqlite_template, path)
    env = {"OMNICART_MAX_HEADER_BYTES": str(LIMIT), "OMNICART_JWT_SECRET": "x" * 32}
    with LiveServer(f"sqlite:///{path}", workers=1, env=env) as live:
        yield live


def head(size: int, *, close: bool = True) -> bytes:
    """A GET /health head of exactly `size` bytes (request line and blank line included)."""
    start = b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + (b"Connection: close\r\n" if close else b"") + b"X-Pad: "
    padded = start + b"a" * (size - len(start) - 4) + b"\r\n\r\n"
    assert len(padded) == size
    return padded


SMALL = b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
WITH_BODY = b"POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3000\r\n\r\n" + (b"x\r\n\r\n" * 600)[:3000]
CHUNKED = (
    b"POST /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"bb8\r\n" + (b"y\r\n\r\n" * 600)[:3000] + b"\r\n0\r\n\r\n"
)


def statuses(parts: list[bytes]) -> list[int]:
    """Send `parts` as separate writes (a pause between them, so that the server reads them
    apart) and read until the server closes: the statuses it answered, in order."""
    with socket.create_connection(("127.0.0.1", LIVE[0].port), timeout=10) as sock:
        for index, part in enumerate(parts):
            if index:
                time.sleep(0.05)
            sock.sendall(part)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]


LIVE: list[LiveServer] = []


@pytest.fixture(autouse=True)
def _live(server):
    LIVE[:] = [server]


def test_a_head_of_exactly_the_limit_is_served_and_one_byte_more_is_431():
    assert statuses([head(LIMIT)]) == [200]
    assert statuses([head(LIMIT + 1)]) == [431]


@pytest.mark.parametrize("at", [1, 2, 3], ids=["CR|LF-CR-LF", "CR-LF|CR-LF", "CR-LF-CR|LF"])
def test_a_head_whose_blank_line_is_split_across_reads_is_served(at):
    """Issue 21: a POST whose \\r\\n\\r\\n straddled two reads had its body counted as head."""
    request = (
        b"POST /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 3000\r\n\r\n" + b"{" * 3000
    )
    end = request.index(b"\r\n\r\n") + 4
    assert statuses([request[: end - 4 + at], request[end - 4 + at :]]) == [405]


def test_a_head_split_into_many_reads_counts_them_all():
    whole = head(LIMIT + 1)
    assert statuses([whole[i : i + 100] for i in range(0, len(whole), 100)]) == [431]
    whole = head(LIMIT)
    assert statuses([whole[i : i + 100] for i in range(0, len(whole), 100)]) == [200]


@pytest.mark.parametrize("apart", [False, True], ids=["one-read", "two-reads"])
def test_empty_lines_before_a_head_count_toward_it(apart):
    empty = b"\r\n" * 100
    parts = [empty, head(LIMIT - 200)] if apart else [empty + head(LIMIT - 200)]
    assert statuses(parts) == [200]
    parts = [empty, head(LIMIT - 199)] if apart else [empty + head(LIMIT - 199)]
    assert statuses(parts) == [431]


@pytest.mark.parametrize("before", [SMALL, WITH_BODY, CHUNKED], ids=["small", "content-length", "chunked"])
@pytest.mark.parametrize("apart", [False, True], ids=["one-read", "two-reads"])
def test_a_pipelined_head_is_counted_from_the_end_of_the_request_before_it(before, apart):
    """Issue 21: a head after a small request was accepted up to ~120 KB. The request before
    it is answered first; then the oversized one gets its 431."""
    first = 200 if before is SMALL else 405
    for size, expected in ((LIMIT, [first, 200]), (LIMIT + 1, [first, 431]), (120_000, [first, 431])):
        parts = [before, head(size)] if apart else [before + head(size)]
        assert statuses(parts) == expected, size


@pytest.mark.parametrize("ending", [b"\n\n", b"\r\n\n", b"\n\r\n"], ids=["LF-LF", "CRLF-LF", "LF-CRLF"])
def test_a_head_ended_by_a_bare_lf_is_refused_by_the_parser(ending):
    """What the count relies on: a head (and a chunked body) ends only at CR LF CR LF."""
    assert statuses([b"GET /health HTTP/1.1\r\nHost: localhost" + ending]) == [400]
