"""Who may manage a pharmacy: its own staff and operators."""

from __future__ import annotations

import uuid

from medrush.kernel.errors import PermissionDenied
from medrush.pharmacies.schemas import ActorLike

__all__ = ["STAFF_ROLES", "check_operator", "check_pharmacy_staff"]

STAFF_ROLES = ("pharmacy_staff", "pharmacist")


def check_pharmacy_staff(actor: ActorLike, pharmacy_id: uuid.UUID) -> None:
    """Refuse unless the actor is an operator, the system, or staff of this very pharmacy."""
    if actor.has("operator") or actor.has("system"):
        return
    if not any(actor.has(role) for role in STAFF_ROLES):
        raise PermissionDenied("only the pharmacy's staff may do this")
    if actor.pharmacy_id != pharmacy_id:
        raise PermissionDenied("you work for another pharmacy")


def check_operator(actor: ActorLike) -> None:
    """Refuse unless the actor is an operator or the system."""
    if not (actor.has("operator") or actor.has("system")):
        raise PermissionDenied("only an operator may do this")
