"""The carrier's orders query in GraphQL (graphql-core, schema first): the schema
(`orders.graphql`), its limits, and how a request runs. The HTTP side is api/orders_query.py."""
