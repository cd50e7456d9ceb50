"""JSON API of the safety engine: check a request, list the rules and their sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from medrush import safety
from medrush.kernel.i18n import negotiate
from medrush.safety.ports import catalog_ports

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/safety", tags=["safety"])


@router.post("/check")
async def check(body: safety.SafetyRequest, request: Request) -> dict[str, Any]:
    """Check a patient, items and symptoms; answer ``level`` and ``findings`` (the safety contract)."""
    lang = body.lang or negotiate(request.headers.get("accept-language"))
    resolve, get = catalog_ports()
    result = safety.check(body, resolve=resolve, get=get, lang=lang)
    return result.to_json_dict()


@router.get("/rules")
async def rules(request: Request, lang: str | None = None) -> dict[str, Any]:
    """Every rule of the knowledge base with its severity, message and source (for the rules browser)."""
    chosen = lang if lang in ("en", "zh", "ko") else negotiate(request.headers.get("accept-language"))
    return safety.rules_catalog(chosen)
