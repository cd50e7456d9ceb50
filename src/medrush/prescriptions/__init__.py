"""Prescriptions: e-prescriptions signed by a doctor, reviewed by a pharmacist, used once.

Other domains use only what this module exports.
"""

from medrush.prescriptions.actions import (
    MAX_ITEMS,
    draft_prescription,
    expire_prescriptions,
    issue_prescription,
    mark_used,
    release_use,
    review_prescription,
    sign_prescription,
)
from medrush.prescriptions.enums import PrescriptionStatus, ReviewDecision
from medrush.prescriptions.jurisdiction import JurisdictionProfile, active_profile, profile_for
from medrush.prescriptions.models import Prescription
from medrush.prescriptions.queries import (
    access_prescription_by_id,
    effective_status,
    prescription_refs_for,
    prescription_view,
    prescriptions_of_consultation,
    review_queue,
    valid_prescription_for,
)
from medrush.prescriptions.signing import canonical_content, sign, verify

__all__ = [
    "MAX_ITEMS",
    "JurisdictionProfile",
    "Prescription",
    "PrescriptionStatus",
    "ReviewDecision",
    "access_prescription_by_id",
    "active_profile",
    "canonical_content",
    "draft_prescription",
    "effective_status",
    "expire_prescriptions",
    "issue_prescription",
    "mark_used",
    "prescription_refs_for",
    "prescription_view",
    "prescriptions_of_consultation",
    "profile_for",
    "release_use",
    "review_prescription",
    "review_queue",
    "sign",
    "sign_prescription",
    "valid_prescription_for",
    "verify",
]
