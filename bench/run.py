"""Load benchmarks of omnicart with wrk; results go to BENCHMARKS.md.

    bench/run.sh [create] [items] [ifmatch] [writers] [peer] [size] [--stores sqlite,postgresql] ...

Families (default: all but size and metrics, about 12 minutes):
  create   Create Cart (seed body) on omnicart vs bench/baseline_app.py (one INSERT), and
           that floor making omnicart's writes too (the event, the quota place), per store
  items    add/remove one item and GET on a ~200-item cart vs a ~1-item cart, per store,
           and the same writes on the floor (bench/baseline_app.py)
  ifmatch  item writes with and without If-Match, one cart per connection, per store
  writers  64 clients writing to ONE cart, omnicart at 1, 2 and 4 workers (PostgreSQL)
  peer     Create Cart (seed body) on omnicart vs a Prism 5 mock of the carrier's Create
           Cart (bench/carrier_create_cart.yaml), and the floor that makes omnicart's
           writes without a framework vs the same mock, per store
  lists    a page of 20 carts and a page of 20 orders vs one cart's GET, per store
  metrics  Create Cart with Prometheus metrics on vs OMNICART_METRICS=off, per store (only when named)
  size     the same short loads on an empty PostgreSQL database and on one loaded with
           --carts carts by bench/load_carts.py (default 10 million: tens of minutes and
           of GB; only when named)

The machine is small and noisy, so every comparison is measured side by side in one
run, alternating the variants (A B A B …), and the median of the rounds is reported.
Servers under test get core 0 (`taskset -c 0`), wrk gets core 1; PostgreSQL itself is
not ours to pin and floats.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import hashlib
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results"  # raw wrk output and server logs (git-ignored)
PG_ADMIN = os.environ.get("BENCH_PG", "postgresql://127.0.0.1:5432/test")
# One scratch database per checkout (BENCH_PG_DB overrides): bench runs from two worktrees
# at once must not drop each other's database.
PG_DB = os.environ.get("BENCH_PG_DB") or "omnicart_bench_" + hashlib.sha256(str(REPO).encode()).hexdigest()[:8]
PG_SIZE_DB = "omnicart_size"  # the loaded database of the size family (kept after the run)
CARTS = "/omni-svcs/v1/carts"
ORDERS = "/omni-svcs/v1/orders"
PAYMENT_METHODS = "/omni-svcs/v1/payment-methods"
SERVER_CPU, WRK_CPU = "0", "1"
FAMILIES = ("create", "items", "ifmatch", "writers", "peer", "lists", "size", "metrics")
DEFAULT_FAMILIES = ("create", "items", "ifmatch", "writers", "peer", "lists")
PRISM = BENCH / ".prism" / "node_modules" / ".bin" / "prism"  # installed by run.sh

# Processes run the omnicart of this tree, never the machine-wide editable install.
# Every request authenticates with an API key, as in production; no rate limit and a draft
# quota never reached (the load is one partner far above any sane quota: at the default,
# 100 000 drafts, a long run's creates start being refused, each after an exact count).
BENCH_KEY = "bench-key-0123456789abcdef0123456789"
ENV = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
       "OMNICART_LOG_LEVEL": "warning", "BENCH_DIR": str(BENCH), "BENCH_KEY": BENCH_KEY,
       "OMNICART_API_KEYS": f"bench:{BENCH_KEY}", "OMNICART_RATE_LIMIT": "off", "OMNICART_SANDBOX": "",
       "OMNICART_MAX_DRAFT_CARTS_PER_PARTNER": "1000000000"}


# -- plumbing ----------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any, Any]:
    """(status, headers (case-insensitive), decoded JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {BENCH_KEY}", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, error.headers, None


def fresh_database(store: str, migrate: bool = False, name: str = PG_DB) -> str:
    """An empty database, dropped and recreated on every call. `omnicart serve` migrates
    it; `migrate` does it up front, for the baseline (which writes to omnicart's table)
    and for servers started in parallel."""
    if store == "sqlite":
        path = RESULTS / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import asyncpg

        async def recreate() -> None:
            connection = await asyncpg.connect(PG_ADMIN)
            try:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await connection.execute(f'CREATE DATABASE "{name}"')
            finally:
                await connection.close()

        asyncio.run(recreate())
        url = pg_url(name)
    if migrate:
        subprocess.run([sys.executable, "-m", "omnicart.cli", "migrate"], check=True,
                       env={**ENV, "OMNICART_DATABASE_URL": url})
    return url


def analyze(url: str) -> None:
    """Fresh statistics, as autovacuum would have made them by the time a real database
    of that size serves: without them the planner sees an empty table (and sorts it)."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            await connection.execute("ANALYZE")
        finally:
            await connection.close()

    asyncio.run(run())


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


class Server:
    """A server process in its own process group, stopped by that group's id."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], pin: bool = True,
                 ready: tuple[str, str, Any, int] = ("GET", "/ready", None, 200)) -> None:
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix = ["taskset", "-c", SERVER_CPU] if pin else []
        self.command = [*prefix, *[part.replace("{port}", str(self.port)) for part in command]]
        self.env = env
        self.ready = ready  # (method, path, body, status) that answers once it serves

    def start(self) -> Server:
        self.logfile = RESULTS / f"server-{self.name}.log"
        with open(self.logfile, "ab") as out:
            self.process = subprocess.Popen(self.command, env=self.env, stdout=out, stderr=out,
                                            start_new_session=True)
        return self

    def wait_ready(self) -> Server:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early, see {self.logfile}")
            method, path, body, status = self.ready
            try:
                if http(method, self.url + path, body)[0] == status:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self.name} did not become ready")

    def __enter__(self) -> Server:
        return self.start().wait_ready()

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes (all threads)."""
        pids = [str(self.process.pid)]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids += children.read_text().split() if children.exists() else []
        ticks = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def omnicart(url: str, workers: int = 1, pin: bool = True, name: str = "", **env: str) -> Server:
    env = {**ENV, "OMNICART_DATABASE_URL": url, **env}
    return Server(name or f"omnicart-w{workers}", [sys.executable, "-m", "omnicart.cli", "serve", "--port",
                                                   "{port}", "--workers", str(workers)], env, pin)


def prism(verbose: str = "warn") -> Server:
    """Prism 5 mocking the carrier's Create Cart from static examples (`-d false`), logging
    at warn by default like omnicart's servers here (Prism's default, info, writes four
    lines per request: --prism-verbose info)."""
    if not PRISM.exists():
        sys.exit(f"{PRISM} is missing: run bench/run.sh peer, which installs it")
    return Server("prism", [str(PRISM), "mock", "-d", "false", "-v", verbose, "-h", "127.0.0.1", "-p", "{port}",
                            str(BENCH / "carrier_create_cart.yaml")], ENV,
                  ready=("POST", CARTS, seed_request(), 201))


def baseline(url: str, writes: bool = False) -> Server:
    """The raw floor (bench/baseline_app.py); with `writes`, the floor that also writes the
    cart's event and its quota place, as omnicart's Create Cart does."""
    env = {**ENV, "BENCH_DATABASE_URL": url, "BENCH_FLOOR_WRITES": "1" if writes else ""}
    return Server("baseline-writes" if writes else "baseline", [sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH), "baseline_app:app",
                               "--port", "{port}", "--loop", "uvloop", "--http", "httptools",
                               "--no-access-log", "--log-level", "warning"], env)


def cpu_times() -> list[int]:
    """The machine's CPU time counters (all cores) from /proc/stat."""
    return [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def stolen(before: list[int], after: list[int]) -> float:
    """% of CPU time the hypervisor gave to other guests in between: how noisy a run was."""
    delta = [b - a for a, b in zip(before, after, strict=True)]
    return 100 * delta[7] / max(sum(delta), 1)


def wrk(label: str, server: Server, script: str, seconds: float, connections: int, threads: int = 1,
        env: dict[str, str] | None = None, pin: bool = True) -> dict[str, Any]:
    command = [*(["taskset", "-c", WRK_CPU] if pin else []), "wrk", f"-t{threads}", f"-c{connections}",
               f"-d{int(seconds)}s", "--timeout", "10s", "--latency", "-s", str(BENCH / script),
               server.url + CARTS]
    before, used, started = cpu_times(), server.cpu_seconds(), time.monotonic()
    done = subprocess.run(command, env={**ENV, **(env or {})}, capture_output=True, text=True,
                          timeout=seconds + 60)
    # How much CPU the server got: with one pinned worker, well under 100 % means other
    # processes on the machine took core 0 from it during this run.
    used = server.cpu_seconds() - used
    cpu = 100 * used / (time.monotonic() - started)
    steal = stolen(before, cpu_times())
    with open(RESULTS / "wrk.log", "a") as out:
        out.write(f"### {label}: {' '.join(command)}\n{done.stdout}{done.stderr}\n")
    found = re.search(r"^BENCH_RESULT (\{.*\})$", done.stdout, re.M)
    if done.returncode or not found:
        raise RuntimeError(f"wrk failed ({label}):\n{done.stdout}{done.stderr}")
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["steal"], result["cpu"] = steal, cpu
    # Server CPU per request is steadier than req/s when other work shares the core.
    result["cpu_ms"] = 1000 * used / max(result["requests"], 1)
    errors = result["status_errors"] + result["socket_errors"]
    log(f"  {label:<28} {result['rps']:8.0f} req/s  p50 {result['p50_us'] / 1000:7.2f} ms  "
        f"p99 {result['p99_us'] / 1000:7.2f} ms  CPU {cpu:3.0f} % {result['cpu_ms']:5.2f} ms/req  steal {steal:2.0f} %" + (f"  ERRORS {errors}" if errors else ""))
    return result


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each figure over the rounds, plus the error total."""
    return {"rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["p50_us"] for r in runs) / 1000,
            "p99": statistics.median(r["p99_us"] for r in runs) / 1000,
            "errors": sum(r["status_errors"] + r["socket_errors"] for r in runs),
            "steal": statistics.median(r["steal"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
            "runs": runs}


def alternate(variants: dict[str, Any], rounds: int) -> dict[str, dict[str, Any]]:
    """Run each variant's measurement once per round, interleaved: A B A B …"""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
    for index in range(rounds):
        for name, measure in variants.items():
            runs[name].append(measure(f"{name} #{index + 1}"))
    return {name: median_of(found) for name, found in runs.items()}


# -- carts for the item families -------------------------------------------------------


def item(item_id: str) -> dict[str, Any]:
    """The item items.lua adds, so prepared and measured items weigh the same."""
    return {"action": "add", "productOfferingType": "Mobile_Device",
            "productOfferingId": "Mobile_Device_pkey73001_sku2680262", "productOrderItemId": item_id,
            "characteristic": [{"name": "eSIM_Enabled", "value": "true"}]}


def make_cart(server: str, size: int) -> str:
    """A cart holding `size` filler items (at most 100 per request, the request limit)."""
    fill = [item(f"fill-{n:03d}") for n in range(size)]
    status, _, cart = http("POST", server + CARTS, {**seed_request(), "items": fill[:100]})
    assert status == 201, status
    for start in range(100, size, 100):
        status, _, _ = http("POST", f"{server}{CARTS}/{cart['id']}/items", {"items": fill[start:start + 100]})
        assert status == 200, status
    return cart["id"]


def etags(server: str, carts: list[str]) -> list[str]:
    return [http("GET", f"{server}{CARTS}/{cart}")[1]["etag"] for cart in carts]


def reset(server: str, carts: list[str], item_prefix: str, threads: int) -> list[str]:
    """Remove what a previous wrk run left behind; return each cart's current ETag."""
    # wrk stops with requests still queued in the server; wait until they are done
    # (the ETags stop moving), or they would re-add items after the clean-up.
    seen, deadline = None, time.monotonic() + 20
    while (now := etags(server, carts)) != seen and time.monotonic() < deadline:
        seen = now
        time.sleep(0.5)
    for index in range(threads):
        cart = carts[index % len(carts)]
        http("DELETE", f"{server}{CARTS}/{cart}/items/{item_prefix}-{index + 1}")
    return etags(server, carts)


def item_load(server: Server, label: str, seconds: float, carts: list[str], *, mode: str = "write",
              if_match: bool = False, threads: int, item_prefix: str = "bench", pin: bool = True) -> dict[str, Any]:
    tags = reset(server.url, carts, item_prefix, threads) if mode == "write" else []
    env = {"BENCH_MODE": mode, "BENCH_CARTS": ",".join(carts), "BENCH_ETAGS": ",".join(tags),
           "BENCH_IF_MATCH": "1" if if_match else "0", "BENCH_ITEM": item_prefix}
    return wrk(label, server, "items.lua", seconds, threads, threads, env, pin)


# -- the families ----------------------------------------------------------------------


def bench_create(store: str, args: argparse.Namespace) -> dict[str, Any]:
    url = fresh_database(store, migrate=True)
    with omnicart(url) as app, baseline(url) as raw, baseline(url, writes=True) as raw_writes:
        servers = (("omnicart", app), ("baseline", raw), ("baseline + writes", raw_writes))
        for _, server in servers:  # warm-up: imports, pools, page cache, branch predictors
            wrk(f"warm-up {server.name}", server, "create_cart.lua", args.warmup, args.connections)
        found = alternate({
            name: (lambda label, s=server: wrk(label, s, "create_cart.lua", args.duration,
                                               args.connections))
            for name, server in servers
        }, args.rounds)
    return found


def bench_metrics(store: str, args: argparse.Namespace) -> dict[str, Any]:
    """Create Cart with Prometheus metrics on (the default) and off (OMNICART_METRICS=off),
    side by side: what counting every request costs."""
    url = fresh_database(store, migrate=True)
    with omnicart(url, name="metrics-on") as on, omnicart(url, name="metrics-off", OMNICART_METRICS="off") as off:
        for server in (on, off):
            wrk(f"warm-up {server.name}", server, "create_cart.lua", args.warmup, args.connections)
        return alternate({
            name: (lambda label, s=server: wrk(label, s, "create_cart.lua", args.duration, args.connections))
            for name, server in (("metrics on", on), ("metrics off", off))
        }, args.rounds)


def bench_items(store: str, args: argparse.Namespace) -> dict[str, Any]:
    url, n = fresh_database(store), args.item_connections
    with omnicart(url) as app, baseline(url) as floor:
        # Writes: each connection its own cart of 199 (or 1) items, adding and removing
        # its one item, so the cart holds 199–200 (or 1–2) items throughout. The floor
        # (bench/baseline_app.py) changes carts of its own, made by omnicart alike.
        big = [make_cart(app.url, 199) for _ in range(n)]
        small = [make_cart(app.url, 1) for _ in range(n)]
        floor_big = [make_cart(app.url, 199) for _ in range(n)]
        floor_small = [make_cart(app.url, 1) for _ in range(n)]
        # Reads: one cart of exactly 200 items and one of exactly 1.
        read_big, read_small = [make_cart(app.url, 200)], [make_cart(app.url, 1)]
        item_load(app, "warm-up", args.warmup, small, threads=n)
        item_load(floor, "warm-up floor", args.warmup, floor_small, threads=n)
        found = alternate({
            "write 200": lambda label: item_load(app, label, args.short, big, threads=n),
            "write 1": lambda label: item_load(app, label, args.short, small, threads=n),
            "floor write 200": lambda label: item_load(floor, label, args.short, floor_big, threads=n),
            "floor write 1": lambda label: item_load(floor, label, args.short, floor_small, threads=n),
        }, args.rounds_short)
        found |= alternate({
            "read 200": lambda label: item_load(app, label, args.short, read_big, mode="read", threads=n),
            "read 1": lambda label: item_load(app, label, args.short, read_small, mode="read", threads=n),
        }, args.rounds_short)
    return found


def bench_ifmatch(store: str, args: argparse.Namespace) -> dict[str, Any]:
    url, n = fresh_database(store), args.connections
    with omnicart(url) as app:
        carts = [make_cart(app.url, 1) for _ in range(n)]  # one per connection
        item_load(app, "warm-up", args.warmup, carts, threads=n)
        return alternate({
            "without If-Match": lambda label: item_load(app, label, args.short, carts, threads=n),
            "with If-Match": lambda label: item_load(app, label, args.short, carts, threads=n, if_match=True),
        }, args.rounds_short)


def bench_writers(args: argparse.Namespace) -> dict[str, Any]:
    url = fresh_database("postgresql", migrate=True)  # before the servers, or their migrations race
    with ExitStack() as stack:
        # All three servers up at once (idle ones cost nothing) so the rounds can alternate.
        servers = {n: omnicart(url, workers=n, pin=False) for n in args.worker_counts}
        for server in servers.values():  # they boot in parallel; each one's exit stops it
            stack.push(server.start().__exit__)
        for server in servers.values():
            server.wait_ready()
        shared = [make_cart(servers[args.worker_counts[0]].url, 1)]
        run = lambda server, label, seconds: item_load(server, label, seconds, shared, threads=64,
                                                       item_prefix="writer", pin=False)
        for n, server in servers.items():
            run(server, f"warm-up {n} workers", args.warmup)
        return alternate({f"{n} workers": (lambda label, s=server: run(s, label, args.short))
                          for n, server in servers.items()}, args.rounds_short)


def bench_peer(store: str, args: argparse.Namespace) -> dict[str, Any]:
    """omnicart vs the carrier's Create Cart as Prism mocks it: same body, same load, same core."""
    url = fresh_database(store, migrate=True)
    with omnicart(url) as app, prism(args.prism_verbose) as mock, baseline(url, writes=True) as raw_writes:
        servers = (("omnicart", app), ("prism", mock), ("baseline + writes", raw_writes))
        for _, server in servers:
            wrk(f"warm-up {server.name}", server, "create_cart.lua", args.warmup, args.connections)
        return alternate({
            name: (lambda label, s=server: wrk(label, s, "create_cart.lua", args.duration, args.connections))
            for name, server in servers
        }, args.rounds)


# A whole new line, as tests/api/test_items.py line() builds it: plan (bundle root), phone,
# SIM and protection from the sample catalog. A cart holding one is ready to submit.
PLAN, PHONE = "06c387fb-bfd5-4287-a1e8-b9da4c0be06e", "Mobile_Device_pkey72544_sku2675503"
SIM, PROTECTION = "SIM_pkey80001_sku6001001", "4b9f1e2a-7c3d-4e8f-9a10-2b3c4d5e6f70"


def line_items(root: str) -> list[dict[str, Any]]:
    parts = [("", "Mobile_Offer", PLAN), ("-phone", "Mobile_Device", PHONE), ("-sim", "SIM", SIM),
             ("-protect", "Device_Protection", PROTECTION)]
    return [{"productOrderItemId": root + suffix, "action": "add", "productOfferingType": kind,
             "productOfferingId": offering, **({"rootBundleProductOrderItemId": root} if suffix else {})}
            for suffix, kind, offering in parts]


def new_cart(server: str, lines: int, submit: bool, headers: dict[str, str] | None = None) -> str:
    """A cart made the way partners make one: create it, add lines one request each, submit."""
    status, _, cart = http("POST", server + CARTS, seed_request(), headers)
    assert status == 201, status
    for n in range(lines):
        status, _, found = http("POST", f"{server}{CARTS}/{cart['id']}/items", {"items": line_items(f"line-{n + 1}")},
                                headers)
        assert status == 200, status
    if submit:
        # Payment and the customer's consent to the terms complete the cart's configuration
        # (the carrier's POST /payment-methods), as a partner's flow does before submitting.
        methods = json.loads((REPO / "examples" / "payment-methods.json").read_text().replace("CART_ID", cart["id"]))
        status, _, _ = http("POST", server + PAYMENT_METHODS, methods, headers)
        assert status in (200, 201), status
        status, _, found = http("GET", f"{server}{CARTS}/{cart['id']}", None, headers)
        assert found["validation"]["readyToSubmit"], found["validation"]
        status, _, _ = http("POST", f"{server}{CARTS}/{cart['id']}/express-submit", None, headers)
        assert status == 200, status
    return cart["id"]


def capture_size_template() -> Path:
    """Documents as this tree's omnicart writes them, for bench/load_carts.py: one cart of
    each kind it loads, made through the API on a scratch database, then read back."""
    url = fresh_database("postgresql", name="omnicart_size_template")
    key = "size-template-key-0123456789abcdef"
    out = RESULTS / "size_template.json"
    with omnicart(url, name="omnicart-template", OMNICART_API_KEYS=f"size-template:{key}") as app:
        for lines, submit in ((0, False), (1, False), (2, False), (1, True), (2, True)):
            new_cart(app.url, lines, submit, {"Authorization": f"Bearer {key}"})
    subprocess.run([sys.executable, str(BENCH / "load_carts.py"), "--capture-from", url,
                    "--capture-partner", "size-template", "--template", str(out)], check=True, env=ENV)
    return out


def load_size_database(args: argparse.Namespace, template: Path) -> dict[str, Any]:
    """Run the loader (its progress shows as it goes) and return its LOAD_RESULT."""
    url = fresh_database("postgresql", name=PG_SIZE_DB)
    command = [sys.executable, str(BENCH / "load_carts.py"), "--database", url, "--carts", str(args.carts),
               "--template", str(template), "--sample-ids", str(RESULTS / "size_ids.txt")]
    result = None
    with subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, text=True) as loader:
        for line in loader.stdout:  # type: ignore[union-attr]
            if line.startswith("LOAD_RESULT "):
                result = json.loads(line.split(" ", 1)[1])
            else:
                log(f"  load: {line.rstrip()}")
    if loader.returncode or result is None:
        raise RuntimeError(f"bench/load_carts.py failed ({loader.returncode})")
    result["loaded_at"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    (RESULTS / "size_load.json").write_text(json.dumps(result, indent=1))
    return result


LIST_OPS = ("get cart", "list carts", "list orders")


def bench_lists(store: str, args: argparse.Namespace) -> dict[str, Any]:
    """A page of 20 carts and a page of 20 orders (the first page, no filter) against a
    GET of one cart, on one server: what a page costs next to one document. The carts are
    the size family's one-line carts, made as partners make them; 40 drafts (the GETs pick
    one at random) and 25 submitted, so both lists answer full pages of the same kind of
    documents as a GET."""
    url = fresh_database(store)
    with omnicart(url) as app:
        drafts = [new_cart(app.url, 1, submit=False) for _ in range(40)]
        for _ in range(25):
            new_cart(app.url, 1, submit=True)
        if store == "postgresql":
            analyze(url)
        files = {op: RESULTS / f"paths-lists-{op.replace(' ', '-')}.txt" for op in LIST_OPS}
        files["get cart"].write_text("".join(f"{CARTS}/{cart}\n" for cart in drafts))
        files["list carts"].write_text(f"{CARTS}?limit=20\n")
        files["list orders"].write_text(f"{ORDERS}?limit=20\n")

        def measure(op: str, label: str, seconds: float) -> dict[str, Any]:
            return wrk(label, app, "paths.lua", seconds, args.connections, env={"BENCH_PATHS": str(files[op])})

        for op in LIST_OPS:
            measure(op, f"warm-up {op}", args.warmup)
        return alternate({op: (lambda label, op=op: measure(op, label, args.short)) for op in LIST_OPS},
                         args.rounds_short)


SIZE_OPS = ("create", "read by id", "list carts", "list orders", "list Submitted orders")


def bench_size(args: argparse.Namespace) -> dict[str, Any]:
    """The same short loads against an empty database and a loaded one, alternately."""
    if args.no_load:
        loaded = {**json.loads((RESULTS / "size_load.json").read_text()), "reused": True}
        log(f"reusing {PG_SIZE_DB} ({loaded['carts']:,} carts, loaded by an earlier run)")
    else:
        loaded = load_size_database(args, capture_size_template())
    empty_url = fresh_database("postgresql", migrate=True)
    # The big partner holds more drafts than the default quota (100 000) lets a partner
    # create, so with it every create would be refused: the quota is lifted on both
    # servers (a partner's places are a counter, store/quotas.py: nothing is counted per create).
    quota = {"OMNICART_MAX_DRAFT_CARTS_PER_PARTNER": str(10 * args.carts)}
    with omnicart(empty_url, name="omnicart-empty", **quota) as empty, \
            omnicart(pg_url(PG_SIZE_DB), name="omnicart-loaded", **quota) as full:
        # Both databases get the same few carts and orders from the bench itself, so every
        # list answers a full page of the same documents and only the database's size differs.
        reads = {}
        for server in (empty, full):
            ids = [new_cart(server.url, 1, submit=n < 30) for n in range(330)]
            reads[server.name] = ids[30:]
        analyze(empty_url)
        analyze(pg_url(PG_SIZE_DB))
        # The loaded database's reads go to carts from the load (one-line drafts of the same
        # partner, same documents), spread over the whole table.
        reads[full.name] = (RESULTS / "size_ids.txt").read_text().split()
        files = {}
        for name, ids in reads.items():
            files[name] = RESULTS / f"paths-read-{name}.txt"
            files[name].write_text("".join(f"{CARTS}/{cart}\n" for cart in ids))
        for op, path in (("list carts", CARTS), ("list orders", ORDERS), ("list Submitted orders", f"{ORDERS}?state=Submitted")):
            files[op] = RESULTS / f"paths-{op.replace(' ', '-')}.txt"
            files[op].write_text(path + "\n")

        def measure(server: Server, op: str, label: str, seconds: float) -> dict[str, Any]:
            if op == "create":
                return wrk(label, server, "create_cart.lua", seconds, args.connections)
            paths = files[server.name] if op == "read by id" else files[op]
            return wrk(label, server, "paths.lua", seconds, args.connections, env={"BENCH_PATHS": str(paths)})

        for server in (empty, full):
            measure(server, "read by id", f"warm-up {server.name}", args.warmup)
        found: dict[str, Any] = {"load": loaded}
        for op in SIZE_OPS:
            found |= alternate({
                f"{op} · empty": lambda label, op=op: measure(empty, op, label, args.short),
                f"{op} · loaded": lambda label, op=op: measure(full, op, label, args.short),
            }, args.rounds_short)
    return found


# -- BENCHMARKS.md ---------------------------------------------------------------------


def seed_request() -> dict[str, Any]:
    """SEED_REQUEST from tests/conftest.py, read without importing the test suite."""
    tree = ast.parse((REPO / "tests" / "conftest.py").read_text())
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "SEED_REQUEST")
    return ast.literal_eval(node.value)


def check_seed_body() -> None:
    lua = (BENCH / "create_cart.lua").read_text()
    body = json.loads(re.search(r"wrk\.body = \[\[(.*?)\]\]", lua, re.S).group(1))
    if body != seed_request():
        sys.exit("bench/create_cart.lua's body differs from SEED_REQUEST in tests/conftest.py")


def environment(command: str, family: str = "") -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    packages = ", ".join(f"{p} {metadata.version(p)}" for p in
                         ("starlette", "msgspec", "uvicorn", "uvloop", "httptools", "asyncpg"))
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    try:
        pg = subprocess.run(["psql", PG_ADMIN, "-Atc", "SHOW server_version"], capture_output=True,
                            text=True, timeout=10).stdout.strip() or "?"
    except OSError:
        pg = "?"
    git = lambda *args: subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout
    # "+changes" only when the code under test differs from the commit (not bench/, not this file).
    commit = git("rev-parse", "--short", "HEAD").strip() + ("+changes" if git("status", "--porcelain", "--", "src") else "")
    return (f"`{command}` · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · omnicart {commit} · "
            f"{os.cpu_count()} CPUs ({cpu}) · Python {platform.python_version()}, {packages}, "
            f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}, {wrk_version}" + (f", Prism {prism_version()}" if family == "peer" else ""))


def prism_version() -> str:
    return subprocess.run([str(PRISM), "--version"], capture_output=True, text=True).stdout.strip() or "?"


def table(rows: dict[str, dict[str, Any]], ratios: list[tuple[str, str, str]]) -> str:
    lines = ["| variant | req/s | p50 ms | p99 ms | errors | server CPU % | CPU ms/req | steal % | req/s per round |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
                     f"{r['cpu']:.0f} | {r['cpu_ms']:.2f} | {r['steal']:.0f} | "
                     f"{', '.join(str(round(run['rps'])) for run in r['runs'])} |")
    lines.append("")
    for label, a, b in ratios:
        # Per round, A and B ran back to back under about the same noise, so the median
        # of the per-round ratios is steadier than the ratio of the medians.
        pairs = list(zip(rows[a]["runs"], rows[b]["runs"], strict=True))
        ratio = {key: statistics.median(x[key] / y[key] for x, y in pairs)
                 for key in ("rps", "p50_us", "p99_us", "cpu_ms")}
        lines.append(f"- {label}: req/s **{ratio['rps']:.2f}×** (per round: "
                     f"{', '.join(format(x['rps'] / y['rps'], '.2f') for x, y in pairs)}), "
                     f"p50 **{ratio['p50_us']:.2f}×**, p99 **{ratio['p99_us']:.2f}×**, "
                     f"server CPU per request **{ratio['cpu_ms']:.2f}×**")
    return "\n".join(lines)


def render(family: str, found: dict[str, Any], env_line: str, args: argparse.Namespace) -> str:
    out = [f"Run: {env_line}", ""]
    if family == "create":
        for store, rows in found.items():
            out += [f"**{store}** ({args.connections} connections, {args.rounds}×{args.duration:g} s each, "
                    "median of the rounds)", "",
                    table(rows, [("omnicart / baseline (target ≥ 0.65× req/s, stretch 0.8×)", "omnicart", "baseline"),
                                 ("baseline + writes / baseline (what the event and the quota place cost)",
                                  "baseline + writes", "baseline"),
                                 ("omnicart / baseline + writes (the rest: auth, metrics, logging, the domain, "
                                  "the framework)", "omnicart", "baseline + writes")]), ""]
    elif family == "metrics":
        for store, rows in found.items():
            out += [f"**{store}** ({args.connections} connections, {args.rounds}×{args.duration:g} s each, "
                    "median of the rounds)", "",
                    table(rows, [("metrics on / off (target ≥ 0.95× req/s)", "metrics on", "metrics off")]), ""]
    elif family == "items":
        for store, rows in found.items():
            out += [f"**{store}** ({args.item_connections} connections, {args.rounds_short}×{args.short:g} s each)",
                    "", table(rows, [("write 200 / write 1 (target ≥ 0.5× req/s)", "write 200", "write 1"),
                                     ("floor write 200 / floor write 1 (the document and its snapshot written, "
                                      "nothing else)", "floor write 200", "floor write 1"),
                                     ("read 200 / read 1 (target ≥ 0.8× req/s)", "read 200", "read 1")]), ""]
    elif family == "ifmatch":
        for store, rows in found.items():
            out += [f"**{store}** ({args.connections} connections, {args.rounds_short}×{args.short:g} s each)", "",
                    table(rows, [("with / without If-Match", "with If-Match", "without If-Match")]), ""]
    elif family == "lists":
        for store, rows in found.items():
            out += [f"**{store}** ({args.connections} connections, {args.rounds_short}×{args.short:g} s each, "
                    "alternated)", "",
                    table(rows, [("list carts / get cart (target ≥ 0.5×)", "list carts", "get cart"),
                                 ("list orders / get cart (target ≥ 0.5×)", "list orders", "get cart")]), ""]
    elif family == "writers":
        first = f"{args.worker_counts[0]} workers"
        out += [f"**postgresql**, 64 connections on one cart, {args.rounds_short}×{args.short:g} s each", "",
                table(found, [(f"{name} / {first}", name, first) for name in found if name != first]), ""]
    elif family == "peer":
        for store, rows in found.items():
            out += [f"**omnicart on {store}** vs Prism logging at {args.prism_verbose} ({args.connections} connections, "
                    f"{args.rounds}×{args.duration:g} s each, median of the rounds)", "",
                    table(rows, [("omnicart / Prism (target ≥ 1.2× req/s, p99 ≤ Prism's)", "omnicart", "prism"),
                                 ("baseline + writes / Prism (no framework, the same durable writes)",
                                  "baseline + writes", "prism")]), ""]
    else:
        out += size_summary(found["load"]) + [
            f"**postgresql**, {args.connections} connections, {args.rounds_short}×{args.short:g} s each, empty and "
            "loaded alternately", "",
            table({name: rows for name, rows in found.items() if name != "load"},
                  [(f"{op}: loaded / empty (target: within 20 %)", f"{op} · loaded", f"{op} · empty")
                   for op in SIZE_OPS]), ""]
    return "\n".join(out)


def size_summary(load: dict[str, Any]) -> list[str]:
    """What bench/load_carts.py loaded, how long it took and what it weighs on disk."""
    counts = load["counts"]
    when = f" by an earlier run ({load.get('loaded_at', 'date not recorded')}; this one: --no-load)" if load.get("reused") else ""
    lines = [f"Loaded{when}: {counts['carts']:,} carts, {counts['orders']:,} orders, {counts['outbox']:,} events in "
             f"{load['total_seconds'] / 60:.1f} min (COPY {load['copy_seconds']:.0f} s, indexes "
             f"{load['index_seconds']:.0f} s; {load['rows_per_second']:,} rows/s)", "",
             "| table | rows | total MiB | heap | TOAST | indexes | bytes/row |", "|---|---:|---:|---:|---:|---:|---:|"]
    for table_name, size in load["sizes"].items():
        mib = lambda key: f"{size[key] / 2**20:,.0f}"
        lines.append(f"| {table_name} | {size['rows']:,} | {mib('total')} | {mib('heap')} | {mib('toast')} | "
                     f"{mib('indexes')} | {size['total'] / max(size['rows'], 1):,.0f} |")
    return lines + [""]


def update_benchmarks(family: str, section: str) -> None:
    """Replace the family's block in BENCHMARKS.md, leaving the other families alone."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text()
    start, end = f"<!-- results:{family} -->", f"<!-- /results:{family} -->"
    if start not in text:
        sys.exit(f"BENCHMARKS.md has no {start} … {end} block")
    head, rest = text.split(start, 1)
    path.write_text(f"{head}{start}\n{section}\n{end}{rest.split(end, 1)[1]}")


# -- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("families", nargs="*",
                        help=f"any of {', '.join(FAMILIES)} (default, or all: {', '.join(DEFAULT_FAMILIES)})")
    parser.add_argument("--stores", default="sqlite,postgresql", help="for create, items, ifmatch, peer")
    parser.add_argument("--duration", type=int, default=6, help="seconds per create run")
    parser.add_argument("--rounds", type=int, default=4, help="create and peer rounds (each: every variant once)")
    parser.add_argument("--short", type=int, default=5, help="seconds per run of the other families")
    parser.add_argument("--rounds-short", type=int, default=2, help="rounds of the other families")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, default=16, help="create and ifmatch connections")
    parser.add_argument("--item-connections", type=int, default=4, help="items family connections")
    parser.add_argument("--worker-counts", type=lambda s: [int(n) for n in s.split(",")], default=[1, 2, 4])
    parser.add_argument("--prism-verbose", default="warn", help="peer: Prism's log level (its default: info)")
    parser.add_argument("--carts", type=int, default=10_000_000, help="size: carts to load")
    parser.add_argument("--no-load", action="store_true",
                        help=f"size: measure the {PG_SIZE_DB} database an earlier run loaded, as it is")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args()
    unknown = set(args.families) - set(FAMILIES) - {"all"}
    if unknown:
        parser.error(f"unknown family: {', '.join(sorted(unknown))}")
    wanted = set(args.families) if args.families and "all" not in args.families else set(DEFAULT_FAMILIES)
    families = [f for f in FAMILIES if f in wanted]
    stores = args.stores.split(",")
    RESULTS.mkdir(exist_ok=True)
    check_seed_body()
    where = subprocess.run([sys.executable, "-c", "import omnicart; print(omnicart.__file__)"], env=ENV,
                           capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(REPO / "src")), f"would benchmark {where}, not this tree"
    command = "bench/run.sh " + " ".join(sys.argv[1:])
    for family in families:
        log(f"== {family}")
        if family in ("writers", "size"):
            found: dict[str, Any] = bench_writers(args) if family == "writers" else bench_size(args)
        else:
            measure = {"create": bench_create, "items": bench_items, "ifmatch": bench_ifmatch,
                       "peer": bench_peer, "lists": bench_lists, "metrics": bench_metrics}[family]
            found = {}
            for store in stores:
                log(f"-- {store}")
                found[store] = measure(store, args)
        section = render(family, found, environment(command.strip(), family), args)
        print(section)
        if not args.no_write:
            update_benchmarks(family, section)


if __name__ == "__main__":
    main()
