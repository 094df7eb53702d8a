"""What one change of a large cart costs the domain, pass by pass, in-process and without a
profiler: a cart of `--items` filler items (the items family's, bench/run.py `item`) gets
one item added and removed again, assessed (`Assessor` with the cart's `CartMemo`) and
encoded (`encode_cart`) each time, as the cart service does; then each pass alone.

    PYTHONPATH=src bench/.venv/bin/python bench/change_passes.py --items 199

µs per call, the best of three runs of `--n` calls: the floor under issue 23's 200-item
writes (BENCHMARKS.md, "Issue 23, fourth session").
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from omnicart.domain.assessment import Assessor, CartMemo
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import load_default_catalog
from omnicart.domain.context import CartContext, CartLimits
from omnicart.domain.ids import time_uuid
from omnicart.domain.pricing import load_default_tax_table, price_cart
from omnicart.domain.representation import encode_cart
from omnicart.domain.rules import validate_cart
from omnicart.wire.cart import CartCreate, ItemsAdd
from omnicart.wire.open import has_extra


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).resolve().parent / "run.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def best(n: int, call: Callable[[], object]) -> float:
    """µs per call, the best of three runs of `n`."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            call()
        runs.append((time.perf_counter() - start) / n * 1e6)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=199, help="filler items in the cart")
    parser.add_argument("--n", type=int, default=2000, help="calls per run")
    args = parser.parse_args()
    run = _bench_run()
    now = datetime.now(UTC)
    cart = Cart.new(time_uuid(), msgspec.convert(run.seed_request(), CartCreate), now)
    fill = [run.item(f"fill-{n:03d}") for n in range(args.items)]
    cart.add_items(msgspec.convert({"items": fill}, ItemsAdd).items, 10_000)
    one = msgspec.convert({"items": [run.item("profiled")]}, ItemsAdd).items[0]
    limits = CartLimits()
    assess, memo = Assessor(load_default_catalog(), load_default_tax_table(), limits), CartMemo()
    kept = cart.productOrderItem

    def change() -> None:  # one add then one remove: two changes
        for items in ([*kept, one], kept):
            cart.productOrderItem = items
            assess(cart, now, memo=memo)
            encode_cart(cart, memo)

    print(f"a change of a {args.items + 1}-item cart, assessed and encoded: {best(args.n, change) / 2:.1f} µs")
    items = cart.productOrderItem
    priced, facts = memo._parts(items, assess.catalog, assess.taxes, {})
    context = CartContext.of(cart, facts, assess.catalog, now, limits, False)
    doc, _ = encode_cart(cart, memo)
    passes: dict[str, Callable[[], object]] = {
        "CartMemo._parts": lambda: memo._parts(items, assess.catalog, assess.taxes, {}),
        "price_cart": lambda: price_cart(cart, assess.catalog, assess.taxes, priced=priced),
        "validate_cart": lambda: validate_cart(cart, assess.catalog, now, limits, facts=facts),
        "  of which CartContext.of": lambda: CartContext.of(cart, facts, assess.catalog, now, limits, False),
        "  of which CartContext.about, every item": lambda: [context.about(item) for item in facts],
        "CartMemo.fragments": lambda: memo.fragments(items),
        "encode_cart (with the memo)": lambda: encode_cart(cart, memo),
        f"has_extra of the whole document ({len(doc) // 1000} KB)": lambda: has_extra(doc),
    }
    for name, call in passes.items():
        print(f"  {name:45s} {best(args.n, call):8.1f} µs")


if __name__ == "__main__":
    main()
