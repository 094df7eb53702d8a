"""What an operator measures: Prometheus metrics (metrics.py, exposed at GET /metrics by
api/metrics.py) and OpenTelemetry traces (tracing.py, off unless OMNICART_OTEL=on)."""
