"""The pure core of omnicart: carts, items, pricing, validation rules and catalog."""
