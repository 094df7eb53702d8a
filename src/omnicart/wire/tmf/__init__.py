"""TM Forum's shapes of omnicart's resources (TMF663 Shopping Cart, TMF622 Product Ordering)."""
