"""What the client's methods take, when a partner writes plain dicts: each request body's
objects as a `TypedDict`, keyed by the carrier's wire names, so a type checker reads a
dict literal against the shape the server decodes (`omnicart.wire`).

Every method takes the wire's own struct as well (`omnicart.wire.cart.Channel`,
`omnicart.wire.items.ProductOrderItem` …). A field omnicart does not model is kept and sent
by the server (`extra`), but a type checker refuses it in a dict literal: give it in the
struct's `extra` (`Channel(id="IND", extra={"partnerRef": "x-1"})`) or build the dict
untyped.

Each TypedDict lists exactly its struct's fields (`tests/kit/test_client_shapes.py`).
"""

# No `from __future__ import annotations`: `Required[...]` must be read at runtime too
# (`__required_keys__`), which string annotations hide on Python 3.11.
from datetime import date
from typing import Literal, Required, TypedDict

from omnicart.wire.cart import EnrollmentStatus
from omnicart.wire.items import Action, ProductOfferingType
from omnicart.wire.offers import ProductOfferingTypeGroup

# -- carts ---------------------------------------------------------------------------------


class ExtensionDict(TypedDict):
    name: str
    value: str


class ChannelDict(TypedDict, total=False):
    """`{"id": "IND", "name": "IND", "extensions": [{"name": "subChannel", "value": "bestbuy"}]}`"""

    id: Required[str]
    name: str | None
    extensions: list[ExtensionDict]


class RelatedPartyDict(TypedDict, total=False):
    """`{"id": "c1", "role": "customer", "referredType": "customer"}`"""

    id: Required[str]
    role: Required[str]
    referredType: Required[str]
    name: str | None
    extensions: list[ExtensionDict]


class BillingAccountDict(TypedDict, total=False):
    id: Required[str]
    ratingType: str | None


class ActionReasonDict(TypedDict, total=False):
    name: str | None
    reasonText: str | None
    action: str | None


class PlaceDict(TypedDict, total=False):
    id: str | None
    role: str | None
    name: str | None


class ProductDict(TypedDict, total=False):
    id: str | None
    primaryProductId: str | None
    place: list[PlaceDict]


class CharacteristicDict(TypedDict):
    name: str
    value: str


class ItemDict(TypedDict, total=False):
    """One cart item, e.g. `{"productOrderItemId": "line-1", "productOfferingType":
    "Mobile_Offer", "productOfferingId": "06c387fb-bfd5-4287-a1e8-b9da4c0be06e"}`; as a
    merge patch (`update_item`), only the fields to change."""

    productOrderItemId: str
    action: Action
    quantity: int
    productOfferingType: ProductOfferingType | None
    productOfferingId: str | None
    rootBundleProductOrderItemId: str | None
    billingAccount: BillingAccountDict | None
    subscriberNumber: str | None
    actionReason: ActionReasonDict | None
    product: ProductDict | None
    characteristic: list[CharacteristicDict]


# -- checkout and submit -------------------------------------------------------------------


class PaySourceDict(TypedDict, total=False):
    sourceSystem: str
    sourceLocation: str
    sourceUser: str


class PaymentMethodDict(TypedDict, total=False):
    """A payment method for a cart: `{"id": "pm-1", "cartId": cart.id, "storeTermsConditionConsent": True}`."""

    cartId: Required[str]
    id: str
    amount: float
    accountNumber: str
    savePaymentProfile: bool
    storeTermsConditionConsent: bool
    tncId: str
    customerAgreement: str
    profileName: str
    encPaymentMethod: str
    paySource: PaySourceDict


class PaymentMethodsDict(TypedDict):
    """`POST /payment-methods`: `{"paymentMethods": [{...}]}` (1 to 10)."""

    paymentMethods: list[PaymentMethodDict]


class AppointmentChoiceDict(TypedDict):
    id: str


class SubmissionDict(TypedDict, total=False):
    """Express submit's optional body; every field optional, kept with the order as sent."""

    paymentMethods: list[dict[str, object]]
    enrollment: dict[str, object] | None
    oneTimePayment: dict[str, object] | None
    terms: dict[str, object] | None
    appointment: AppointmentChoiceDict | None


# -- direct fulfilment ---------------------------------------------------------------------


class DeliveryMethodChoiceDict(TypedDict, total=False):
    id: Required[str]
    name: str
    productOfferingType: Literal["Delivery_Method"]


class SelectedOptionDict(TypedDict, total=False):
    """`{"productOrderItemId": "line-1-phone", "productOffering": {"id": "express-shipping"}}`"""

    productOrderItemId: Required[str]
    productOffering: Required[DeliveryMethodChoiceDict]
    product: ProductDict


class AgreementConsentDict(TypedDict, total=False):
    """An agreement accepted, as `terms()` named it: `{"name": …, "extensions": [...]}`."""

    name: Required[str]
    extensions: list[ExtensionDict]


class EnrollmentDict(TypedDict, total=False):
    """`{"autoPay": "enrolled", "paperLess": "enrolled", "paymentProfileId": ""}`"""

    autoPay: EnrollmentStatus
    paperLess: EnrollmentStatus
    paymentProfileId: str


class BringYourOwnDeviceDict(TypedDict):
    edModels: str | list[str]


class OffersSearchDict(TypedDict, total=False):
    """`{"productOfferingTypeGroup": "mobileDevice", "customerType": "CONSUMER"}`"""

    productOfferingTypeGroup: Required[ProductOfferingTypeGroup]
    customerType: str
    BYOD: BringYourOwnDeviceDict
    deviceType: list[str]
    channel: ChannelDict


# -- credit, customers, service qualification -----------------------------------------------


class LegalIdDict(TypedDict):
    identificationId: str
    identificationType: str


class UserInfoDict(TypedDict, total=False):
    birthdate: date | str
    legalId: list[LegalIdDict]


class CreditApplicationDict(TypedDict, total=False):
    """`{"cartId": cart.id, "userInfo": {"birthdate": "1959-01-01", "legalId": [...]}}`"""

    cartId: Required[str]
    unifiedCreditTransactionId: str
    casApplicationId: str
    selectedAnswers: list[dict[str, object]]
    userInfo: UserInfoDict


class OtpDict(TypedDict, total=False):
    pin: Required[str]
    deliveryMethod: str


class CustomerAuthDict(TypedDict, total=False):
    """Who the customer is and at least one credential: `{"billingAccountNumber": …, "last4SSN": …}`."""

    partnerCustomerUUID: str
    firstName: str
    lastName: str
    email: str
    canBeReachedNumber: str
    subscriberNumber: str
    serviceAddressId: str
    billingAccountNumber: str
    otp: OtpDict
    passcode: str
    last4SSN: str


class AddressCharacteristicDict(TypedDict, total=False):
    name: Required[str]
    value: Required[str]
    valueType: str


class GeographicAddressDict(TypedDict, total=False):
    """The street line as the `addressLine1` characteristic, and a ZIP code."""

    postcode: Required[str]
    addressCharacteristic: Required[list[AddressCharacteristicDict]]
    city: str
    stateOrProvince: str


class OfferRequestDict(TypedDict, total=False):
    productOfferingTypeGroup: Required[Literal["BBOffers"]]
    billingAccountNumber: str
    intent: str


class ServiceQualificationDict(TypedDict, total=False):
    """`{"geographicAddress": {...}, "customerType": "CONSUMER"}`"""

    geographicAddress: Required[GeographicAddressDict]
    channel: ChannelDict
    customerType: str
    offers: list[OfferRequestDict]
