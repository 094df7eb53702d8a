"""What the listener tests share: settings in which the background loops never fire (their
periods are an hour) and callbacks may reach a receiver on this machine, and delivering
what is due now, in the test's own time."""

from __future__ import annotations

from omnicart.config import Settings
from tests.credentials import API_KEYS, JWT_SECRET


def listener_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        pool_size=4,
        api_keys=API_KEYS,
        jwt_secret=JWT_SECRET,
        webhook_private_callbacks=True,
        webhook_poll_seconds=3600,
        purge_every_seconds=3600,
        webhook_timeout_seconds=5,
    )


def deliver(client) -> int:
    """Deliver every due event now; how many were delivered."""
    return client.portal.call(client.app.state.services.dispatcher.deliver_due)
