"""TM Forum's Open APIs under `/tmf-api/`: TMF630's conventions shared by every facade
(`query`: `?fields=`, attribute filters, paging with 206; `errors`: the TMF Error body for
every 4xx/5xx), and each facade's handlers (`shopping_cart`: TMF663; `product_order`:
TMF622, its query strings in `ordering_queries`)."""

TMF_PREFIX = "/tmf-api/"
