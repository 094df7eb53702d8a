"""Which events a hub asks for, which callbacks it may name, when a draft cart expires,
how a delivery is signed and checked, and when a failed delivery is tried again."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

import pytest

from omnicart.domain.errors import InvalidHub
from omnicart.domain.events import Hub, check_callback, parse_query
from omnicart.webhooks import RetryPolicy
from omnicart.wire.cart import State
from omnicart.wire.signing import sign, verify

# Event types by their names in docs/events.md.
CART_CREATED = "ShoppingCartCreateEvent"
CART_DELETED = "ShoppingCartDeleteEvent"
ORDER_CREATED = "ProductOrderCreateEvent"


def refused_field(refusal: pytest.ExceptionInfo[InvalidHub]) -> str:
    (error,) = refusal.value.details["errors"]
    return error["field"]


class TestParseQuery:
    @pytest.mark.parametrize("query", [None, "", "   "])
    def test_no_query_asks_for_every_event(self, query):
        assert parse_query(query) is None

    @pytest.mark.parametrize(
        "query",
        [
            f"eventType={CART_CREATED},{ORDER_CREATED}",
            f"eventType={CART_CREATED}&eventType={ORDER_CREATED}",
            f" eventType={CART_CREATED}, {ORDER_CREATED},",
        ],
    )
    def test_event_types_are_listed_comma_separated_or_repeated(self, query):
        assert parse_query(query) == {CART_CREATED, ORDER_CREATED}

    @pytest.mark.parametrize(
        "query",
        [
            pytest.param("eventType=ShoppingCartExplodeEvent", id="unknown type"),
            pytest.param(f"eventType={CART_CREATED},shoppingcartcreateevent", id="type in the wrong case"),
            pytest.param(f"eventType={CART_CREATED}&state=Draft", id="another field"),
            pytest.param(f"type={CART_CREATED}", id="another field naming a known type"),
            pytest.param("owner=partner-b", id="only another field"),
            pytest.param("eventType=", id="no type named"),
        ],
    )
    def test_a_query_omnicart_cannot_honour_is_refused(self, query):
        with pytest.raises(InvalidHub) as refusal:
            parse_query(query)
        assert refused_field(refusal) == "query"


class TestCheckCallback:
    @pytest.mark.parametrize("callback", ["https://hooks.example.com", "http://hooks.example.com:8080/omnicart?a=1"])
    def test_an_absolute_http_or_https_url_is_accepted_as_it_is(self, callback):
        assert check_callback(callback, allow_private=False) == callback

    @pytest.mark.parametrize(
        "callback",
        [
            "",
            "/hooks/omnicart",
            "hooks.example.com/omnicart",
            "https://",
            "ftp://hooks.example.com/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
        ],
    )
    def test_anything_but_an_absolute_http_url_is_refused(self, callback):
        with pytest.raises(InvalidHub) as refusal:
            check_callback(callback, allow_private=True)
        assert refused_field(refusal) == "callback"

    @pytest.mark.parametrize(
        "callback", ["https://user:secret@hooks.example.com/x", "https://user@hooks.example.com/x"]
    )
    def test_a_url_carrying_credentials_is_refused(self, callback):
        with pytest.raises(InvalidHub, match="credentials"):
            check_callback(callback, allow_private=True)

    INTERNAL = [
        "http://127.0.0.1:8080/x",
        "http://10.1.2.3/x",
        "https://192.168.1.10/x",
        "http://[::1]:8080/x",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost:8080/x",
        "https://billing.internal/x",
    ]

    @pytest.mark.parametrize("callback", INTERNAL)
    def test_an_internal_address_is_refused_unless_private_callbacks_are_allowed(self, callback):
        with pytest.raises(InvalidHub, match="loopback, private or link-local") as refusal:
            check_callback(callback, allow_private=False)
        assert refused_field(refusal) == "callback"
        assert check_callback(callback, allow_private=True) == callback


def hub(query: str | None) -> Hub:
    return Hub(
        id="hub-1",
        owner="partner-a",
        callback="https://hooks.example.com/x",
        query=query,
        secret="whsec_x",
        created_at=datetime(2026, 11, 28, tzinfo=UTC),
    )


# docs/events.md, "Event types", in its order.
EVENT_TYPES = [
    "ShoppingCartCreateEvent",
    "ShoppingCartAttributeValueChangeEvent",
    "ShoppingCartStateChangeEvent",
    "ShoppingCartDeleteEvent",
    "ProductOrderCreateEvent",
    "ProductOrderStateChangeEvent",
    "AppointmentCreateEvent",
]


class TestHubWants:
    def test_a_hub_without_a_query_wants_every_event(self):
        assert all(hub(None).wants(event_type) for event_type in EVENT_TYPES)

    def test_a_hub_with_a_query_wants_only_the_types_it_names(self):
        wanting = hub(f"eventType={CART_CREATED},{ORDER_CREATED}")
        assert [t for t in EVENT_TYPES if wanting.wants(t)] == [CART_CREATED, ORDER_CREATED]
        assert not wanting.wants(CART_DELETED)


TTL = timedelta(days=30)


class TestCartExpiry:
    @pytest.mark.parametrize(
        ("untouched_for", "expired"),
        [
            pytest.param(TTL - timedelta(milliseconds=1), False, id="just within its ttl"),
            pytest.param(TTL, True, id="exactly its ttl"),
            pytest.param(TTL + timedelta(days=1), True, id="longer"),
        ],
    )
    def test_a_draft_expires_once_untouched_for_its_ttl(self, cart_with, now, untouched_for, expired):
        cart = cart_with()
        assert cart.expired(now + untouched_for, TTL) is expired

    def test_a_submitted_cart_never_expires(self, cart_with, now):
        cart = cart_with()
        cart.state = State.SUBMITTED
        assert cart.expired(now + 100 * TTL, TTL) is False


SECRET = "whsec_4hL0v3lyS3cr3t"
BODY = b'{"eventId":"e1","eventType":"ShoppingCartCreateEvent","event":{"shoppingCart":{"id":"c1"}}}'
SIGNED_AT = 1_795_000_000  # unix seconds


# The known answer, made outside omnicart (`printf '%s' "1795000000.$BODY" | openssl dgst
# -sha256 -hmac "$SECRET"`): what a partner's receiver computes from docs/events.md.
SIGNATURE = "t=1795000000,v1=49adb2e7d5e2f3329c597161f6ef45ddb1db8f4b85a07eb20ae8a023269dcd00"
TOLERANCE = 300  # docs/events.md: a `t` more than 5 minutes off the receiver's clock is refused


@pytest.fixture
def signature() -> str:
    """The delivery's header as omnicart must send it, by hand."""
    return SIGNATURE


class TestSignature:
    def test_the_header_is_the_time_and_the_hmac_sha256_of_time_dot_body(self, signature):
        assert sign(SECRET, BODY, SIGNED_AT) == signature
        digest = hmac.new(SECRET.encode(), f"{SIGNED_AT}.".encode() + BODY, hashlib.sha256).hexdigest()
        assert signature == f"t={SIGNED_AT},v1={digest}"
        assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", sign(SECRET, BODY))  # now, when no time is given

    def test_a_signature_made_with_the_secret_verifies(self, signature):
        assert verify(SECRET, signature, BODY, now=SIGNED_AT)

    def test_a_signature_made_with_another_secret_does_not_verify(self, signature):
        assert not verify("whsec_another", signature, BODY, now=SIGNED_AT)

    def test_a_tampered_body_does_not_verify(self, signature):
        assert not verify(SECRET, signature, BODY.replace(b"c1", b"c2"), now=SIGNED_AT)

    def test_a_signature_moved_to_another_time_does_not_verify(self, signature):
        moved = signature.replace(f"t={SIGNED_AT}", f"t={SIGNED_AT + 60}")
        assert not verify(SECRET, moved, BODY, now=SIGNED_AT + 60)

    @pytest.mark.parametrize(
        "header",
        [
            pytest.param("", id="missing"),
            pytest.param("garbage", id="no fields"),
            pytest.param(f"t={SIGNED_AT}", id="no digest"),
            pytest.param(f"t={SIGNED_AT},v1=", id="empty digest"),
            pytest.param(f"t={SIGNED_AT},v1={'0' * 64}", id="wrong digest"),
            pytest.param("t=yesterday,v1=" + "0" * 64, id="time not a number"),
            pytest.param(f"t={SIGNED_AT},v1=é", id="non-ascii digest"),
        ],
    )
    def test_a_missing_or_garbled_header_does_not_verify(self, header):
        assert not verify(SECRET, header, BODY, now=SIGNED_AT)

    def test_a_header_without_the_time_does_not_verify(self, signature):
        assert not verify(SECRET, signature.split(",", 1)[1], BODY, now=SIGNED_AT)

    @pytest.mark.parametrize(
        ("received_after", "verifies"),
        [
            pytest.param(TOLERANCE, True, id="at the tolerance"),
            pytest.param(-TOLERANCE, True, id="at the tolerance, clock behind"),
            pytest.param(TOLERANCE + 1, False, id="beyond it (a replay)"),
            pytest.param(-TOLERANCE - 1, False, id="beyond it, clock behind"),
        ],
    )
    def test_a_signature_verifies_only_within_the_tolerance_of_its_time(self, signature, received_after, verifies):
        assert verify(SECRET, signature, BODY, now=SIGNED_AT + received_after) is verifies


FAILED_AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NO_JITTER = 0.5  # the middle of [0, 1): the delay as it is


@pytest.fixture
def policy() -> RetryPolicy:
    return RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=60), max_attempts=6)


def delay_after(policy: RetryPolicy, attempt: int, jitter: float = NO_JITTER) -> timedelta | None:
    retry_at = policy.next_attempt(attempt, FAILED_AT, jitter)
    return None if retry_at is None else retry_at - FAILED_AT


class TestRetryPolicy:
    def test_the_delay_doubles_from_the_base_up_to_the_cap(self, policy):
        assert [delay_after(policy, attempt).total_seconds() for attempt in range(1, 6)] == [10, 20, 40, 60, 60]

    @pytest.mark.parametrize(("jitter", "seconds"), [(0.0, 16), (0.25, 18), (0.999, 23.992)])
    def test_jitter_spreads_the_delay_within_twenty_percent(self, policy, jitter, seconds):
        assert delay_after(policy, 2, jitter).total_seconds() == pytest.approx(seconds)

    @pytest.mark.parametrize("attempt", [6, 7])
    def test_after_max_attempts_the_delivery_is_given_up(self, policy, attempt):
        assert delay_after(policy, attempt) is None
