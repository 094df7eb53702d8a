"""The same app and the same raw floor under two ASGI servers, side by side in one run:
uvicorn as `omnicart serve` runs it (uvloop, httptools with omnicart's own limits) and
granian (Rust; ASGI with lifespan, uvloop), Create Cart, rounds interleaved (issue 23).

    bench/run.sh --help                           # once: the venv and wrk
    bench/.venv/bin/pip install granian           # into the bench's venv only
    bench/.venv/bin/python bench/ab_servers.py --rounds 4

Every server gets core 0 and one worker, wrk core 1 (bench/run.py). Prints one table per
store; nothing is written to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from contextlib import ExitStack
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


run = _bench_run()
GRANIAN = [str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--loop", "uvloop",
           "--workers", "1", "--no-access-log", "--log-level", "warning", "--host", "127.0.0.1", "--port", "{port}"]


def granian_omnicart(url: str) -> Any:
    env = {**run.ENV, "OMNICART_DATABASE_URL": url}
    return run.Server("omnicart-granian", [*GRANIAN, "--factory", "omnicart.api.app:create_app"], env)


def granian_floor(url: str) -> Any:
    env = {**run.ENV, "BENCH_DATABASE_URL": url}
    return run.Server("floor-granian", [*GRANIAN, "--working-dir", str(BENCH), "baseline_app:app"], env)


def measure(store: str, args: argparse.Namespace) -> dict[str, Any]:
    url = run.fresh_database(store, migrate=True)
    servers = {
        "omnicart uvicorn": run.omnicart(url, name="omnicart-uvicorn"),
        "omnicart granian": granian_omnicart(url),
        "floor uvicorn": run.baseline(url),
        "floor granian": granian_floor(url),
    }
    with ExitStack() as stack:
        for server in servers.values():
            stack.enter_context(server)
        for server in servers.values():
            run.wrk(f"warm-up {server.name}", server, "create_cart.lua", args.warmup, args.connections)
        return run.alternate({
            name: (lambda label, s=server: run.wrk(label, s, "create_cart.lua", args.duration, args.connections))
            for name, server in servers.items()
        }, args.rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=int, default=6, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    run.RESULTS.mkdir(exist_ok=True)
    run.check_seed_body()
    print(run.environment(" ".join(["bench/ab_servers.py", *sys.argv[1:]])) + f", granian {metadata.version('granian')}")
    for store in args.stores.split(","):
        run.log(f"-- {store}")
        rows = measure(store, args)
        ratios = [("omnicart: granian / uvicorn", "omnicart granian", "omnicart uvicorn"),
                  ("floor: granian / uvicorn", "floor granian", "floor uvicorn"),
                  ("omnicart / floor, uvicorn", "omnicart uvicorn", "floor uvicorn"),
                  ("omnicart / floor, granian", "omnicart granian", "floor granian")]
        print(f"\n#### {store}\n\n{run.table(rows, ratios)}\n", flush=True)


if __name__ == "__main__":
    main()
