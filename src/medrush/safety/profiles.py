"""A stored patient profile in the engine's ``patient`` shape (the one conversion every caller uses)."""

from __future__ import annotations

from datetime import date
from typing import Any

from medrush.accounts import PatientProfile, age_on

__all__ = ["patient_from_profile"]


def patient_from_profile(profile: PatientProfile, today: date) -> dict[str, Any]:
    """Age on ``today``, sex, pregnancy (weeks advanced since they were recorded), allergies, conditions,
    current medicines: the ``patient`` object of a safety request."""
    weeks = profile.pregnancy_weeks
    if profile.pregnant and weeks is not None and profile.pregnancy_recorded_on is not None:
        weeks = min(45, weeks + max(0, (today - profile.pregnancy_recorded_on).days) // 7)
    return {
        "age_years": max(0, age_on(profile.birth_date, today)),
        "sex": profile.sex,
        "pregnant": bool(profile.pregnant),
        "pregnancy_weeks": weeks if profile.pregnant else None,
        "breastfeeding": bool(profile.breastfeeding),
        "allergies": [str(a) for a in profile.allergies or []],
        "conditions": [str(c) for c in profile.conditions or []],
        "current_medications": [str(m) for m in profile.current_medications or []],
    }
