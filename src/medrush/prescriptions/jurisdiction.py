"""Jurisdiction profiles: prescribing rules as data (``jurisdictions.yaml``) plus a few policy hooks.

Callers never test the country; they ask the active profile a question (``check_can_sign``,
``check_prior_diagnosis``, ``may_delete``, ...). Nothing is ever prescribed automatically in any
profile: software may draft a suggestion, only a doctor's signature makes a prescription.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from medrush.accounts import Actor, Role
from medrush.kernel.errors import InvalidInput, PermissionDenied

__all__ = ["JurisdictionProfile", "active_profile", "profile_for"]

_DATA = Path(__file__).with_name("jurisdictions.yaml")


@dataclass(frozen=True, slots=True)
class JurisdictionProfile:
    """The prescribing rules of one deployment profile."""

    code: str
    follow_up_only: bool
    real_name_required: bool
    prescription_before_medicine: bool
    pickup_only: bool
    max_validity_days: int
    retention_years: int

    def check_can_sign(self, actor: Actor) -> None:
        """Only a signed-in doctor signs; software never does (no automatic prescribing)."""
        if actor.user_id is None or actor.is_system:
            raise PermissionDenied(
                "nothing is prescribed automatically: a doctor must sign", code="automatic_prescribing"
            )
        if not actor.has(Role.DOCTOR):
            raise PermissionDenied("only a doctor can sign a prescription", code="not_a_doctor")

    def check_real_names(
        self, doctor_verified_at: datetime | None, patient_verified_at: datetime | None
    ) -> None:
        """Where real names are required, both the clinician and the account holder must be verified."""
        if not self.real_name_required:
            return
        if doctor_verified_at is None:
            raise PermissionDenied("the doctor's real name is not verified", code="real_name_doctor")
        if patient_verified_at is None:
            raise PermissionDenied(
                "the patient's real name must be verified before a prescription", code="real_name_patient"
            )

    def check_prior_diagnosis(self, prior: dict[str, Any] | None, today: date) -> None:
        """Where prescribing is for follow-up visits only, an earlier diagnosis must be on record."""
        if not self.follow_up_only:
            return
        if not prior or not str(prior.get("diagnosis", "")).strip():
            raise InvalidInput(
                "online prescriptions are for follow-up visits: record the earlier diagnosis",
                code="follow_up_required",
            )
        if not str(prior.get("institution", "")).strip():
            raise InvalidInput("name where the earlier diagnosis was made", code="follow_up_required")
        try:
            on = date.fromisoformat(str(prior.get("diagnosed_on")))
        except ValueError:
            raise InvalidInput(
                "diagnosed_on must be a date (YYYY-MM-DD)", code="follow_up_required"
            ) from None
        if on > today:
            raise InvalidInput("the earlier diagnosis cannot be in the future", code="follow_up_required")

    def check_validity(self, days: int) -> None:
        """A prescription is valid for 1 to ``max_validity_days`` days."""
        if not 1 <= days <= self.max_validity_days:
            raise InvalidInput(
                "validity must be 1 to {max_validity_days} days here",
                code="bad_validity",
                max_validity_days=self.max_validity_days,
            )

    def retain_until(self, created_at: datetime) -> datetime:
        """The earliest moment a record created at ``created_at`` may be deleted."""
        try:
            return created_at.replace(year=created_at.year + self.retention_years)
        except ValueError:  # 29 February
            return created_at.replace(year=created_at.year + self.retention_years, day=28) + timedelta(days=1)

    def may_delete(self, created_at: datetime, now: datetime) -> bool:
        """True once the retention period of a record has passed."""
        return now >= self.retain_until(created_at)

    def prescription_counts_for(self, signed_at: datetime | None, ordered_at: datetime | None) -> bool:
        """Prescription before medicine: the prescription must predate the order that uses it."""
        if not self.prescription_before_medicine or ordered_at is None:
            return True
        return signed_at is not None and signed_at <= ordered_at


@cache
def _table() -> dict[str, dict[str, Any]]:
    with _DATA.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = yaml.safe_load(handle)
    return data


def profile_for(code: str) -> JurisdictionProfile:
    """The profile named ``code`` (``cn``, ``kr`` or ``generic``)."""
    table = _table()
    if code not in table:
        raise InvalidInput("unknown jurisdiction {name!r}", code="unknown_jurisdiction", name=code)
    return JurisdictionProfile(code=code, **table[code])


def active_profile() -> JurisdictionProfile:
    """The profile chosen by ``MEDRUSH_JURISDICTION``."""
    from medrush.settings import get_settings

    return profile_for(get_settings().jurisdiction)
