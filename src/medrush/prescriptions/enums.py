"""Fixed vocabularies of prescriptions.

A prescription's life::

    draft --sign (doctor)--> signed --approve (pharmacist)--> approved --mark_used--> used
                               |                                 |   <--release_use--+
                               +--reject (with reason)--> rejected
                               +--------- valid_until passes ----+--> expired

``release_use`` gives a prescription back when the order that spent it is cancelled before a
courier picked the medicine up (``expired`` instead when its validity has passed meanwhile).

``draft`` is a suggestion (possibly drafted by software); only a doctor's signature makes it a
prescription. A pharmacist reviews every signed prescription before an ``rx`` item can be sold.
"""

from enum import StrEnum

__all__ = ["PrescriptionStatus", "ReviewDecision"]


class PrescriptionStatus(StrEnum):
    """Where a prescription stands."""

    DRAFT = "draft"
    SIGNED = "signed"
    APPROVED = "approved"
    REJECTED = "rejected"
    USED = "used"
    EXPIRED = "expired"


class ReviewDecision(StrEnum):
    """A pharmacist's decision on a signed prescription."""

    APPROVE = "approve"
    REJECT = "reject"
