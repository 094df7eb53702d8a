"""`omnicart serve|migrate|keys`: the one entry point operators use."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib.resources import files
from typing import Any

from omnicart import logs
from omnicart.config import Settings
from omnicart.domain.world import World, load_world, validate_world_file

log = logging.getLogger("omnicart")


def serve(args: argparse.Namespace) -> int:
    if args.sandbox:
        os.environ["OMNICART_SANDBOX"] = "1"
    # Workers read their settings from the environment: how many share the rate limits.
    os.environ.setdefault("OMNICART_WORKERS", str(args.workers))
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    if _refused(args, settings):
        return 2
    if not os.environ.get("OMNICART_JWT_SECRET"):
        # Workers read their settings from the environment: one secret for all of them.
        os.environ["OMNICART_JWT_SECRET"] = secrets.token_urlsafe(32)
        log.warning(
            "OMNICART_JWT_SECRET is not set: generated one for this run. Access tokens stop"
            " working when the server restarts and other hosts reject them; set"
            " OMNICART_JWT_SECRET (32+ characters) to keep them valid"
        )
    if settings.sandbox:
        log.warning(
            "SANDBOX MODE on %s:%s: requests without credentials act as partner %r with every scope",
            args.host,
            args.port,
            settings.sandbox_partner,
        )
    wait_for_database(settings.database_url)

    import uvicorn

    from omnicart.store.urls import database_of

    log.info(
        "serving",
        extra={
            "host": args.host,
            "port": args.port,
            "workers": args.workers,
            "store": database_of(settings.database_url).system,
        },
    )
    # Settings reach the workers through the environment: each worker calls the factory.
    with _metrics_directory(args.workers):
        _run_uvicorn(uvicorn, args, settings)
    return 0


def _refused(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether `serve` must not start as asked: one line says why and what to do."""
    from omnicart.store.urls import in_memory

    if settings.sandbox and not _loopback(args.host) and not args.allow_public_sandbox:
        log.error(
            "refusing to serve the sandbox on %s: it accepts requests without credentials."
            " Bind 127.0.0.1, or pass --allow-public-sandbox if this host is private",
            args.host,
        )
        return True
    if in_memory(settings.database_url) and args.workers > 1:
        log.error(
            "refusing to serve %s with %d workers: each worker would hold a database of its own."
            " Pass --workers 1, or name a database file (sqlite:///omnicart.db)",
            settings.database_url,
            args.workers,
        )
        return True
    return False


@contextlib.contextmanager
def _metrics_directory(workers: int) -> Iterator[None]:
    """Several workers share their Prometheus values through files in one directory
    (observability/metrics.py): made here, before a worker imports prometheus_client, and
    removed at exit, so a restart starts from zero as a single process does. An operator's
    own PROMETHEUS_MULTIPROC_DIR is used as it is and left alone."""
    if workers < 2 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    directory = tempfile.mkdtemp(prefix="omnicart-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
        shutil.rmtree(directory, ignore_errors=True)


def _run_uvicorn(uvicorn: Any, args: argparse.Namespace, settings: Settings) -> None:
    from omnicart.server import limits

    uvicorn.run(
        "omnicart.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="omnicart.server:GuardedHttpTools",  # httptools plus header size and read timeouts
        limit_concurrency=limits().max_connections,
        timeout_keep_alive=int(limits().keep_alive_timeout),
        access_log=False,
        log_config=logs.config_dict(settings.log_level),
        timeout_graceful_shutdown=10,
    )


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    """What a database that is down, starting or refusing connections raises."""
    import sqlite3

    import asyncpg
    import sqlalchemy.exc

    return (
        OSError,
        TimeoutError,
        sqlite3.OperationalError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        asyncpg.PostgresConnectionError,
        asyncpg.CannotConnectNowError,
        asyncpg.TooManyConnectionsError,
    )


def wait_for_database(
    url: str, *, first_delay: float = 1.0, max_delay: float = 30.0, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Migrate, retrying with backoff while the database does not answer: an orchestrator
    may start omnicart before its database. One line per attempt, never a traceback."""
    delay = first_delay
    unreachable = _unreachable_errors()
    while True:
        try:
            migrate_database(url)
            return
        except unreachable as exc:
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            log.error("the database (%s) does not answer: %s; retrying in %.0f s", _redacted(url), reason, delay)
        sleep(delay)
        delay = min(max_delay, delay * 2)


def _redacted(url: str) -> str:
    """The URL without its password (it goes to the log)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{location}"


def migrate_database(url: str) -> None:
    from omnicart.store.migrate import upgrade
    from omnicart.store.urls import database_of, in_memory

    if in_memory(url):
        # Migrating here would make a database of this process's own, gone at once: the
        # store migrates its database as it opens it (store/sqlite.py).
        log.info("a database in memory is migrated when the store opens it", extra={"store": "sqlite"})
        return
    upgrade(url)
    log.info("schema is up to date", extra={"store": database_of(url).system})


def migrate(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    migrate_database(settings.database_url)
    return 0


def catalog(args: argparse.Namespace) -> int:
    """Check an operator's catalog file before pointing OMNICART_CATALOG at it."""
    from omnicart.domain.catalog import (
        CatalogError,
        load_catalog,
        validate_catalog_file,
    )

    problems = validate_catalog_file(args.file)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{args.file}: {len(problems)} problem(s); the service would refuse to start with it", file=sys.stderr)
        return 1
    if args.action == "validate":
        print(f"{args.file}: valid")
        return 0
    try:
        loaded = load_catalog(args.file)
    except CatalogError as exc:  # validate_catalog_file found nothing, so this is unexpected
        print(exc, file=sys.stderr)
        return 1
    for offering in loaded:
        prices = ", ".join(
            f"{p.priceType} {p.amount} {loaded.currency}"
            + (f"/{p.recurringChargePeriod}" if p.recurringChargePeriod else "")
            for p in offering.prices
        )
        print(f"{offering.id}\t{offering.productOfferingType}\t{offering.name}\t{prices}")
    print(f"{len(loaded)} offerings; serve them with OMNICART_CATALOG={args.file}", file=sys.stderr)
    return 0


def world_tables(world: World) -> str:
    """The sandbox world as docs/sandbox.md shows it to partners ("Test customers and
    addresses"); tests/unit/test_world.py keeps the doc equal to this."""
    lines = [
        "| customer id | name | credit risk | billing account | service | service address | subscriber number"
        " | existing products (id: type) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for customer in world.customers:
        for account, line in customer.lines():
            products = ", ".join(f"`{p.id}`: {p.productOfferingType}" for p in line.products)
            lines.append(
                f"| `{customer.id}` | {customer.givenName} {customer.familyName} | {customer.creditRisk} | "
                f"`{account.billingAccountNumber}` | {account.serviceType} | `{account.serviceAddressId}` | "
                f"`{line.subscriberNumber}` | {products} |"
            )
    lines += [
        "",
        "| address id | addressLine1 | city | state | postcode | fiber | offers |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for address in world.addresses:
        fiber = "eligible" if address.fiber.eligible else f"not eligible: {address.fiber.reason or 'no service'}"
        offers = ", ".join(f"`{offer}`" for offer in address.fiber.offers) or "none"
        lines.append(
            f"| `{address.id}` | {address.addressLine1} | {address.city} | {address.stateOrProvince} | "
            f"{address.postcode} | {fiber} | {offers} |"
        )
    failing = world.failingCredentials
    lines += [
        "",
        "| credential | values customer/auth refuses |",
        "| --- | --- |",
        *(
            f"| `{kind}` | " + (", ".join(f"`{v}`" for v in values) or "none") + " |"
            for kind, values in (("passcode", failing.passcode), ("otp", failing.otp), ("last4SSN", failing.last4SSN))
        ),
        "",
        "| appointment window | from | to | appointments a day |",
        "| --- | --- | --- | --- |",
        *(f"| `{w.id}` | {w.start:%H:%M} | {w.end:%H:%M} | {w.technicians} |" for w in world.appointments.windows),
    ]
    return "\n".join(lines) + "\n"


def fixtures(args: argparse.Namespace) -> int:
    """Check a sandbox world file before pointing OMNICART_WORLD at it; `load` also
    prints what a partner finds in it."""
    path = args.file or str(files("omnicart") / "data" / "world.json")
    problems = validate_world_file(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{path}: {len(problems)} problem(s); the sandbox would refuse to start with it", file=sys.stderr)
        return 1
    world = load_world(path)
    if args.action == "validate":
        print(f"{path}: valid ({len(world.customers)} customers, {len(world.addresses)} addresses)")
        return 0
    print(world_tables(world), end="")
    print(f"serve it with OMNICART_WORLD={path} in sandbox mode", file=sys.stderr)
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def keys(args: argparse.Namespace) -> int:
    from omnicart.access import AccessService
    from omnicart.domain.credentials import check_partner, format_scopes, parse_scopes
    from omnicart.store import open_store

    try:  # bad input fails before anything touches the database
        scopes = parse_scopes(args.scopes) if args.action == "create" else frozenset()
        for partner in filter(None, [getattr(args, "partner", None)]):
            check_partner(partner)
    except ValueError as exc:
        print(f"omnicart keys: {exc}", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    logs.configure("warning")  # the command's own output is what an operator reads
    migrate_database(settings.database_url)

    async def run() -> int:
        store = await open_store(settings.database_url, pool_size=1)
        try:
            access = AccessService(store, settings)
            if args.action == "create":
                key, plaintext = await access.create_key(args.partner, scopes)
                # The plaintext alone on stdout (for `KEY=$(omnicart keys create …)`);
                # it exists nowhere else, so say so on stderr.
                print(plaintext)
                print(
                    f"created {key.id} for partner {key.partner} with scopes {format_scopes(key.scopes)};"
                    " the key above is shown only once: omnicart keeps only its hash",
                    file=sys.stderr,
                )
            elif args.action == "list":
                print("id\tpartner\tscopes\tcreated\trevoked")
                for key in await access.list_keys(args.partner):
                    revoked_at = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-"
                    print(
                        f"{key.id}\t{key.partner}\t{format_scopes(key.scopes)}\t"
                        f"{key.created_at.isoformat(timespec='seconds')}\t{revoked_at}"
                    )
            else:
                revoked = await access.revoke_key(args.key_id)
                if revoked is None:
                    print(f"no key {args.key_id}", file=sys.stderr)
                    return 1
                print(
                    f"revoked {revoked.id} (partner {revoked.partner}); running servers refuse it"
                    f" within {settings.key_cache_seconds:g} s",
                    file=sys.stderr,
                )
            return 0
        finally:
            await store.close()

    return asyncio.run(run())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="omnicart", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="apply migrations, then serve the API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1)
    run.add_argument(
        "--sandbox",
        action="store_true",
        help="accept requests without credentials, as the sandbox partner (loopback only)",
    )
    run.add_argument(
        "--allow-public-sandbox",
        action="store_true",
        help="let --sandbox bind a non-loopback address (private hosts only)",
    )
    run.set_defaults(handler=serve)

    commands.add_parser("migrate", help="apply the schema migrations").set_defaults(handler=migrate)

    offerings = commands.add_parser("catalog", help="check a product catalog file")
    offerings.add_argument(
        "action",
        choices=["validate", "load"],
        help="validate: report problems; load: also list the offerings as the service loads them",
    )
    offerings.add_argument("file")
    offerings.set_defaults(handler=catalog)

    world = commands.add_parser("fixtures", help="check the sandbox world: test customers, addresses, appointments")
    world.add_argument(
        "action",
        choices=["validate", "load"],
        help="validate: report problems; load: also print its tables as docs/sandbox.md shows them",
    )
    world.add_argument("file", nargs="?", help="a world JSON file (default: the one shipped with omnicart)")
    world.set_defaults(handler=fixtures)

    key_commands = commands.add_parser("keys", help="issue, list and revoke partner API keys")
    key_commands.set_defaults(handler=keys)
    actions = key_commands.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="issue a key; prints it once")
    create.add_argument("--partner", required=True)
    create.add_argument(
        "--scopes", default="carts:read,carts:write,orders:submit,customers:read", help="comma-separated (default: all)"
    )
    listing = actions.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--partner")
    revoke = actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key_id")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
