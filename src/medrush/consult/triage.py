"""Red-flag triage and OTC checks through the safety engine's public entry point.

The safety engine never touches the database: products come in through its ``get`` port, here
the catalog's live index. A consultation's priority follows the triage level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from medrush import catalog, safety
from medrush.accounts import PatientProfile
from medrush.consult.enums import Priority

__all__ = ["TriageResult", "check_otc", "patient_facts", "triage"]


@dataclass(frozen=True, slots=True)
class TriageResult:
    """The triage level, its queue priority and the findings to show."""

    level: str
    priority: int
    findings: list[dict[str, Any]]

    @property
    def emergency(self) -> bool:
        """True when the patient must be told to call emergency services now."""
        return self.level == "emergency"


def patient_facts(profile: PatientProfile, today: date) -> dict[str, Any]:
    """A profile in the safety engine's ``patient`` shape."""
    born = profile.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return {
        "age_years": max(0, age),
        "sex": profile.sex,
        "pregnant": bool(profile.pregnant),
        "breastfeeding": bool(profile.breastfeeding),
        "allergies": [str(a) for a in profile.allergies or []],
        "conditions": [str(c) for c in profile.conditions or []],
        "current_medications": [str(m) for m in profile.current_medications or []],
    }


def _index_get(medicine_id: str) -> catalog.Product | None:
    index = catalog.current_index() or catalog.search_index()
    return index.get(medicine_id)


def _index_resolve(query: str) -> catalog.Product | None:
    hits = catalog.search(query, limit=1)
    return hits[0].product if hits else None


def triage(symptoms: str, patient: dict[str, Any], lang: str, jurisdiction: str) -> TriageResult:
    """Run red-flag triage on the symptom text for this patient."""
    result = safety.check(
        {"patient": patient, "symptoms": symptoms, "lang": lang if lang in ("en", "zh", "ko") else "en"},
        resolve=_index_resolve,
        get=_index_get,
        jurisdiction=jurisdiction,
    )
    findings = result.to_json_dict()["findings"]
    assert isinstance(findings, list)
    if result.level == "emergency":
        priority = Priority.EMERGENCY
    elif result.level in ("warn", "block"):
        priority = Priority.URGENT
    else:
        priority = Priority.ROUTINE
    return TriageResult(result.level, priority, findings)


def check_otc(
    patient: dict[str, Any], items: list[tuple[str, int]], lang: str, jurisdiction: str
) -> dict[str, Any]:
    """The safety verdict on OTC suggestions for this patient (``level`` and ``findings``)."""
    result = safety.check(
        {
            "patient": patient,
            "items": [{"medicine_id": m, "quantity": q} for m, q in items],
            "lang": lang if lang in ("en", "zh", "ko") else "en",
        },
        resolve=_index_resolve,
        get=_index_get,
        jurisdiction=jurisdiction,
    )
    return result.to_json_dict()
