"""Interop: FHIR R4 exports (consultations as Encounter, Communication and MedicationRequest)."""

from medrush.interop.fhir import consultation_bundle

__all__ = ["consultation_bundle"]
