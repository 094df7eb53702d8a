"""Create Cart on this checkout and on another one, side by side in one run, with the raw
floor (bench/baseline_app.py) and, unless --no-prism, the Prism mock of the carrier:
all servers up at once on the same database, rounds interleaved (A B C D A B C D …), so
a change is judged against the code before it under the same noise (issue 23).

    git worktree add /work/omnicart-before <commit>
    bench/run.sh --help                           # once: the venv, wrk and Prism of this tree
    bench/.venv/bin/python bench/ab_trees.py /work/omnicart-before --rounds 4

The other checkout's omnicart runs with this tree's venv (`PYTHONPATH=<other>/src`), so
only the code differs; its migrations must match this tree's (the database is migrated
once, by this tree). Prints one table per store, with the ratios of the medians of the
per-round ratios (bench/run.py `table`); nothing is written to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


run = _bench_run()


def measure(store: str, other: Path, args: argparse.Namespace) -> dict[str, Any]:
    url = run.fresh_database(store, migrate=True)
    servers = {
        "this tree": run.omnicart(url, name="this-tree"),
        "other tree": run.omnicart(url, name="other-tree", PYTHONPATH=f"{other / 'src'}"),
        "floor": run.baseline(url),
    }
    if args.prism:
        servers["prism"] = run.prism(args.prism_verbose)
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
    parser.add_argument("other", type=Path, help="the other checkout (its src/ is served)")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=int, default=6, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-prism", dest="prism", action="store_false")
    parser.add_argument("--prism-verbose", default="warn")
    args = parser.parse_args()
    run.RESULTS.mkdir(exist_ok=True)
    run.check_seed_body()
    other_commit = subprocess.run(["git", "-C", str(args.other), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True).stdout.strip()
    print(run.environment(" ".join(["bench/ab_trees.py", *sys.argv[1:]]), "peer" if args.prism else ""))
    print(f"other tree: {args.other} at {other_commit}")
    for store in args.stores.split(","):
        run.log(f"-- {store}")
        rows = measure(store, args.other.resolve(), args)
        ratios = [("this tree / other tree", "this tree", "other tree"),
                  ("this tree / floor", "this tree", "floor"), ("other tree / floor", "other tree", "floor")]
        if args.prism:
            ratios += [("this tree / prism", "this tree", "prism"), ("other tree / prism", "other tree", "prism")]
        print(f"\n#### {store}\n\n{run.table(rows, ratios)}\n", flush=True)


if __name__ == "__main__":
    main()
