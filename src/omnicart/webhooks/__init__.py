"""Listeners (hubs) and the delivery of events to them (docs/events.md).

Every change commits its event to the outbox in its own transaction. From there the
dispatcher, a background job in every worker, fans each event out into one delivery per
matching hub of the event's partner and POSTs it, signed, to the hub's callback: at least
once, retried with exponential backoff, surviving restarts (deliveries are rows, and a
delivery taken by a worker that died is taken again when its lease runs out).

hubs: the partner's registration use cases; delivery: the dispatcher and its retry
policy. The signature a delivery carries, and how a receiver checks it, is part of the
wire (wire/signing.py), shared with the client.
"""

from omnicart.webhooks.delivery import Dispatcher, RetryPolicy
from omnicart.webhooks.hubs import HubService

__all__ = [
    "Dispatcher",
    "HubService",
    "RetryPolicy",
]
