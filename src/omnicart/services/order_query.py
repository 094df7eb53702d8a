"""The carrier's orders query as a use case (GraphQL `getOrders`, api/graphql/): a page of
the partner's orders that match its filter, in the carrier's terms (domain/order_query.py),
found by the store in one query for the page and one bounded count, whatever the page
holds; and the customers of those orders, as the customer directory knows them."""

from __future__ import annotations

from omnicart.domain.catalog import Catalog
from omnicart.domain.errors import DownstreamFailure
from omnicart.domain.order_query import OrderPage, OrdersFilter, page_info, queried_order, wanted
from omnicart.domain.world import Customer
from omnicart.providers import Providers
from omnicart.store import OrderFilter, OrderRepository

DIRECTORY = "customer directory"


class OrderQueryService:
    def __init__(self, store: OrderRepository, catalog: Catalog, providers: Providers) -> None:
        self.store = store
        self.catalog = catalog
        self.providers = providers

    async def get_orders(self, owner: str, given: OrdersFilter) -> OrderPage:
        """The page; raises domain.order_query.FilterError for a filter value that means
        nothing (nothing is looked up then)."""
        want = wanted(given)
        found = OrderFilter(
            customer_order_id=want.customer_order_id,
            submitted_from=want.submitted_from,
            submitted_to=want.submitted_to,
            order_id=want.order_id,
            line_of_business=want.line_of_business,
            account_number=want.account_number,
        )
        orders, total = await self.store.find_orders(owner, found, want.limit, want.offset)
        return OrderPage(
            [queried_order(order, self.catalog) for order in orders], page_info(total, want.limit, want.offset)
        )

    async def customer(self, customer_id: str) -> Customer | None:
        """The directory's customer (None: it knows none by that id). Raises ProviderMissing
        without a directory, DownstreamFailure when it fails."""
        directory = self.providers.customer_directory()
        try:
            return await directory.get(customer_id)
        except (OSError, TimeoutError) as failed:
            raise DownstreamFailure(DIRECTORY, f"{type(failed).__name__}: {failed}") from failed
