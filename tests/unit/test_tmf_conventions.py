"""TMF630's conventions as the TMF facades share them (api/tmf/): what `?fields=` keeps,
which id `?id=` and `?href=` ask for, `orderDate`'s bounds as the store's filter names
them, and omnicart's error body as TMF's Error."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from omnicart.api import queries
from omnicart.api.tmf.errors import tmf_body
from omnicart.api.tmf.query import NOTHING, DatedQuery, TmfQuery, field_names, order_date_bounds, project, wanted_id
from omnicart.wire.errors import ApiError

CARTS = "http://127.0.0.1:8000/tmf-api/shoppingCart/v4/shoppingCart/"
ID = "0c97aeef-f15f-11f1-a167-f365a2e4f056"


def href_of(cart_id: str) -> str:
    return CARTS + cart_id


def query(kind, **pairs):
    return queries.decode(kind, list(pairs.items()))


class TestFields:
    DOCUMENT = b'{"id":"c1","href":"h","@type":"ShoppingCart","cartItem":[{"id":"1"}],"validFor":{"a":1}}'

    @pytest.mark.parametrize(
        ("fields", "kept"),
        [
            ("href", {"id": "c1", "href": "h", "@type": "ShoppingCart"}),
            ("id", {"id": "c1", "href": "h", "@type": "ShoppingCart"}),
            ("cartItem", {"id": "c1", "href": "h", "@type": "ShoppingCart", "cartItem": [{"id": "1"}]}),
            (
                "cartItem.id,validFor",
                {"id": "c1", "href": "h", "@type": "ShoppingCart", "cartItem": [{"id": "1"}], "validFor": {"a": 1}},
            ),
            ("unknown", {"id": "c1", "href": "h", "@type": "ShoppingCart"}),
        ],
    )
    def test_only_the_named_attributes_and_id_href_type_are_kept(self, fields, kept):
        assert json.loads(project(self.DOCUMENT, field_names(fields))) == kept

    def test_without_fields_the_document_is_as_it_was(self):
        assert project(self.DOCUMENT, field_names(query(TmfQuery).fields)) is self.DOCUMENT

    @pytest.mark.parametrize("fields", ["", ",id", "id,", "id,,href", "id href", "a/b"])
    def test_a_malformed_list_is_a_400_naming_fields(self, fields):
        with pytest.raises(ApiError) as refused:
            query(TmfQuery, fields=fields)
        assert (refused.value.status, refused.value.details["errors"][0]["field"]) == (400, "fields")


class TestIdAndHref:
    @pytest.mark.parametrize(
        ("pairs", "wanted"),
        [
            ({}, None),
            ({"id": ID}, ID),
            ({"href": CARTS + ID}, ID),
            ({"id": ID, "href": CARTS + ID}, ID),
            ({"id": "other", "href": CARTS + ID}, NOTHING),  # two different carts: none is both
            ({"href": "http://elsewhere.example/tmf-api/shoppingCart/v4/shoppingCart/" + ID}, NOTHING),
            ({"href": CARTS + ID + "/cartItem"}, NOTHING),
            ({"href": CARTS}, NOTHING),
        ],
    )
    def test_the_id_asked_for(self, pairs, wanted):
        found = wanted_id(query(TmfQuery, **pairs), href_of)
        assert found == wanted if wanted is not NOTHING else found is NOTHING


AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


class TestOrderDate:
    @pytest.mark.parametrize(
        ("pairs", "bounds"),
        [
            ({}, {}),
            ({"orderDate.gt": "2026-11-28T12:00:00Z"}, {"submitted_after": AT}),
            ({"orderDate.gte": "2026-11-28T12:00:00Z"}, {"submitted_from": AT}),
            ({"orderDate.lt": "2026-11-28T12:00:00Z"}, {"submitted_to": AT}),
            ({"orderDate.lte": "2026-11-28T12:00:00Z"}, {"submitted_through": AT}),
            ({"orderDate": "2026-11-28T12:00:00Z"}, {"submitted_from": AT, "submitted_through": AT}),
            (
                {"orderDate.gt": "2026-11-28T12:00:00Z", "orderDate.lt": "2026-11-29T12:00:00Z"},
                {"submitted_after": AT, "submitted_to": LATER},
            ),
            (  # the exact instant narrows a wider bound
                {"orderDate": "2026-11-29T12:00:00Z", "orderDate.gte": "2026-11-28T12:00:00Z"},
                {"submitted_from": LATER, "submitted_through": LATER},
            ),
        ],
    )
    def test_bounds_as_the_store_names_them(self, pairs, bounds):
        assert order_date_bounds(query(DatedQuery, **pairs)) == bounds

    @pytest.mark.parametrize("name", ["orderDate", "orderDate.gt", "orderDate.lte"])
    def test_an_instant_without_a_zone_is_a_400_naming_the_parameter(self, name):
        with pytest.raises(ApiError) as refused:
            query(DatedQuery, **{name: "2026-11-28T12:00:00"})
        assert refused.value.details["errors"][0]["field"] == name

    def test_an_unknown_parameter_is_a_400(self):
        with pytest.raises(ApiError) as refused:
            query(TmfQuery, **{"orderDate.gt": "2026-11-28T12:00:00Z"})
        assert refused.value.details["errors"][0]["field"] == "orderDate.gt"


class TestErrorBody:
    def test_omnicarts_error_becomes_tmfs_with_the_same_code_message_and_details(self):
        body = (
            b'{"code":"EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002","message":"invalid request: cartItem[0].quantity",'
            b'"status":400,"details":{"errors":[{"field":"cartItem[0].quantity","reason":"must be >= 1"}]}}'
        )
        assert json.loads(tmf_body(400, body)) == {
            "@type": "Error",
            "code": "EXTSALESOPS-ORDER_CREATE-SHOPPING_CART-0002",
            "reason": "Bad Request",
            "message": "invalid request: cartItem[0].quantity",
            "status": "400",
            "details": {"errors": [{"field": "cartItem[0].quantity", "reason": "must be >= 1"}]},
        }

    def test_the_status_is_the_one_sent(self):  # the carrier's profile sends 500 for a rejection
        body = b'{"code":"OMNICART-CART-0001","message":"not ready","status":500,"details":{}}'
        assert json.loads(tmf_body(500, body)) == {
            "@type": "Error",
            "code": "OMNICART-CART-0001",
            "reason": "Internal Server Error",
            "message": "not ready",
            "status": "500",
        }

    def test_a_body_that_is_no_error_gets_a_code_from_its_status(self):
        assert json.loads(tmf_body(404, b"Not Found")) == {
            "@type": "Error",
            "code": "OMNICART-REQUEST-0404",
            "reason": "Not Found",
            "message": "",
            "status": "404",
        }
