"""Fixed vocabularies of prescriptions.

A prescription's life::

    draft --sign (doctor)--> signed --approve (pharmacist)--> approved --mark_used--> used
                               |                                 |
                               +--reject (with reason)--> rejected
                               +--------- valid_until passes ----+--> expired

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
