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
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
