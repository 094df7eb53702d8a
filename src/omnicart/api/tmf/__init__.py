"""TM Forum's Open APIs over omnicart's carts and orders (docs/tmf.md)."""
