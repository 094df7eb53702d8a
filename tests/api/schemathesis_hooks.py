"""schemathesis hooks for tests/api/test_conformance.py (loaded by the CLI through
SCHEMATHESIS_HOOKS): what a real client does that a generator cannot know."""

from __future__ import annotations

import ast
import re
import sys
import threading
import uuid

import schemathesis

# CPython 3.11 keeps ast.parse's recursion-depth count in the interpreter, not the call
# (gh-106905, fixed in 3.12): two threads parsing at once fail with "SystemError: AST
# constructor recursion depth mismatch". schemathesis's workers are threads, and
# Hypothesis parses source to describe its strategies, so one run in twenty or so ended
# in a Runtime Error that was no finding. One parse at a time in this process.
_parse = ast.parse
_parsing = threading.Lock()


def _parse_alone(*args, **kwargs):  # type: ignore[no-untyped-def]
    with _parsing:
        return _parse(*args, **kwargs)


if sys.version_info < (3, 12):
    ast.parse = _parse_alone

# The mock-scenario values this run may send: none, or the carrier's own, which run the happy
# path. Every other scenario answers an error, a 503 or a late answer on purpose (that is
# what a partner asks it for); tests/api/test_scenarios*.py test each of them.
HAPPY_PATH = ("", "ATTR_Cart_Initialization", "aia_with_only_baseOffer")
KEY = re.compile(r"^[!-~]([ -~]*[!-~])?$")


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for item in raw_schema.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", ()) if isinstance(operation, dict) else ():
                if parameter.get("name") == "mock-scenario":
                    parameter["schema"]["enum"] = [v for v in parameter["schema"]["enum"] if v in HAPPY_PATH]


@schemathesis.hook
def before_call(context, case, kwargs):
    # A client draws a new Idempotency-Key for each request it means once; the generator
    # draws from a small space (and every example has the same one), so it would send one
    # key with two bodies, which is a 422 by design. A key the document refuses is left
    # alone: its 400 is what is tested.
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and 0 < len(key) <= 255 and KEY.match(key):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    # An item's id cannot be changed by PATCH (the path names the item; a different id in the
    # body is refused, 400): a client that sends the id sends the item's own.
    body = case.body
    patches_item = case.method == "PATCH" and case.path.endswith("/items/{itemId}")
    if patches_item and isinstance(body, dict) and "productOrderItemId" in body:
        body["productOrderItemId"] = (case.path_parameters or {}).get("itemId")
