"""Fixed vocabularies of pharmacies.

A pharmacy's life::

    applied --approve--> approved --suspend--> suspended
       |                    ^                      |
       +----reject----> (rejected)   +--reinstate--+

A reservation's life::

    held --commit--> committed      (the order was paid: quantity and reserved both drop)
      |---release--> released       (checkout abandoned, order re-routed, consultation ended)
      +---expire---> expired        (nobody paid before ``expires_at``)
"""

from enum import StrEnum

__all__ = ["PharmacyStatus", "ReservationPurpose", "ReservationStatus", "StockReason"]


class PharmacyStatus(StrEnum):
    """Where a pharmacy stands with the operator."""

    APPLIED = "applied"
    APPROVED = "approved"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class ReservationStatus(StrEnum):
    """Where a stock reservation stands."""

    HELD = "held"
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


class ReservationPurpose(StrEnum):
    """Why stock is held: a checkout or a consultation in progress."""

    ORDER = "order"
    CONSULTATION = "consultation"


class StockReason(StrEnum):
    """Why a stock line changed; every ledger row carries one."""

    IMPORT = "import"
    ADJUST = "adjust"
    RESERVE = "reserve"
    RELEASE = "release"
    EXPIRE = "expire"
    SALE = "sale"
    RETURN = "return"
