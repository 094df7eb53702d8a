"""OpenTelemetry traces, off unless OMNICART_OTEL=on (docs/metrics.md#traces).

On, every HTTP request is a server span (continuing a caller's W3C `traceparent`), named
by its route template; each store call made for it is a child span, and so is each event
delivery with the store calls that record it. The standard OTEL_* variables apply
(OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER…); OTEL_TRACES_EXPORTER
picks `otlp` (needs opentelemetry-exporter-otlp installed), `console` or `none`.

Off, nothing here runs per request: no span at the edge, no store wrapper, and `span()` is a
shared no-op context. The opentelemetry packages are imported only when switched on.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from starlette.types import Scope

from omnicart.observability import ROUTE_KEY
from omnicart.store.urls import database_of

log = logging.getLogger("omnicart")

_tracer: Any = None  # the process's tracer while tracing is on, else None
_NOTHING = contextlib.nullcontext()


def setup(enabled: bool, provider: Any = None) -> Any:
    """The tracer of this app (None: tracing off). `provider`: a TracerProvider of the
    caller's (tests pass one with an in-memory exporter); else one from the OTEL_* settings."""
    global _tracer
    if not enabled:
        _tracer = None
        return None
    try:
        from opentelemetry import trace
    except ImportError as exc:
        raise RuntimeError("OMNICART_OTEL=on needs the OpenTelemetry packages: pip install 'omnicart[otel]'") from exc
    _tracer = trace.get_tracer("omnicart", tracer_provider=provider or _provider())
    return _tracer


def _provider() -> Any:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    os.environ.setdefault("OTEL_SERVICE_NAME", "omnicart")
    provider = TracerProvider(resource=Resource.create())  # reads OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
    exporter_name = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower()
    if exporter_name == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter_name == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found]
                OTLPSpanExporter,
            )
        except ImportError:
            log.error("OTEL_TRACES_EXPORTER=otlp needs opentelemetry-exporter-otlp-proto-http; spans are dropped")
        else:
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))  # OTEL_EXPORTER_OTLP_* apply
    return provider


def span(name: str, attributes: Mapping[str, Any] | None = None) -> contextlib.AbstractContextManager[Any]:
    """A child span of whatever is current, or nothing when tracing is off."""
    if _tracer is None:
        return _NOTHING
    started: contextlib.AbstractContextManager[Any] = _tracer.start_as_current_span(name, attributes=attributes)
    return started


class ServerSpans:
    """A server span per HTTP request, opened and closed by the edge (api/edge.py); its
    name is set once routing knows the template."""

    def __init__(self, tracer: Any) -> None:
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind

        self.tracer = tracer
        self._extract = propagate.extract
        self._server = SpanKind.SERVER

    def start(self, scope: Scope) -> contextlib.AbstractContextManager[Any]:
        """The request's span, continuing the caller's `traceparent`, made current."""
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        method = scope["method"]
        started: contextlib.AbstractContextManager[Any] = self.tracer.start_as_current_span(
            method,
            context=self._extract(carrier),
            kind=self._server,
            attributes={"http.request.method": method, "url.path": scope["path"]},
        )
        return started

    @staticmethod
    def answered(current: Any, status: int) -> None:
        current.set_attribute("http.response.status_code", status)

    @staticmethod
    def finished(current: Any, scope: Scope) -> None:
        route = scope.get(ROUTE_KEY)
        if route is not None:
            current.set_attribute("http.route", route)
            current.update_name(f"{scope['method']} {route}")


class TracedStore:
    """The store, with a child span around every public coroutine method it has; anything
    else (`pool_status`, read from memory at every scrape) passes through untouched."""

    def __init__(self, store: Any, system: str) -> None:
        self._store = store
        self._system = system

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._store, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(target):
            return target
        wrapped = _traced(target, f"store.{name}", self._system)
        setattr(self, name, wrapped)  # wrap once; later lookups skip __getattr__
        return wrapped


def _traced(method: Callable[..., Any], name: str, system: str) -> Callable[..., Any]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> Any:
        with span(name, {"db.system": system, "db.operation": name.removeprefix("store.")}):
            return await method(*args, **kwargs)

    return call


def traced_store(store: Any, url: str) -> Any:
    return TracedStore(store, database_of(url).system)


@contextlib.contextmanager
def no_tracing() -> Iterator[None]:
    """For tests: tracing off again afterwards, whatever they set up."""
    try:
        yield
    finally:
        setup(False)
