"""`omnicart serve|migrate|catalog|fixtures|keys`: the one entry point operators use.

Every command that reads or writes data works on OMNICART_DATABASE_URL (or --database-url),
else on omnicart.db in the current directory, and names the database it used on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Protocol

from omnicart.cli import database, files, keys, serve

ALL_SCOPES = "carts:read,carts:write,orders:submit,customers:read"


class Commands(Protocol):
    """What `add_subparsers` returns, as far as this module uses it."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="omnicart", description=__doc__, formatter_class=_Help)
    root.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = root.add_subparsers(dest="command", required=True, metavar="command")
    _serve_command(commands)
    _command(commands, "migrate", "apply the schema migrations to the database", database.migrate, uses_database=True)

    offerings = _command(commands, "catalog", "check a product catalog file (OMNICART_CATALOG)", files.catalog)
    offerings.add_argument(
        "action",
        choices=["validate", "load"],
        help="validate: report every problem; load: also list the offerings as the service loads them",
    )
    offerings.add_argument("file", help="a catalog JSON file")

    world_summary = "check the sandbox world (OMNICART_WORLD): test customers, addresses, appointments"
    world = _command(commands, "fixtures", world_summary, files.fixtures)
    world.add_argument(
        "action",
        choices=["validate", "load"],
        help="validate: report every problem; load: also print its tables as docs/sandbox.md shows them",
    )
    world.add_argument("file", nargs="?", help="a world JSON file (default: the one shipped with omnicart)")

    key_commands = _command(commands, "keys", "issue, list and revoke partner API keys", keys.keys)
    actions = key_commands.add_subparsers(dest="action", required=True, metavar="action")
    create = _command(actions, "create", "issue a key; prints it once", uses_database=True)
    create.add_argument("--partner", required=True, help="the partner the key acts for (its carts, orders, hubs)")
    create.add_argument("--scopes", default=ALL_SCOPES, help="comma-separated scopes to grant (default: all)")
    listing = _command(actions, "list", "list keys (never their secrets)", uses_database=True)
    listing.add_argument("--partner", help="only this partner's keys (default: every partner's)")
    revoke = _command(actions, "revoke", "revoke a key: running servers refuse it soon after", uses_database=True)
    revoke.add_argument("key_id", help="the key's id (ock_…), as `keys list` shows it")
    return root


def _serve_command(commands: Commands) -> None:
    run = _command(commands, "serve", "apply migrations, then serve the API", serve.serve, uses_database=True)
    run.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    run.add_argument("--port", type=int, default=8000, help="the TCP port to listen on")
    run.add_argument(
        "--workers", type=int, default=1, help="worker processes (PostgreSQL or a SQLite file; one per core)"
    )
    run.add_argument(
        "--sandbox",
        action="store_true",
        help="accept requests without credentials, as the sandbox partner (loopback only; also OMNICART_SANDBOX=1)",
    )
    run.add_argument(
        "--allow-public-sandbox",
        action="store_true",
        help="let --sandbox bind a non-loopback address (private hosts only)",
    )


def _command(
    commands: Commands,
    name: str,
    summary: str,
    handler: Callable[[argparse.Namespace], int] | None = None,
    *,
    uses_database: bool = False,
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=summary + (f". Database: {database.DATABASE_HELP}." if uses_database else ""),
        formatter_class=_Help,
    )
    if uses_database:
        database.add_database_option(command)
    if handler is not None:
        command.set_defaults(handler=handler)
    return command


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Defaults shown beside each option's help, except where the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.default in (None, False, argparse.SUPPRESS):
            return text
        return super()._get_help_string(action) or text


def _version() -> str:
    try:
        return version("omnicart")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (`omnicart catalog load … | head`): end quietly, as Unix
        # tools do, and keep Python from complaining again as it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the status a shell gives a tool killed by the pipe
