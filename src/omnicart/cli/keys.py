"""`omnicart keys create|list|revoke`: partner API keys, kept in the database."""

from __future__ import annotations

import argparse
import asyncio
import sys

from omnicart import logs
from omnicart.cli.database import announce, migrate_database, settings_of


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
    settings = settings_of(args)
    logs.configure("warning")  # the command's own output is what an operator reads
    announce(settings.database_url)
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
