"""Where a request's time goes, layer by layer, with no network in the way.

    bench/.venv/bin/python bench/profile.py                       # 300 of each, SQLite then PostgreSQL
    bench/.venv/bin/python bench/profile.py -n 1000 --stores postgresql --driver asgi

For each store it builds omnicart's ASGI app in this process (a temporary SQLite file; a
scratch PostgreSQL database `omnicart_profile`), and sends one request at a time:
  create  N × Create Cart with the seed body
  add     N × Add Items of one item to a 199-item cart (each followed by a DELETE of that
          item, outside the measurement, so the cart stays at 199 → 200)
  get     N × GET of a 200-item cart
  lists   N × GET /carts?limit=20 and N × GET /orders?limit=20, each a full page of
          one-line carts (25 of them submitted as orders), as bench/run.py's lists family
Each scenario runs twice: once plain, for the true time per request, then under cProfile.
Every function's own time (tottime) goes to a layer by its module (LAYERS, the one table
to edit when modules move); functions of no layer (the standard library, C built-ins)
count for the layer that called them, in proportion. The budget prints the profiled µs
per request per layer, its share, and the share applied to the plain time (cProfile
slows Python code more than C code and waiting, so that column is an estimate).

Drivers: `uvicorn` (default) feeds raw HTTP/1.1 bytes to uvicorn's httptools protocol
through an in-memory transport, so the server's own parsing and header writing count
("server"); `serve` does the same with the protocol `omnicart serve` runs, omnicart's
subclass of it with the limits of server.py (a row of its own); `asgi` calls the app
directly (no server).
Either way there is no client socket, and the event loop is asyncio's own, not uvloop:
compare with bench/run.sh's CPU ms/req for what those add.

The SQLite store (and the cart service's read-modify-write with it) runs in a thread of
its own: that thread is profiled too, and its layers counted with the others. Requests go
one at a time, so the event loop idles in epoll exactly while the store thread or
PostgreSQL works: the "waiting" row is that idle time less the store thread's own, i.e.
mostly PostgreSQL's time. Socket calls have a row of their own: here they are all
PostgreSQL's traffic (or the SQLite thread waking the loop).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file shadows the standard library's `profile`, which cProfile imports: take the
# script's folder off the import path first.
BENCH = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import importlib.util  # noqa: E402
import os
import pstats
import subprocess  # noqa: E402
import sysconfig  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from typing import Any  # noqa: E402

import msgspec  # noqa: E402

REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))  # this tree's omnicart, as bench/run.py serves it


def _bench_run() -> Any:
    """bench/run.py, for the seed body, the bench key and the filler item it uses."""
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


_run = _bench_run()
BENCH_KEY, CARTS, PG_ADMIN, item, seed_request = _run.BENCH_KEY, _run.CARTS, _run.PG_ADMIN, _run.item, _run.seed_request
ORDERS, PAYMENT_METHODS, line_items = _run.ORDERS, _run.PAYMENT_METHODS, _run.line_items

# -- the one table: module → layer (first matching prefix wins) ------------------------------
LAYERS: list[tuple[str, str]] = [
    ("omnicart.server", "server: omnicart's limits (server.py: head size, deadlines, idle eviction)"),
    ("uvicorn.", "server (uvicorn + httptools)"),
    ("httptools", "server (uvicorn + httptools)"),
    # The edge: Starlette's own outer layers, then each concern of the middleware stack
    # (api/edge.py calls them in order) by the module that holds it.
    ("starlette.applications", "edge: Starlette entry + ServerErrorMiddleware"),
    ("starlette.middleware.errors", "edge: Starlette entry + ServerErrorMiddleware"),
    ("starlette.", "framework / routing (starlette)"),
    ("anyio.", "framework / routing (starlette)"),
    ("omnicart.api.edge", "edge: the one entry (its own code)"),
    ("omnicart.api.clients", "edge: client address"),
    ("omnicart.api.metrics", "edge: metrics"),
    ("omnicart.observability", "edge: metrics"),
    ("prometheus_client", "edge: metrics"),
    ("omnicart.api.hosts", "edge: allowed hosts"),
    ("omnicart.api.profiles", "edge: status profile"),
    ("omnicart.api.auth", "edge: auth"),
    ("omnicart.access", "edge: auth"),
    ("omnicart.api.scopes", "edge: auth"),
    ("omnicart.api.ratelimit", "edge: rate limit"),
    ("omnicart.api.idempotency", "edge: idempotency"),
    ("omnicart.api.middleware", "edge: request id, headers, access log, errors"),
    ("omnicart.api.context", "edge: request id, headers, access log, errors"),
    ("omnicart.logs", "edge: request id, headers, access log, errors"),
    ("omnicart.api.scenarios", "edge: mock scenarios"),
    ("omnicart.api.dispatch", "edge: dispatch (operation lookup)"),
    ("omnicart.api.requests", "JSON decode + input checks"),
    ("omnicart.api.wire", "encode (wire views + JSON)"),
    ("omnicart.api.responses", "encode (wire views + JSON)"),
    ("omnicart.domain.representation", "encode (wire views + JSON)"),
    ("omnicart.api.", "handlers (omnicart.api.*)"),
    ("omnicart.domain.events", "event (envelope)"),
    ("omnicart.webhooks", "event (envelope)"),
    ("omnicart.domain.pricing", "domain: pricing"),
    ("omnicart.domain.rules", "domain: validation"),
    ("omnicart.domain.", "domain: cart, ids, other"),
    ("omnicart.services", "domain: cart, ids, other"),
    ("omnicart.ordering", "domain: cart, ids, other"),
    ("omnicart.store.", "store (driver, documents, thread hand-off)"),
    ("asyncpg", "store (driver, documents, thread hand-off)"),
    ("sqlite3", "store (driver, documents, thread hand-off)"),
    ("concurrent.futures", "store (driver, documents, thread hand-off)"),  # hand-off to the SQLite thread
    ("threading", "store (driver, documents, thread hand-off)"),
    ("asyncio.", "event loop (asyncio)"),
    ("selectors", "event loop (asyncio)"),
    ("__main__", "harness (this script)"),
    ("run", "harness (this script)"),
]
WAIT = "waiting: PostgreSQL / I/O (epoll, store thread's work left out)"
IDLE = "idle (a thread waiting for work)"
SOCKETS = "socket syscalls (PostgreSQL traffic, SQLite thread wake-ups)"
JSON_DECODE, ENCODE, STORE = "JSON decode + input checks", "encode (wire views + JSON)", "store (driver, documents, thread hand-off)"
HARNESS = "harness (this script)"

STDLIB = Path(sysconfig.get_paths()["stdlib"])
PURELIB = Path(sysconfig.get_paths()["purelib"])


def module_of(filename: str) -> str | None:
    """`omnicart.api.carts` for …/src/omnicart/api/carts.py; None for built-ins."""
    if filename == "~":
        return None
    path = Path(filename)
    for root in (REPO / "src", PURELIB, STDLIB, BENCH):
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if root == BENCH:
            return "__main__" if path.name == "profile.py" else path.stem
        return ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
    return path.stem


def mapped_layer(function: tuple[str, int, str]) -> str | None:
    filename, _, name = function
    if filename == "~":
        if "epoll" in name or "select" in name:
            return WAIT
        if "of '_queue.SimpleQueue' objects" in name and name.startswith("<method 'get'"):
            return IDLE  # an executor thread between jobs
        if "_socket.socket" in name:
            return SOCKETS  # the harness has no client socket: these are the store's
        return None  # a built-in: counts for its caller (msgspec: see builtin_layer)
    module = module_of(filename) or ""
    return next((layer for prefix, layer in LAYERS if module == prefix.rstrip(".") or module.startswith(prefix)),
                None)


def builtin_layer(name: str, caller_layer: str) -> str:
    """msgspec's C functions are layers of their own, unless the store calls them (then
    they are the store's document (de)serialisation); other built-ins stay the caller's."""
    if "msgspec" in name and caller_layer != STORE:
        if "decode" in name or "convert" in name:
            return JSON_DECODE
        if "encode" in name or "to_builtins" in name:
            return ENCODE
    return caller_layer


def budget(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own time per layer."""
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    mixes: dict[Any, dict[str, float]] = {}

    def mix(function: Any, visiting: frozenset[Any] = frozenset()) -> dict[str, float]:
        """Which layers `function`'s time belongs to, as shares: its own layer, or else its
        callers' layers weighted by the time spent on their behalf."""
        if function in mixes:
            return mixes[function]
        layer = mapped_layer(function)
        if layer is not None:
            return {layer: 1.0}
        if function in visiting or function not in table:
            return {"other (unmapped)": 1.0}
        callers = table[function][4]
        total = sum(entry[3] for entry in callers.values()) or 1.0
        found: dict[str, float] = defaultdict(float)
        for caller, entry in callers.items():
            for name, share in mix(caller, visiting | {function}).items():
                found[name] += share * (entry[3] or total / len(callers)) / total
        if not callers:
            found["other (unmapped)"] = 1.0
        mixes[function] = dict(found)
        return mixes[function]

    layers: dict[str, float] = defaultdict(float)
    for function, (_, _, own, _, callers) in table.items():
        layer = mapped_layer(function)
        if layer is not None:
            layers[layer] += own
            continue
        if not callers:
            layers["other (unmapped)"] += own
            continue
        # Split a built-in's / stdlib function's own time by caller, then by the caller's layer.
        for caller, entry in callers.items():
            for name, share in mix(caller).items():
                target = builtin_layer(function[2], name) if function[0] == "~" else name
                layers[target] += entry[2] * share
    return dict(layers)


# -- driving the app ------------------------------------------------------------------------


class MemoryTransport(asyncio.Transport):
    """What uvicorn writes to, in memory; a response is complete once its Content-Length
    bytes are in (omnicart always sends one)."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = bytearray()
        self.done: asyncio.Future[bytes] | None = None
        self.closing = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def write(self, data: bytes) -> None:  # type: ignore[override]
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.done is None or self.done.done():
            return
        head = bytes(self.buffer[:end]).lower()
        length = int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0]) if b"content-length:" in head else 0
        if len(self.buffer) >= end + 4 + length:
            self.done.set_result(bytes(self.buffer[: end + 4 + length]))
            del self.buffer[: end + 4 + length]

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


Call = Callable[[str, str, Any], Awaitable[tuple[int, bytes]]]
HEADERS = [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/json"),
           (b"authorization", f"Bearer {BENCH_KEY}".encode())]


def asgi_caller(app: Any) -> Call:
    async def call(method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        raw = b"" if body is None else msgspec.json.encode(body)
        path, _, query = path.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": [*HEADERS, (b"content-type", b"application/json"),
                                              (b"content-length", str(len(raw)).encode())],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {}}
        sent: list[dict[str, Any]] = []
        delivered = False

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                await asyncio.Event().wait()  # a client that stays connected
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    return call


def uvicorn_caller(app: Any, guarded: bool = False) -> Call:
    """`guarded`: omnicart's protocol (server.py: head size, head and body deadlines, idle
    eviction), as `omnicart serve` runs; else uvicorn's own httptools protocol."""
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    from uvicorn.server import ServerState

    from omnicart.server import GuardedHttpTools

    config = uvicorn.Config(app, http="httptools", lifespan="off", access_log=False, log_level="warning")
    config.load()
    kind = GuardedHttpTools if guarded else HttpToolsProtocol
    protocol = kind(config=config, server_state=ServerState(), app_state={})
    transport = MemoryTransport()
    protocol.connection_made(transport)

    async def call(method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        raw = b"" if body is None else msgspec.json.encode(body)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1:8000", "Accept: application/json",
                f"Authorization: Bearer {BENCH_KEY}", "Content-Type: application/json", f"Content-Length: {len(raw)}"]
        transport.done = asyncio.get_running_loop().create_future()
        protocol.data_received(("\r\n".join(head) + "\r\n\r\n").encode() + raw)
        response = await transport.done
        status = int(response.split(b" ", 2)[1])
        return status, response.split(b"\r\n\r\n", 1)[1]

    return call


async def lifespan(app: Any) -> Callable[[], Awaitable[None]]:
    """Start the app (store, background jobs) the way a server would; return its stop."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                                   inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"the app did not start: {started}")

    async def stop() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task

    return stop


# -- the scenarios ----------------------------------------------------------------------------


async def cart_of(call: Call, size: int) -> str:
    fill = [item(f"fill-{n:03d}") for n in range(size)]
    status, body = await call("POST", CARTS, {**seed_request(), "items": fill[:100]})
    assert status == 201, (status, body[:300])
    cart = msgspec.json.decode(body)["id"]
    for start in range(100, size, 100):
        status, body = await call("POST", f"{CARTS}/{cart}/items", {"items": fill[start:start + 100]})
        assert status == 200, (status, body[:300])
    return cart


async def line_cart(call: Call, submit: bool) -> str:
    """A one-line cart made as bench/run.py's `new_cart` makes it; submitted: an order."""
    status, body = await call("POST", CARTS, seed_request())
    assert status == 201, (status, body[:300])
    cart = msgspec.json.decode(body)["id"]
    status, body = await call("POST", f"{CARTS}/{cart}/items", {"items": line_items("line-1")})
    assert status == 200, (status, body[:300])
    if submit:
        methods = (REPO / "examples" / "payment-methods.json").read_text().replace("CART_ID", cart)
        status, body = await call("POST", PAYMENT_METHODS, msgspec.json.decode(methods))
        assert status in (200, 201), (status, body[:300])
        status, body = await call("POST", f"{CARTS}/{cart}/express-submit", None)
        assert status == 200, (status, body[:300])
    return cart


Scenarios = dict[str, tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]] | None]]


async def list_scenarios(call: Call) -> Scenarios:
    carts = [await line_cart(call, submit=n < 25) for n in range(45)]

    async def page(path: str) -> Callable[[], Awaitable[None]]:
        status, body = await call("GET", path, None)
        assert status == 200 and len(msgspec.json.decode(body)) == 20, (status, body[:300])

        async def get() -> None:  # the page's length checked once, above: no decoding here
            status, body = await call("GET", path, None)
            assert status == 200, (status, body[:300])

        return get

    async def get() -> None:  # what bench/run.py's lists family measures a page against
        status, body = await call("GET", f"{CARTS}/{carts[-1]}", None)
        assert status == 200, (status, body[:300])

    return {"get a one-line cart": (get, None),
            "list 20 carts": (await page(f"{CARTS}?limit=20"), None),
            "list 20 orders": (await page(f"{ORDERS}?limit=20"), None)}


async def scenarios(call: Call, wanted: list[str]) -> Scenarios:
    """name → (the measured request, an unmeasured request that undoes it, or None)."""
    found: Scenarios = {}
    if {"create", "add", "get"} & set(wanted):  # by the first word of their names
        found = {name: run for name, run in (await item_scenarios(call)).items() if name.split()[0] in wanted}
    if "lists" in wanted:
        found |= await list_scenarios(call)
    return found


async def item_scenarios(call: Call) -> Scenarios:
    seed = seed_request()
    adding, reading = await cart_of(call, 199), await cart_of(call, 200)
    one = {"items": [item("profiled")]}

    async def create() -> None:
        status, body = await call("POST", CARTS, seed)
        assert status == 201, (status, body[:300])

    async def add() -> None:
        status, body = await call("POST", f"{CARTS}/{adding}/items", one)
        assert status == 200, (status, body[:300])

    async def remove() -> None:
        status, body = await call("DELETE", f"{CARTS}/{adding}/items/profiled", None)
        assert status == 200, (status, body[:300])

    async def get() -> None:
        status, body = await call("GET", f"{CARTS}/{reading}", None)
        assert status == 200, (status, body[:300])

    return {"create": (create, None), "add 1 item to 199": (add, remove), "get 200-item cart": (get, None)}


class Profiling:
    """cProfile in the event loop's thread and in every executor thread (the SQLite store
    does its work, and the cart service's read-modify-write, in a thread of its own)."""

    def __init__(self) -> None:
        self.main = cProfile.Profile()
        # Found by type, not through the store's internals: any single-thread executor
        # alive (asyncio's default one has several threads and is not used by requests).
        self.threads = [(executor, cProfile.Profile()) for executor in gc.get_objects()
                        if isinstance(executor, ThreadPoolExecutor) and executor._max_workers == 1
                        and not executor._shutdown]  # a previous store's, closed

    def start(self) -> None:
        for executor, profiler in self.threads:
            executor.submit(profiler.enable).result()
        self.main.enable()

    def stop(self) -> None:
        self.main.disable()
        for executor, profiler in self.threads:
            executor.submit(profiler.disable).result()

    def stats(self) -> tuple[pstats.Stats, float]:
        """All threads' stats, and the store threads' busy seconds (their time minus the
        time they sat waiting for work)."""
        merged = pstats.Stats(self.main)
        busy = 0.0
        for _, profiler in self.threads:
            own = pstats.Stats(profiler)
            table: dict[Any, Any] = own.stats  # type: ignore[attr-defined]
            busy += sum(entry[2] for function, entry in table.items() if mapped_layer(function) != IDLE)
            merged.add(own)
        return merged, busy


async def measure(request: Callable[[], Awaitable[None]], undo: Callable[[], Awaitable[None]] | None, n: int,
                  profiling: Profiling | None = None) -> float:
    """Seconds of `n` requests, one at a time; `undo` runs between them, unmeasured."""
    spent = 0.0
    for _ in range(n):
        if profiling:
            profiling.start()
        started = time.perf_counter()
        await request()
        spent += time.perf_counter() - started
        if profiling:
            profiling.stop()
        if undo:
            await undo()
    return spent


async def profile_store(url: str, args: argparse.Namespace) -> None:
    os.environ.update({
        "OMNICART_DATABASE_URL": url, "OMNICART_API_KEYS": f"bench:{BENCH_KEY}", "OMNICART_RATE_LIMIT": "off",
        "OMNICART_LOG_LEVEL": args.log_level, "OMNICART_SANDBOX": "", "OMNICART_JWT_SECRET": "profile-" + "0" * 32,
        # Background jobs stay asleep: the profile is of requests.
        "OMNICART_WEBHOOK_POLL_SECONDS": "3600", "OMNICART_PURGE_EVERY_SECONDS": "3600",
    })
    subprocess.run([sys.executable, "-m", "omnicart.cli", "migrate"], check=True,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    from omnicart import logs
    from omnicart.api.app import create_app

    logs.configure(args.log_level)  # as `omnicart serve` does: at info, every request writes its access line
    app = create_app()
    stop = await lifespan(app)
    try:
        call = asgi_caller(app) if args.driver == "asgi" else uvicorn_caller(app, guarded=args.driver == "serve")
        for name, (request, undo) in (await scenarios(call, args.scenarios.split(","))).items():
            if args.only and name.split(" ")[0] not in args.only.split(","):
                continue
            await measure(request, undo, min(args.requests, 50), None)  # warm-up
            plain = await measure(request, undo, args.requests) / args.requests
            profiling = Profiling()
            profiled = await measure(request, undo, args.requests, profiling) / args.requests
            report(f"{url.split(':', 1)[0]} · {name}", plain, profiled, *profiling.stats(), args)
    finally:
        await stop()


def report(title: str, plain: float, profiled: float, stats: pstats.Stats, thread_busy: float,
           args: argparse.Namespace) -> None:
    layers = budget(stats)
    layers.pop(HARNESS, None)  # the driver's own bookkeeping is not the service's
    layers.pop(IDLE, None)
    # While a store thread works, the event loop waits in epoll: that stretch is already
    # counted, layer by layer, in the thread's own rows.
    if WAIT in layers:
        layers[WAIT] = max(0.0, layers[WAIT] - thread_busy)
    total = sum(layers.values()) or 1.0
    n = args.requests
    print(f"\n### {title}: {plain * 1e6:,.0f} µs/request plain, {profiled * 1e6:,.0f} µs under cProfile "
          f"({n} requests, driver {args.driver})\n")
    print("| layer | µs/req profiled | share | ≈ µs/req plain |")
    print("|---|---:|---:|---:|")
    for layer, seconds in sorted(layers.items(), key=lambda pair: -pair[1]):
        print(f"| {layer} | {seconds / n * 1e6:,.0f} | {seconds / total:.0%} | {seconds / total * plain * 1e6:,.0f} |")
    if args.driver == "asgi":
        print("| server | not measured (--driver asgi calls the app directly) | | |")
    if args.top:
        print(f"\ntop {args.top} functions by own time:")
        table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        ranked = sorted(table.items(), key=lambda pair: -pair[1][2])[: args.top]
        for function, entry in ranked:
            where = f"{module_of(function[0]) or 'built-in'}:{function[2]}"
            print(f"  {entry[2] / n * 1e6:7.1f} µs  {mapped_layer(function) or '(caller)':<45} {where}")


async def main_async(args: argparse.Namespace) -> None:
    for store in args.stores.split(","):
        if store == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                await profile_store(f"sqlite:///{folder}/profile.db", args)
        else:
            import asyncpg

            admin = await asyncpg.connect(PG_ADMIN)
            url = PG_ADMIN.rsplit("/", 1)[0] + "/omnicart_profile"
            try:
                await admin.execute('DROP DATABASE IF EXISTS "omnicart_profile" WITH (FORCE)')
                await admin.execute('CREATE DATABASE "omnicart_profile"')
                await profile_store(url, args)
            finally:
                await admin.execute('DROP DATABASE IF EXISTS "omnicart_profile" WITH (FORCE)')
                await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=300, help="requests per scenario")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--driver", choices=("uvicorn", "serve", "asgi"), default="uvicorn",
                        help="serve: uvicorn with omnicart's guarded protocol (server.py), as `omnicart serve` runs")
    parser.add_argument("--scenarios", default="create,add,get,lists", help="any of create, add, get, lists")
    parser.add_argument("--top", type=int, default=0, help="also list the N functions with most own time")
    parser.add_argument("--log-level", default="warning",
                        help="the app's log level; `info` (as shipped) writes the access log, to stderr")
    parser.add_argument("--only", default="", help="comma-separated scenarios to run (default: all), e.g. create")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
