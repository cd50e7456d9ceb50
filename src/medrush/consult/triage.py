"""Red-flag triage and OTC checks through the safety engine's public entry point.

The safety engine never touches the database: products come in through its ``get`` port, here
the catalog's live index. A consultation's priority follows the triage level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from medrush import safety
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
    return safety.patient_from_profile(profile, today)


def triage(symptoms: str, patient: dict[str, Any], lang: str, jurisdiction: str) -> TriageResult:
    """Run red-flag triage on the symptom text for this patient."""
    resolve, get = safety.catalog_ports()  # identity matches only: "headache" never resolves to aspirin
    result = safety.check(
        {"patient": patient, "symptoms": symptoms, "lang": lang if lang in ("en", "zh", "ko") else "en"},
        resolve=resolve,
        get=get,
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
    resolve, get = safety.catalog_ports()
    result = safety.check(
        {
            "patient": patient,
            "items": [{"medicine_id": m, "quantity": q} for m, q in items],
            "lang": lang if lang in ("en", "zh", "ko") else "en",
        },
        resolve=resolve,
        get=get,
        jurisdiction=jurisdiction,
    )
    return result.to_json_dict()
