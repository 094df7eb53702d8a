"""The HTTP layer: Starlette routes that translate between the wire and the use cases."""
