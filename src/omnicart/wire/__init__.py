"""The public API's shapes on the wire: every request and answer body of omnicart (and of
the carrier's API it mirrors), declared once, as msgspec structs.

This package depends on msgspec and the standard library only. The server decodes
requests into these structs and encodes its answers from them; the client
(omnicart.client) decodes answers into the same structs without loading the server.

- `cart`: the cart (ProductOrder) and what it records; Create Cart and Add Items bodies
- `items`: the cart's items (ProductOrderItem) and what only items hold
- `prices`: the one price shape (Price) and Money
- `values`: plain values shared by the bodies: non-empty text, the carrier's timestamps
- `orders`: checkout, express submit and orders
- `payments`: payment methods
- `hubs`: event listeners
- `tokens`: OAuth2 tokens
- `catalog`: product offerings
- `errors`: the one error body (and `ApiError`, the error as an exception)
- `open`: how unknown fields are kept (`Open`)
- `decoding`: JSON bytes into these structs, with error paths
- `limits`: the limits a request body is held to (RequestLimits, check_limits)
- `signing`: the signature on event deliveries
"""
