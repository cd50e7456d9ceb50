"""Fixed vocabularies of consultations.

A consultation's life::

    (triage: emergency) ------------------------------> referred   (never queued)
    waiting --route / pick up--> active --close--> closed --rate--> closed (rated)
       |                                             ^
       +-----------------cancel (patient)------------+
"""

from enum import StrEnum

__all__ = ["ConsultStatus", "MessageKind", "Mode", "OutcomeKind", "Priority", "SenderRole"]


class ConsultStatus(StrEnum):
    """Where a consultation stands."""

    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"
    REFERRED = "referred"


class Mode(StrEnum):
    """Who the patient asks: a doctor (may prescribe) or a pharmacist (OTC advice)."""

    DOCTOR = "doctor"
    PHARMACIST = "pharmacist"


class Priority:
    """Queue priority from triage: lower is served first (emergencies are never queued)."""

    EMERGENCY = 0
    URGENT = 1
    ROUTINE = 2


class SenderRole(StrEnum):
    """Who wrote a message."""

    PATIENT = "patient"
    CLINICIAN = "clinician"
    SYSTEM = "system"


class MessageKind(StrEnum):
    """What a message carries."""

    TEXT = "text"
    PHOTO = "photo"
    QUICK_REPLY = "quick_reply"
    OUTCOME = "outcome"
    SYSTEM = "system"


class OutcomeKind(StrEnum):
    """What a clinician records as the result of a consultation."""

    ADVICE = "advice"
    OTC = "otc"
    PRESCRIPTION = "prescription"
    REFERRAL = "referral"
    FOLLOW_UP = "follow_up"
