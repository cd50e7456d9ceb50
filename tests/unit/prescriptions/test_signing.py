"""The signature covers every signed field; any change is detected."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from medrush.kernel.errors import Conflict
from medrush.prescriptions import canonical_content, sign, verify

U1 = uuid.UUID("018f0000-0000-7000-8000-000000000001")
U2 = uuid.UUID("018f0000-0000-7000-8000-000000000002")
U3 = uuid.UUID("018f0000-0000-7000-8000-000000000003")
U4 = uuid.UUID("018f0000-0000-7000-8000-000000000004")


@dataclass
class Rx:
    """A stand-in with the signed fields."""

    id: Any = U1
    profile_id: Any = U2
    account_id: Any = U3
    doctor_id: Any = U4
    consultation_id: Any = None
    jurisdiction: str = "cn"
    diagnosis: str = "过敏性鼻炎"
    prior_diagnosis: dict[str, Any] | None = None
    items: list[Any] = field(
        default_factory=lambda: [
            {"medicine_id": "amoxicillin-250mg-cap", "quantity": 2, "dosage": "1 cap tid"}
        ]
    )
    signed_at: datetime | None = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    valid_until: datetime | None = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_canonical_json_is_stable_and_sorted() -> None:
    body = canonical_content(Rx())
    assert body.startswith(b'{"account_id":"018f0000-0000-7000-8000-000000000003","consultation_id":null,')
    assert "过敏性鼻炎".encode() in body
    assert canonical_content(Rx()) == body


def test_signature_round_trip() -> None:
    rx = Rx()
    signature = sign(rx)
    assert len(signature) == 64
    verify(rx, signature)


@pytest.mark.parametrize(
    "change",
    [
        {"diagnosis": "something else"},
        {"items": [{"medicine_id": "amoxicillin-250mg-cap", "quantity": 20, "dosage": "1 cap tid"}]},
        {"valid_until": datetime(2027, 1, 1, tzinfo=UTC)},
        {"profile_id": uuid.UUID("018f0000-0000-7000-8000-000000000009")},
        {"doctor_id": None},
        {"jurisdiction": "generic"},
    ],
)
def test_any_change_is_detected(change: dict[str, Any]) -> None:
    signature = sign(Rx())
    with pytest.raises(Conflict) as err:
        verify(replace(Rx(), **change), signature)
    assert err.value.code == "prescription_tampered"


def test_missing_signature_refused() -> None:
    with pytest.raises(Conflict):
        verify(Rx(), None)
