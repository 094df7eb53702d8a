"""The use cases: the only callers of the store. One module per resource or flow:
carts (and the write engine its changes go through, writer), orders, idempotency;
answers holds what the cart's use cases answer and how it goes on the wire."""
