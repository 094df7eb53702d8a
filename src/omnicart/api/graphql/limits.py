"""How much one orders query may ask for, so that no query can tie up a worker
(docs/orders-query.md, "Limits"). graphql-core has no depth or complexity rule of its own
(only `MaxIntrospectionDepthRule`, for introspection), hence these:

- before anything runs, a validation rule (`QueryLimits`, a 400 like any invalid query):
  fields nest at most `MAX_DEPTH` deep and an operation selects at most `MAX_FIELDS` fields,
  counted as they run (every alias, every fragment spread expanded where it is spread),
  with at most `MAX_GET_ORDERS` getOrders among them (each is a store query). Introspection
  (sandbox mode only) is left to `MaxIntrospectionDepthRule`;
- once a page is fetched, the values the query would resolve over it (`resolved_values`,
  exact: the selection's fields times how many orders, products, items … the page holds)
  must stay within `MAX_RESOLVED` for the whole request, else that getOrders is an error.

The parser itself stops at `MAX_TOKENS` tokens (api/graphql/execution.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from graphql.language.visitor import SKIP, VisitorAction

MAX_DEPTH = 10
MAX_FIELDS = 200
MAX_GET_ORDERS = 5
MAX_RESOLVED = 10_000
MAX_TOKENS = 2_000
INTROSPECTION = frozenset({"__schema", "__type"})
GET_ORDERS = "getOrders"
TOO_DEEP = "QUERY_TOO_DEEP"
TOO_COMPLEX = "QUERY_TOO_COMPLEX"

Size = tuple[int, int, int]  # how deep, how many fields, how many getOrders


class QueryLimits(ValidationRule):
    """Each operation's depth and size, every fragment expanded (each measured once)."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.measured: dict[str, Size] = {}
        self.measuring: set[str] = set()

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> VisitorAction:
        depth, fields, get_orders = self.size(node.selection_set)
        name = f"operation {node.name.value}" if node.name else "the operation"
        if depth > MAX_DEPTH:
            self.refuse(f"{name} nests fields {depth} deep; at most {MAX_DEPTH} levels are allowed", node, TOO_DEEP)
        if fields > MAX_FIELDS:
            self.refuse(
                f"{name} selects {fields} fields (aliases and fragments counted where used); at most {MAX_FIELDS}"
                " are allowed",
                node,
                TOO_COMPLEX,
            )
        if get_orders > MAX_GET_ORDERS:
            self.refuse(
                f"{name} runs getOrders {get_orders} times; at most {MAX_GET_ORDERS} are allowed", node, TOO_COMPLEX
            )
        return SKIP

    def refuse(self, message: str, node: OperationDefinitionNode, code: str) -> None:
        self.report_error(GraphQLError(message, node, extensions={"code": code}))

    def size(self, selections: SelectionSetNode | None) -> Size:
        depth = fields = get_orders = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION:
                    continue
                below, more, runs = self.size(selection.selection_set)
                depth, fields = max(depth, below + 1), fields + more + 1
                get_orders += runs + (selection.name.value == GET_ORDERS)
                continue
            if isinstance(selection, FragmentSpreadNode):
                below, more, runs = self.fragment(selection.name.value)
            else:
                assert isinstance(selection, InlineFragmentNode)
                below, more, runs = self.size(selection.selection_set)
            depth, fields, get_orders = max(depth, below), fields + more, get_orders + runs
        return depth, fields, get_orders

    def fragment(self, name: str) -> Size:
        found = self.measured.get(name)
        if found is not None:
            return found
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self.measuring:  # unknown or a cycle: other rules say so
            return 0, 0, 0
        self.measuring.add(name)
        found = self.measured[name] = self.size(fragment.selection_set)
        self.measuring.discard(name)
        return found


# -- what a page costs ---------------------------------------------------------------------

Path = tuple[str, ...]


def resolved_values(info: GraphQLResolveInfo, page: Any) -> int:
    """How many values the selection of this field (`info`) resolves over `page`, the
    value it returns: each field once per object that holds it."""
    weights: Counter[Path] = Counter()
    for node in info.field_nodes:
        _weigh(node.selection_set, get_named_type(info.return_type), info.fragments, (), weights)
    return 1 + sum(weight * _count(page, path) for path, weight in weights.items())


def _weigh(
    selections: SelectionSetNode | None,
    parent: Any,
    fragments: dict[str, FragmentDefinitionNode],
    path: Path,
    weights: Counter[Path],
) -> None:
    """`weights[p]`: how many fields are resolved on each object at `p`, the path of
    object fields from the page to it."""
    for selection in selections.selections if selections else ():
        if isinstance(selection, FieldNode):
            weights[path] += 1
            name = selection.name.value
            if selection.selection_set is not None and isinstance(parent, GraphQLObjectType):
                field = parent.fields[name]
                _weigh(selection.selection_set, get_named_type(field.type), fragments, (*path, name), weights)
        elif isinstance(selection, FragmentSpreadNode):
            _weigh(fragments[selection.name.value].selection_set, parent, fragments, path, weights)
        elif isinstance(selection, InlineFragmentNode):
            _weigh(selection.selection_set, parent, fragments, path, weights)


def _count(page: Any, path: Path) -> int:
    """How many objects there are at `path` below `page` (a list counts its entries, a
    null none)."""
    found = [page]
    for name in path:
        below: list[Any] = []
        for value in found:
            child = getattr(value, name)
            if isinstance(child, list):
                below.extend(child)
            elif child is not None:
                below.append(child)
        found = below
    return len(found)


__all__ = [
    "MAX_DEPTH",
    "MAX_FIELDS",
    "MAX_GET_ORDERS",
    "MAX_RESOLVED",
    "MAX_TOKENS",
    "TOO_COMPLEX",
    "TOO_DEEP",
    "QueryLimits",
    "resolved_values",
]
