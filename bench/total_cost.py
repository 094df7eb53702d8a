"""What a page's bounded total costs PostgreSQL for one owner: the count of its orders up
to 1,001 (as store/findings.py writes it), a cheaper-looking form of it, and a statement
that reads nothing, each prepared and run `--n` times on one connection, in turn, twice.

    bench/.venv/bin/python bench/total_cost.py postgresql://127.0.0.1:5432/omnicart_size bench

docs/capacity.md ("Orders pages") has the figures of the loaded database's partner
(150,000 orders) and the empty one's (30).
"""

from __future__ import annotations

import argparse
import asyncio
import time

import asyncpg

FORMS = {
    "nothing": "SELECT 1 WHERE $1::text IS NOT NULL",
    "count up to 1,001": "SELECT count(*) FROM (SELECT 1 FROM orders WHERE owner = $1 LIMIT 1001) AS found",
    "1,001st or count": (
        "SELECT COALESCE((SELECT 1001 FROM orders WHERE owner = $1 OFFSET 1000 LIMIT 1),"
        " (SELECT count(*) FROM (SELECT 1 FROM orders WHERE owner = $1 LIMIT 1001) AS found))"
    ),
}


async def main(url: str, owner: str, n: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        for _ in range(2):
            for name, sql in FORMS.items():
                statement = await connection.prepare(sql)
                for _ in range(200):  # past PostgreSQL's five custom plans, and warm
                    await statement.fetchval(owner)
                started = time.perf_counter()
                for _ in range(n):
                    value = await statement.fetchval(owner)
                print(f"{owner} {name:20s} → {value:5d}  {(time.perf_counter() - started) / n * 1e6:6.0f} µs/call")
    finally:
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("owner")
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.owner, args.n))
