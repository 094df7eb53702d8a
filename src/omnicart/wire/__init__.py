"""The public API's shapes on the wire: every request and answer body of omnicart (and of
the carrier's API it mirrors), declared once, as msgspec structs.

This package depends on msgspec and the standard library only. The server decodes
requests into these structs and encodes its answers from them; the client
(omnicart.client) decodes answers into the same structs without loading the server.

- `cart`: the cart (ProductOrder) and everything in it; Create Cart and Add Items bodies
- `orders`: checkout, express submit and orders
- `payments`: payment methods
- `hubs`: event listeners
- `tokens`: OAuth2 tokens
- `catalog`: product offerings
- `errors`: the one error body (and `ApiError`, the error as an exception)
- `open`: how unknown fields are kept (`Open`)
- `decoding`: JSON bytes into these structs, with omnicart's limits and error paths
- `signing`: the signature on event deliveries
"""
