"""FHIR export of a consultation: a Bundle of Encounter, Communication and MedicationRequest.

Built as plain dicts in FHIR R4 shape and validated with ``fhir.resources`` (its R4B models: R4B
is the 4.3 release, wire-compatible with R4 for these three resources). Patients and clinicians
are referenced by id (``Patient/<profile id>``, ``Practitioner/<user id>``); names are not
exported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

__all__ = ["consultation_bundle"]

_ENCOUNTER_STATUS = {
    "waiting": "planned",
    "active": "in-progress",
    "closed": "finished",
    "referred": "finished",
}
_RX_STATUS = {
    "draft": "draft",
    "signed": "active",
    "approved": "active",
    "used": "completed",
    "rejected": "cancelled",
    "expired": "stopped",
}
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_MEDRUSH = "https://medrush.example/fhir/medicine"


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _encounter(c: Any) -> dict[str, Any]:
    period: dict[str, Any] = {"start": _when(c.created_at)}
    if c.closed_at is not None:
        period["end"] = _when(c.closed_at)
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(c.id),
        "status": _ENCOUNTER_STATUS.get(c.status, "unknown"),
        "class": {"system": _ACT_CODE, "code": "VR", "display": "virtual"},
        "subject": {"reference": f"Patient/{c.profile_id}"},
        "period": period,
        "reasonCode": [{"text": c.symptoms}],
        "priority": {"text": c.triage_level},
    }
    participants = [{"individual": {"reference": f"Practitioner/{cid}"}} for cid in (c.clinician_ids or [])]
    if participants:
        resource["participant"] = participants
    return resource


def _communication(c: Any, m: Any) -> dict[str, Any]:
    if m.sender_role == "patient":
        sender = {"reference": f"Patient/{c.profile_id}"}
    elif m.sender_id is not None:
        sender = {"reference": f"Practitioner/{m.sender_id}"}
    else:
        sender = {"display": "medrush"}
    payload = [{"contentString": m.text or f"[{m.kind}]"}]
    if m.attachment_id is not None:
        payload.append({"contentAttachment": {"url": f"/api/v1/consultations/attachments/{m.attachment_id}"}})
    return {
        "resourceType": "Communication",
        "id": f"{c.id}-{m.seq}",
        "status": "completed",
        "encounter": {"reference": f"Encounter/{c.id}"},
        "subject": {"reference": f"Patient/{c.profile_id}"},
        "sent": _when(m.created_at),
        "sender": sender,
        "payload": payload,
    }


def _medication_requests(rx: Any, status: str) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(rx.items, start=1):
        resource: dict[str, Any] = {
            "resourceType": "MedicationRequest",
            "id": f"{rx.id}-{n}",
            "status": _RX_STATUS.get(status, "unknown"),
            "intent": "order",
            "medicationCodeableConcept": {
                "coding": [{"system": _MEDRUSH, "code": item["medicine_id"], "display": item["name"]}],
                "text": item["name"],
            },
            "subject": {"reference": f"Patient/{rx.profile_id}"},
            "authoredOn": _when(rx.signed_at or rx.created_at),
            "dosageInstruction": [{"text": item["dosage"]}],
            "dispenseRequest": {"quantity": {"value": item["quantity"], "unit": "pack"}},
            "reasonCode": [{"text": rx.diagnosis}],
            "groupIdentifier": {"system": "https://medrush.example/prescription", "value": str(rx.id)},
        }
        if rx.doctor_id is not None:
            resource["requester"] = {"reference": f"Practitioner/{rx.doctor_id}"}
        if rx.consultation_id is not None:
            resource["encounter"] = {"reference": f"Encounter/{rx.consultation_id}"}
        if rx.valid_until is not None:
            resource["dispenseRequest"]["validityPeriod"] = {
                "start": _when(rx.signed_at),
                "end": _when(rx.valid_until),
            }
        out.append(resource)
    return out


def consultation_bundle(
    consultation: Any, messages: list[Any], prescriptions: list[tuple[Any, str]]
) -> dict[str, Any]:
    """A validated FHIR collection Bundle (JSON dict) for one consultation.

    ``prescriptions`` pairs each prescription with its effective status.
    """
    resources = [_encounter(consultation)]
    resources += [_communication(consultation, m) for m in messages]
    for rx, status in prescriptions:
        resources += _medication_requests(rx, status)
    for resource in resources:  # each resource against its own model, not only the Bundle's shape
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:medrush:{r['resourceType']}/{r['id']}", "resource": r} for r in resources
        ],
    }
    validated = Bundle.model_validate(bundle)
    result: dict[str, Any] = validated.model_dump(mode="json", by_alias=True, exclude_none=True)
    return result
