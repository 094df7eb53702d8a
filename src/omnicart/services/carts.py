"""Use cases of the cart: create it, change its items and payment, read, find and abandon it.

Every change reads like the recipe it is: the latest version of the cart, the domain's
change, its prices and validation (`assess`), one encoding, and a write that commits the
change's event (and an Idempotency-Key's reply) with it. How the write reaches the store
safely while other requests change the same cart (per-cart queues, kept copies,
optimistic or locked writes) is the write engine's business: services/writer.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from omnicart.clock import utc_now
from omnicart.domain import payment
from omnicart.domain.assessment import Assessor, CartMemo
from omnicart.domain.cart import Cart
from omnicart.domain.catalog import Catalog, load_default_catalog
from omnicart.domain.checkout import terms_for
from omnicart.domain.context import CartLimits
from omnicart.domain.errors import CartRejected, LimitExceeded
from omnicart.domain.events import CART_CHANGED, CART_CREATED, CART_DELETED, Event, cart_event
from omnicart.domain.ids import time_uuid
from omnicart.domain.order import new_customer_order_id
from omnicart.domain.pricing import TaxTable, load_default_tax_table
from omnicart.domain.representation import encode_cart
from omnicart.services.answers import RenderedCart
from omnicart.services.cart_reads import CartReads
from omnicart.services.holdings import CustomerHoldings, NoHoldings, with_holdings
from omnicart.services.idempotency import Reply
from omnicart.services.writer import CartWriter
from omnicart.store import CartStore, CartWrite, DuplicateCustomerOrderId, Effects
from omnicart.wire.cart import CartCreate, PaymentRef
from omnicart.wire.items import ProductOrderItem
from omnicart.wire.limits import RequestLimits
from omnicart.wire.payments import PaymentMethod

log = logging.getLogger("omnicart.carts")

# Customer order ids are random (domain/order.py): on the rare clash, a new cart draws again.
NAME_ATTEMPTS = 5


class CartService(CartReads):
    def __init__(
        self,
        store: CartStore,
        *,
        catalog: Catalog | None = None,
        taxes: TaxTable | None = None,
        limits: RequestLimits = RequestLimits(),
        cart_ttl: timedelta | None = None,
        clock: Callable[[], datetime] = utc_now,
        cache_items: int = 2_000,
        max_drafts: int | None = None,
        holdings: CustomerHoldings | NoHoldings | None = None,
    ) -> None:
        """`cart_ttl`: how long a draft cart lives without a change (None: for ever);
        `cache_items`: how many cart items the write engine keeps (0: none); `max_drafts`:
        Draft carts per partner (OMNICART_MAX_DRAFT_CARTS_PER_PARTNER; None: no quota);
        `holdings`: what customers hold, from the customer directory (None: no directory;
        carts are then validated without their customer's holdings)."""
        self.store = store
        self.catalog = catalog or load_default_catalog()
        self.taxes = taxes or load_default_tax_table()
        self.limits = limits
        self.assess = Assessor(
            self.catalog,
            self.taxes,
            CartLimits(max_items=limits.max_items_per_cart, max_quantity=limits.max_quantity),
        )
        self.holdings = holdings or NoHoldings()
        self.cart_ttl = cart_ttl
        self.clock = clock
        self.max_drafts = max_drafts
        # The service's clock when a change is made (a test may set a fake one on the service).
        self.writer = CartWriter(store, check=self.changeable, clock=lambda: self.clock(), cache_items=cache_items)

    # -- changing ----------------------------------------------------------------------

    async def create_cart(
        self,
        owner: str,
        request: CartCreate,
        *,
        reply: Reply | None = None,
        named: bool = False,
        rejection: tuple[str, str] | None = None,
    ) -> RenderedCart:
        """A new draft cart; `named`: with a customer order id as its second name (the
        older `order/create`), drawn again on the rare clash with another's. `rejection`:
        the order validation's code and reason to refuse it with (sandbox scenario
        `cart_rejected`): no cart is made."""
        if rejection is not None:
            raise CartRejected(*rejection)
        for _ in range(NAME_ATTEMPTS):
            try:
                return await self._create(owner, request, reply, named)
            except DuplicateCustomerOrderId as taken:
                log.warning("customerOrderId %s is taken; drawing another", taken)
        raise RuntimeError(f"no free customerOrderId in {NAME_ATTEMPTS} attempts")

    async def _create(self, owner: str, request: CartCreate, reply: Reply | None, named: bool) -> RenderedCart:
        now = self.clock()
        cart = Cart.new(time_uuid(), request, now, name=new_customer_order_id(now) if named else None)
        if request.items:
            cart.add_items(request.items, self.limits.max_items_per_cart)
        memo = CartMemo()
        self.assess(cart, now, memo=memo, holdings=await self.holdings_for(cart))
        doc, wire = encode_cart(cart, memo)
        rendered = RenderedCart(cart.id, cart.version, wire, cart.name)
        effects = _effects(CART_CREATED, owner, rendered, now, reply)
        if self.max_drafts is None:
            await self.store.add(owner, cart, doc, effects, plain=wire is doc)
        elif not await self.store.add_within(owner, cart, doc, effects, self.max_drafts, plain=wire is doc):
            raise LimitExceeded(  # taken atomically with the cart (store/quotas.py)
                "productOrder",
                f"a partner may hold at most {self.max_drafts} draft carts;"
                " submit or delete some first (OMNICART_MAX_DRAFT_CARTS_PER_PARTNER)",
            )
        self.writer.created(owner, cart, memo)
        return rendered

    async def add_items(
        self,
        owner: str,
        cart_id: str,
        items: list[ProductOrderItem],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
        rejection: tuple[str, str] | None = None,
    ) -> RenderedCart:
        """`rejection`: the order validation's code and reason to refuse the items with
        (sandbox scenario `cart_rejected`), once the cart is known to be changeable: the
        cart is left as it was."""

        def change(cart: Cart) -> None:
            if rejection is not None:
                cart.ensure_modifiable()
                raise CartRejected(*rejection)
            cart.add_items(items, self.limits.max_items_per_cart)

        return await self.change(owner, cart_id, if_match, change, reply)

    async def update_item(
        self,
        owner: str,
        cart_id: str,
        item_id: str,
        replace: Callable[[ProductOrderItem], ProductOrderItem],
        *,
        if_match: str | None = None,
    ) -> RenderedCart:
        """Replace an item by `replace(current item)`, computed on the latest version."""
        return await self.change(owner, cart_id, if_match, lambda cart: cart.replace_item(replace(cart.item(item_id))))

    async def remove_item(self, owner: str, cart_id: str, item_id: str, *, if_match: str | None = None) -> RenderedCart:
        return await self.change(owner, cart_id, if_match, lambda cart: cart.remove_item(item_id))

    async def register_payment_methods(
        self,
        owner: str,
        cart_id: str,
        methods: list[PaymentMethod],
        refs: list[PaymentRef],
        *,
        if_match: str | None = None,
        reply: Reply | None = None,
    ) -> RenderedCart:
        """Record payment methods (`refs`, one per method, drawn by the caller so that its
        answer can name them) and, when one gives it, the customer's consent to every terms
        and conditions the cart needs now: a cart change like any other."""
        consent = any(method.storeTermsConditionConsent for method in methods)

        def change(cart: Cart) -> None:
            accepted = payment.agreements(terms_for(cart, self.catalog)) if consent else []
            cart.configure(refs, accepted)

        return await self.change(owner, cart_id, if_match, change, reply)

    async def abandon_cart(self, owner: str, cart_id: str, *, if_match: str | None = None) -> None:
        def prepare(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
            cart.ensure_modifiable()
            return CartWrite(None, Effects(events=[cart_event(CART_DELETED, owner, encode_cart(cart, memo)[1], now)]))

        await self.writer.write(owner, await self.cart_id(owner, cart_id), if_match, prepare, keep=False)

    async def change(
        self,
        owner: str,
        cart_id: str,
        if_match: str | None,
        change: Callable[[Cart], object],
        reply: Reply | None = None,
        *,
        answer: Callable[[Cart], bytes] | None = None,
        events: Callable[[Cart, datetime], list[Event]] | None = None,
    ) -> RenderedCart:
        """Apply `change` to the latest version of the cart (by either name), atomically:
        a change like every other (version + 1, its event and the `events` the change makes
        of its own, an Idempotency-Key's reply). `answer`: what the change answers when it
        is not the cart's document, made of the changed cart."""
        rendered: list[RenderedCart] = []

        def prepare(cart: Cart, memo: CartMemo, now: datetime) -> CartWrite:
            holdings = self.holdings.of(cart)  # first: it may stop the change (HoldingsNotFetched)
            change(cart)
            self.assess(cart, now, memo=memo, holdings=holdings)
            cart.touch(now)
            doc, wire = encode_cart(cart, memo)
            rendered[:] = [RenderedCart(cart.id, cart.version, wire, cart.name, answer(cart) if answer else None)]
            more = events(cart, now) if events is not None else []
            return CartWrite(doc, _effects(CART_CHANGED, owner, rendered[0], now, reply, more), plain=wire is doc)

        cart_id = await self.cart_id(owner, cart_id)
        await with_holdings(self.holdings, lambda: self.writer.write(owner, cart_id, if_match, prepare))
        return rendered[0]

    async def purge_expired_carts(self, *, batch: int = 100) -> int:
        """Delete the drafts past their time to live, a batch per transaction, each with
        its ShoppingCartDeleteEvent; returns how many. Safe to run in every worker."""
        if self.cart_ttl is None:
            return 0
        now = self.clock()

        def deleted(owner: str, cart: Cart) -> Effects:
            return Effects(events=[cart_event(CART_DELETED, owner, encode_cart(cart)[1], now)])

        purged = 0
        while True:
            count = await self.store.purge_carts(now - self.cart_ttl, batch, deleted)
            purged += count
            if count < batch:
                return purged


def _effects(
    event_type: str, owner: str, rendered: RenderedCart, now: datetime, reply: Reply | None, more: Sequence[Event] = ()
) -> Effects:
    """What a change commits with it: its event (then `more` of the change's own), and the
    reply recorded for its Idempotency-Key."""
    response = reply.record_cart(rendered) if reply is not None else None
    return Effects(events=[cart_event(event_type, owner, rendered.wire, now), *more], response=response)
