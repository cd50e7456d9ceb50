"""Order states and the transitions allowed between them.

::

    placed --pay--> paid --accept--> accepted --pick--> picking --ready--> ready
      |              |  ^               |                  |               |    \\
      |              |  +--re-route--+  |                  |               |     +-- collect (pickup)
      |              |  (next pharmacy, same payment)      |               v            |
      |              |                  |                  |     courier_assigned       |
      |              |                  |                  |               |            |
      |              |                  |                  |               v            |
      |              |                  |                  |           picked_up        |
      |              |                  |                  |               |            |
      |              |                  |                  |               v            v
      |              |                  |                  |           delivered <------+
      v              v                  v                  v               |
    cancelled <------+------------------+------------------+               v
      |                                                                 refunded
      +---------------------------------------------------------------> refunded

A placed order that is never paid is cancelled when its reservation expires. A paid order that
is cancelled (customer, pharmacy, or nobody able to take it) is refunded; ``refunded`` is final.
A re-route keeps the order ``paid`` and changes only its pharmacy (recorded as a transition
``paid -> paid`` with the reason).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "TERMINAL",
    "TRANSITIONS",
    "Fulfilment",
    "OrderStatus",
    "PaymentStatus",
    "can_move",
]


class OrderStatus(StrEnum):
    """Where an order stands."""

    PLACED = "placed"
    PAID = "paid"
    ACCEPTED = "accepted"
    PICKING = "picking"
    READY = "ready"
    COURIER_ASSIGNED = "courier_assigned"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Fulfilment(StrEnum):
    """How the medicine reaches the customer."""

    DELIVERY = "delivery"
    PICKUP = "pickup"


class PaymentStatus(StrEnum):
    """Where a payment stands at the provider."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUNDED = "refunded"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACED: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.PAID, S.ACCEPTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.PICKING, S.CANCELLED}),
    S.PICKING: frozenset({S.READY, S.CANCELLED}),
    S.READY: frozenset({S.COURIER_ASSIGNED, S.DELIVERED, S.CANCELLED}),
    S.COURIER_ASSIGNED: frozenset({S.COURIER_ASSIGNED, S.PICKED_UP}),
    S.PICKED_UP: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset({S.REFUNDED}),
    S.REFUNDED: frozenset(),
}
TERMINAL = frozenset({S.REFUNDED})


def can_move(current: OrderStatus | str, target: OrderStatus | str) -> bool:
    """True when the machine allows ``current -> target``."""
    return OrderStatus(target) in TRANSITIONS[OrderStatus(current)]
