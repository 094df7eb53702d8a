"""Structured logs: one JSON object per line, with the request id of the request that
caused it. Bodies are never logged; they carry customer data."""

from __future__ import annotations

import logging
import sys
import time
from contextvars import ContextVar

import msgspec

from omnicart.clock import utc_now

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_encoder = msgspec.json.Encoder()
_RESERVED = frozenset(vars(logging.makeLogRecord({})))


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED and k != "color_message"})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encoder.encode(entry).decode()


class AccessLog:
    """The per-request line, written straight to stderr: the logging machinery (records,
    handlers, formatters) would cost more than the request itself on the fast paths."""

    @staticmethod
    def enabled() -> bool:
        """Whether a line would be written: the caller need not build an entry otherwise."""
        return logging.root.isEnabledFor(logging.INFO)

    def write(self, entry: dict[str, object]) -> None:
        if not self.enabled():
            return
        entry = {
            "time": utc_now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": "info",
            "logger": "omnicart.access",
            "message": "request",
            **entry,
        }
        sys.stderr.buffer.write(_encoder.encode(entry) + b"\n")
        sys.stderr.flush()


access = AccessLog()


def config_dict(level: str = "info") -> dict[str, object]:
    """The same set-up as `configure`, as a logging.config dict: uvicorn applies it in
    every worker process it starts (a worker does not inherit the master's handlers)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "omnicart.logs.JSONFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {"uvicorn.access": {"handlers": [], "propagate": False}, "alembic": {"level": "WARNING"}},
    }


def configure(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log would duplicate ours, without request ids.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("alembic").setLevel(logging.WARNING)
