"""TM Forum's Open API shapes on the wire (msgspec only, like the rest of the wire).

- `common`: what TMF630 (the design guidelines) gives every TMF API: the polymorphism
  fields `@type`, `@baseType`, `@schemaLocation` (`Entity`), `TimePeriod`, and the `Error`
  body every 4xx/5xx under `/tmf-api/` answers
- `shopping_cart`: TMF663 Shopping Cart v4 (`ShoppingCart`, `CartItem`, `CartPrice`)
- `product_order`: TMF622 Product Ordering v4 (`TmfProductOrder`, `CancelProductOrder`)
"""
