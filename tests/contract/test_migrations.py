"""Schema migrations: replicas starting together on a fresh database all come up."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

from tests.conftest import PG_SERVER, admin

REPLICAS = 4


def test_replicas_migrating_a_fresh_postgres_database_at_once_all_succeed():
    name = f"omnicart_migrate_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        env = {**os.environ, "OMNICART_DATABASE_URL": PG_SERVER.rsplit("/", 1)[0] + "/" + name}
        # Separate processes, as replicas are: Alembic's context is process-global.
        replicas = [subprocess.Popen([sys.executable, "-m", "omnicart.cli", "migrate"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    for _ in range(REPLICAS)]
        outcomes = [(replica.wait(timeout=120), replica.stdout.read().decode()) for replica in replicas]
        assert [code for code, _ in outcomes] == [0] * REPLICAS, [out for code, out in outcomes if code]
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
