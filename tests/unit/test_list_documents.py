"""A document as the API answers it has its `href` spliced in after its `id`
(`with_href`), and a page of them is one JSON array of exactly those answers
(`list_document`), made without encoding any document again."""

from __future__ import annotations

import msgspec
import pytest

from omnicart.domain.representation import list_document, with_href

CART = b'{"id":"c-1","state":"Draft","productOrderItem":[]}'
ORDER = b'{"id":"o-2","state":"Submitted"}'
CARTS = "https://partner.example/omni-svcs/v1/carts"


def test_a_document_gets_its_href_after_its_id():
    assert with_href(CART, "c-1", f"{CARTS}/c-1") == (
        b'{"id":"c-1","href":"https://partner.example/omni-svcs/v1/carts/c-1","state":"Draft","productOrderItem":[]}'
    )


@pytest.mark.parametrize(
    ("documents", "page"),
    [
        ([], b"[]"),
        ([(CART, "c-1", "/carts/c-1")], b'[{"id":"c-1","href":"/carts/c-1","state":"Draft","productOrderItem":[]}]'),
        (
            [(CART, "c-1", "/carts/c-1"), (ORDER, "o-2", "/orders/o-2")],
            b'[{"id":"c-1","href":"/carts/c-1","state":"Draft","productOrderItem":[]},'
            b'{"id":"o-2","href":"/orders/o-2","state":"Submitted"}]',
        ),
    ],
    ids=["empty", "one", "two"],
)
def test_a_page_is_the_array_of_its_documents_as_answered_one_by_one(documents, page):
    assert list_document(documents) == page
    assert msgspec.json.decode(page) == [msgspec.json.decode(with_href(*document)) for document in documents]


def test_an_id_needing_escapes_is_spliced_as_json():
    wire = b'{"id":"a\\"b","state":"Draft"}'
    assert list_document([(wire, 'a"b', "/carts/a%22b")]) == b'[{"id":"a\\"b","href":"/carts/a%22b","state":"Draft"}]'


def test_a_document_that_does_not_start_with_its_id_is_refused():
    with pytest.raises(ValueError, match="must start with its id"):
        list_document([(ORDER, "c-1", "/carts/c-1")])
