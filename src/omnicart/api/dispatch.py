"""The API operations' own way in: match the operation table, call the handler, map errors.

Starlette's router tries each route's regular expression in turn and wraps every endpoint
in two exception layers; for the operations of api/operations/ that was ~10 % of a
Create Cart's CPU (BENCHMARKS.md, the lean dispatch). `Dispatch` is the last step of
the edge (api/edge.py): it finds the operation by walking the path's segments through a tree built
from the table, then runs exactly what the route would (`routing.handle`) and maps a
failure with the same handlers (api/errors.py). Everything it does not recognise — other
paths, a known path with a method it lacks (405 with Allow), a trailing slash (redirect),
a mounted root path — goes on to Starlette unchanged, so the two cannot answer differently
for one request: either Dispatch takes it whole or it never looks at it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from omnicart.api.errors import handler_for
from omnicart.api.operation import Operation
from omnicart.api.routing import handle, methods_of


@dataclass
class _Node:
    """One path segment of the tree: literal children first, then one parameter."""

    literal: dict[str, _Node] = field(default_factory=dict)
    parameter: tuple[str, _Node] | None = None
    methods: dict[str, Operation] = field(default_factory=dict)


class PathTree:
    """Method and path → operation and path parameters, as Starlette's `{name}` (one
    non-empty segment) would match them."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        self.root = _Node()
        by_path: dict[str, list[Operation]] = {}
        for operation in operations:
            by_path.setdefault(operation.path, []).append(operation)
        for path, same_path in by_path.items():
            node = self.root
            for segment in path.split("/")[1:]:
                if segment.startswith("{") and segment.endswith("}"):
                    name = segment[1:-1]
                    if node.parameter is None:
                        node.parameter = (name, _Node())
                    elif node.parameter[0] != name:
                        raise ValueError(f"{path}: parameter {{{name}}} where another path has {{{node.parameter[0]}}}")
                    node = node.parameter[1]
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.methods = methods_of(same_path)

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        if not path.startswith("/"):
            return None
        params: dict[str, str] = {}
        node = self._walk(self.root, path.split("/")[1:], 0, params)
        if node is None:
            return None
        operation = node.methods.get(method)
        return None if operation is None else (operation, params)

    def _walk(self, node: _Node, segments: list[str], at: int, params: dict[str, str]) -> _Node | None:
        if at == len(segments):
            return node if node.methods else None
        segment = segments[at]
        child = node.literal.get(segment)
        if child is not None:
            found = self._walk(child, segments, at + 1, params)
            if found is not None:
                return found
        if node.parameter is not None and segment:
            name, child = node.parameter
            found = self._walk(child, segments, at + 1, params)
            if found is not None:
                params[name] = segment
                return found
        return None


class Dispatch:
    def __init__(self, app: ASGIApp, operations: Iterable[Operation]) -> None:
        self.app = app  # Starlette: its exception layer and router
        self.tree = PathTree(operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = None
        if scope["type"] == "http" and not scope.get("root_path"):
            found = self.tree.match(scope["method"], scope["path"])
        if found is None:
            await self.app(scope, receive, send)
            return
        operation, scope["path_params"] = found
        request = Request(scope, receive, send)
        try:
            response = await handle(operation, request)
        except Exception as exc:
            mapped = handler_for(exc)
            if mapped is None:
                raise
            response = await mapped(request, exc)
            exc.__traceback__ = None  # a reused exception instance would pile tracebacks up
        await response(scope, receive, send)
