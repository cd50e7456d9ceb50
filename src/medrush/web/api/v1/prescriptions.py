"""JSON API of prescriptions: a doctor issues, a pharmacist reviews, the patient reads."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field

from medrush import prescriptions
from medrush.accounts import Actor, Role
from medrush.kernel import db
from medrush.web.deps import require_actor, require_roles

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/prescriptions", tags=["prescriptions"])


class ItemIn(BaseModel):
    """One prescribed medicine."""

    model_config = ConfigDict(extra="forbid")

    medicine_id: str = Field(min_length=1, max_length=100)
    dosage: str = Field(min_length=1, max_length=300)
    quantity: int = Field(ge=1, le=100)


class PrescriptionIn(BaseModel):
    """A prescription a doctor writes and signs."""

    model_config = ConfigDict(extra="forbid")

    profile_id: uuid.UUID
    items: list[ItemIn] = Field(min_length=1, max_length=10)
    diagnosis: str = Field(min_length=1, max_length=500)
    prior_diagnosis: dict[str, Any] | None = None
    consultation_id: uuid.UUID | None = None
    pharmacy_id: uuid.UUID | None = None
    validity_days: int = Field(3, ge=1, le=30)


class ReviewIn(BaseModel):
    """A pharmacist's decision."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: str | None = Field(None, max_length=500)


@router.post("", status_code=status.HTTP_201_CREATED)
async def issue(data: PrescriptionIn, actor: Actor = Depends(require_roles(Role.DOCTOR))) -> dict[str, Any]:
    """Write and sign a prescription (doctors); it waits for a pharmacist's review."""
    async with db.session_scope() as session:
        rx = await prescriptions.issue_prescription(
            session,
            actor,
            profile_id=data.profile_id,
            items=[i.model_dump() for i in data.items],
            diagnosis=data.diagnosis,
            prior_diagnosis=data.prior_diagnosis,
            consultation_id=data.consultation_id,
            pharmacy_id=data.pharmacy_id,
            validity_days=data.validity_days,
        )
        return prescriptions.prescription_view(rx)


@router.get("/review-queue")
async def review_queue(actor: Actor = Depends(require_roles(Role.PHARMACIST))) -> list[dict[str, Any]]:
    """Signed prescriptions waiting for a pharmacist, oldest first."""
    async with db.session_scope() as session:
        return [
            prescriptions.prescription_view(rx) for rx in await prescriptions.review_queue(session, actor)
        ]


@router.get("/{prescription_id}")
async def read(prescription_id: uuid.UUID, actor: Actor = Depends(require_actor)) -> dict[str, Any]:
    """One prescription (signature verified; audited)."""
    async with db.session_scope() as session:
        rx = await prescriptions.access_prescription_by_id(session, actor, prescription_id)
        return prescriptions.prescription_view(rx)


@router.post("/{prescription_id}/review")
async def review(
    prescription_id: uuid.UUID, data: ReviewIn, actor: Actor = Depends(require_roles(Role.PHARMACIST))
) -> dict[str, Any]:
    """Approve, or reject with a reason (audited)."""
    async with db.session_scope() as session:
        rx = await prescriptions.review_prescription(
            session, actor, prescription_id, data.decision, reason=data.reason
        )
        return prescriptions.prescription_view(rx)
