"""`omnicart serve`: migrate, then run the API under uvicorn with as many workers as asked."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

from omnicart import logs
from omnicart.cli.database import announce, settings_of, wait_for_database
from omnicart.config import Settings

log = logging.getLogger("omnicart")


def serve(args: argparse.Namespace) -> int:
    if args.sandbox:
        os.environ["OMNICART_SANDBOX"] = "1"
    # Workers read their settings from the environment: how many share the rate limits.
    os.environ.setdefault("OMNICART_WORKERS", str(args.workers))
    settings = settings_of(args)
    logs.configure(settings.log_level)
    if _refused(args, settings):
        return 2
    if not os.environ.get("OMNICART_JWT_SECRET"):
        # Workers read their settings from the environment: one secret for all of them.
        os.environ["OMNICART_JWT_SECRET"] = secrets.token_urlsafe(32)
        if settings.sandbox:  # a sandbox hears of it at its first token, if ever
            os.environ["OMNICART_JWT_SECRET_GENERATED"] = "1"
        else:
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
    announce(settings.database_url)
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
        # The client's address and scheme are worked out by the app (api/clients.py), from
        # OMNICART_TRUSTED_PROXIES only: uvicorn's own handling believes 127.0.0.1.
        proxy_headers=False,
        limit_concurrency=limits().max_connections,
        timeout_keep_alive=int(limits().keep_alive_timeout),
        access_log=False,
        log_config=logs.config_dict(settings.log_level),
        timeout_graceful_shutdown=10,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
