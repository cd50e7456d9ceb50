"""Tamper evidence: an HMAC-SHA256 over a canonical JSON of what the doctor signed.

The key is derived from ``MEDRUSH_SECRET_KEY``; the signature is checked every time a
prescription is read, so a row edited behind the application's back is refused, not served.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Protocol

from medrush.kernel.errors import Conflict

__all__ = ["canonical_content", "sign", "verify"]

_PURPOSE = b"medrush.prescriptions.v1"


class Signable(Protocol):
    """The fields of a prescription that the signature covers."""

    id: Any
    profile_id: Any
    account_id: Any
    doctor_id: Any
    consultation_id: Any
    jurisdiction: str
    diagnosis: str
    prior_diagnosis: dict[str, Any] | None
    items: list[Any]
    signed_at: datetime | None
    valid_until: datetime | None


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def canonical_content(rx: Signable) -> bytes:
    """The signed content as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    content = {
        "id": str(rx.id),
        "profile_id": str(rx.profile_id),
        "account_id": str(rx.account_id),
        "doctor_id": str(rx.doctor_id),
        "consultation_id": None if rx.consultation_id is None else str(rx.consultation_id),
        "jurisdiction": rx.jurisdiction,
        "diagnosis": rx.diagnosis,
        "prior_diagnosis": rx.prior_diagnosis,
        "items": rx.items,
        "signed_at": _iso(rx.signed_at),
        "valid_until": _iso(rx.valid_until),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key() -> bytes:
    from medrush.settings import get_settings

    return hmac.new(get_settings().secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def sign(rx: Signable) -> str:
    """The hex HMAC-SHA256 of the prescription's canonical content."""
    return hmac.new(_key(), canonical_content(rx), hashlib.sha256).hexdigest()


def verify(rx: Signable, signature: str | None) -> None:
    """Raise Conflict (``prescription_tampered``) unless ``signature`` matches the content."""
    if signature is None or not hmac.compare_digest(sign(rx), signature):
        raise Conflict(
            "this prescription's signature does not match its content; it cannot be used",
            code="prescription_tampered",
        )
