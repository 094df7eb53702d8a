"""`omnicart serve|migrate`: the one entry point operators use."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from omnicart import logs
from omnicart.config import Settings

log = logging.getLogger("omnicart")


def serve(args: argparse.Namespace) -> int:
    if args.sandbox:
        os.environ["OMNICART_SANDBOX"] = "1"
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    migrate_database(settings.database_url)

    import uvicorn

    log.info("serving", extra={"host": args.host, "port": args.port, "workers": args.workers,
                               "store": settings.database_url.split(":", 1)[0]})
    # Settings reach the workers through the environment: each worker calls the factory.
    uvicorn.run(
        "omnicart.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
    )
    return 0


def migrate_database(url: str) -> None:
    from omnicart.store.migrate import upgrade

    upgrade(url)
    log.info("schema is up to date", extra={"store": url.split(":", 1)[0]})


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
        print(f"{args.file}: {len(problems)} problem(s); the service would refuse to start with it",
              file=sys.stderr)
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
            f"{p.priceType} {p.amount} {loaded.currency}" + (f"/{p.recurringChargePeriod}" if p.recurringChargePeriod else "")
            for p in offering.prices
        )
        print(f"{offering.id}\t{offering.productOfferingType}\t{offering.name}\t{prices}")
    print(f"{len(loaded)} offerings; serve them with OMNICART_CATALOG={args.file}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="omnicart", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="apply migrations, then serve the API")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--workers", type=int, default=1)
    run.add_argument("--sandbox", action="store_true", help="accept requests without credentials")
    run.set_defaults(handler=serve)

    commands.add_parser("migrate", help="apply the schema migrations").set_defaults(handler=migrate)

    offerings = commands.add_parser("catalog", help="check a product catalog file")
    offerings.add_argument("action", choices=["validate", "load"],
                           help="validate: report problems; load: also list the offerings as the service loads them")
    offerings.add_argument("file")
    offerings.set_defaults(handler=catalog)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
