"""Orders: cart, delivery promise, checkout, payments, the order state machine, re-routing, handover.

Other domains and ``web`` use only what this module exports.
"""

from medrush.orders import subscribers as _subscribers  # registers the event handlers
from medrush.orders.actions import (
    REJECT_REASONS,
    CheckoutResult,
    Quote,
    accept_order,
    add_to_cart,
    cancel_order,
    checkout,
    clear_cart,
    confirm_handover,
    courier_assigned,
    courier_picked_up,
    current_promise,
    expire_unaccepted,
    expire_unpaid,
    handle_payment_webhook,
    mark_picked,
    mark_ready,
    quote,
    refund_order,
    reject_order,
    remove_from_cart,
    start_picking,
)
from medrush.orders.enums import TRANSITIONS, Fulfilment, OrderStatus, PaymentStatus, can_move
from medrush.orders.idempotency import IdempotentResult, body_hash, run_idempotent
from medrush.orders.models import Order, OrderItem, OrderTransition, Payment
from medrush.orders.payments import PaymentProvider, SandboxProvider, get_provider, register_provider
from medrush.orders.ports import set_product_source, set_safety_checker
from medrush.orders.promise import Estimate, estimate, promise_minutes
from medrush.orders.queries import (
    INBOX_STATUSES,
    access_order_by_id,
    cart_view,
    order_view,
    payment_by_ref,
    pharmacy_orders,
    ranked_offers,
    search_offers,
)
from medrush.orders.tasks import run_order_timers

__all__ = [
    "INBOX_STATUSES",
    "REJECT_REASONS",
    "TRANSITIONS",
    "CheckoutResult",
    "Estimate",
    "Fulfilment",
    "IdempotentResult",
    "Order",
    "OrderItem",
    "OrderStatus",
    "OrderTransition",
    "Payment",
    "PaymentProvider",
    "PaymentStatus",
    "Quote",
    "SandboxProvider",
    "_subscribers",
    "accept_order",
    "access_order_by_id",
    "add_to_cart",
    "body_hash",
    "can_move",
    "cancel_order",
    "cart_view",
    "checkout",
    "clear_cart",
    "confirm_handover",
    "courier_assigned",
    "courier_picked_up",
    "current_promise",
    "estimate",
    "expire_unaccepted",
    "expire_unpaid",
    "get_provider",
    "handle_payment_webhook",
    "mark_picked",
    "mark_ready",
    "order_view",
    "payment_by_ref",
    "pharmacy_orders",
    "promise_minutes",
    "quote",
    "ranked_offers",
    "refund_order",
    "register_provider",
    "reject_order",
    "remove_from_cart",
    "run_idempotent",
    "run_order_timers",
    "search_offers",
    "set_product_source",
    "set_safety_checker",
    "start_picking",
]
