"""What an operator measures: Prometheus metrics (metrics.py, exposed at GET /metrics by
api/metrics.py) and OpenTelemetry traces (tracing.py, off unless OMNICART_OTEL=on)."""

# Where the HTTP layer keeps the matched operation's path template in a request's scope:
# metrics and traces label requests by it (a template, not the raw path: a label, not an id).
ROUTE_KEY = "omnicart.route"
