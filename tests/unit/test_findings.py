"""A finding's statements hold the owner and only the conditions given, numbered in
order, with the total counted up to 1,001 in the page and alone (store/findings.py)."""

from __future__ import annotations

import re

import pytest

from omnicart.store.findings import Finding

CONDITIONS = ("state = {}", "(id = {} OR doc LIKE {})", "created_at < {}")
COUNT = "SELECT count(*) FROM (SELECT 1 FROM orders WHERE {where} LIMIT 1001) AS found"
PAGE = "SELECT doc, (" + COUNT + ") FROM orders WHERE {where} ORDER BY created_at DESC LIMIT {limit} OFFSET {offset}"


def finding(sql=lambda text: text) -> Finding:
    return Finding(sql, "doc", "orders", "created_at DESC", CONDITIONS)


@pytest.mark.parametrize(
    ("given", "where", "args"),
    [
        ((None, None, None), "owner = $1", ("p",)),
        (("Held", None, None), "owner = $1 AND state = $2", ("p", "Held")),
        ((None, ("o-1", "%o-1%"), None), "owner = $1 AND (id = $2 OR doc LIKE $3)", ("p", "o-1", "%o-1%")),
        ((None, None, 7), "owner = $1 AND created_at < $2", ("p", 7)),
        (
            ("Held", ("o-1", "%o-1%"), 7),
            "owner = $1 AND state = $2 AND (id = $3 OR doc LIKE $4) AND created_at < $5",
            ("p", "Held", "o-1", "%o-1%", 7),
        ),
    ],
)
def test_only_the_conditions_given_are_in_the_statements(given, where, args):
    found = finding()("p", given)
    limit, offset = f"${len(args) + 1}", f"${len(args) + 2}"
    assert found.page == PAGE.format(where=where, limit=limit, offset=offset)
    assert found.count == COUNT.format(where=where)
    assert found.args == args


def test_a_value_that_is_empty_but_not_none_is_a_condition():
    found = finding()("p", ("", None, 0))
    assert found.count == COUNT.format(where="owner = $1 AND state = $2 AND created_at < $3")
    assert found.args == ("p", "", 0)


def test_the_statements_are_in_the_dialects_placeholders():
    found = finding(lambda text: re.sub(r"\$(\d+)", r"?\1", text))("p", ("Held", None, None))
    assert "WHERE owner = ?1 AND state = ?2 " in found.page
    assert found.page.endswith("LIMIT ?3 OFFSET ?4")


def test_a_kept_statement_is_the_one_built_anew():
    kept = finding()
    kept("p", ("Held", None, None))
    again, fresh = kept("q", ("Open", None, None)), finding()("q", ("Open", None, None))
    assert (again.page, again.count, again.args) == (fresh.page, fresh.count, fresh.args)


def test_every_condition_must_be_given_a_value_or_none():
    with pytest.raises(ValueError, match="3 conditions, 2 given"):
        finding()("p", ("Held", None))
