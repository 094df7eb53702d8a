"""How the TMF facades' answers are checked, shared by their tests: TMF630's Error body."""

from __future__ import annotations


def tmf_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    """TMF630's Error body: code, reason, message, status (as text), @type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert (
        {"@type", "code", "reason", "message", "status"}
        <= set(body)
        <= {
            "@type",
            "code",
            "reason",
            "message",
            "status",
            "details",
        }
    )
    assert (body["@type"], body["status"]) == ("Error", str(status))
    if code is not None:
        assert body["code"] == code
    if field is not None:
        assert [error["field"] for error in body["details"]["errors"]] == [field]
    return body
