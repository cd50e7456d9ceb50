"""JSON API of the catalog: search (with offers near a location) and product details."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from medrush import catalog, orders
from medrush.accounts import Actor
from medrush.kernel import db
from medrush.kernel.errors import InvalidInput, Unauthenticated
from medrush.kernel.i18n import negotiate
from medrush.web.deps import current_actor
from medrush.web.safety_marks import mark_results

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["catalog"])


@router.get(
    "/search",
    responses={200: {"model": list[catalog.SearchResultOut], "description": "best matches first"}},
)
async def search(
    request: Request,
    q: str = Query(..., description="a name, brand, ingredient, pinyin or symptom, in zh, ko or en"),
    lat: float | None = Query(None, ge=-90, le=90, description="latitude of the delivery address"),
    lng: float | None = Query(None, ge=-180, le=180, description="longitude of the delivery address"),
    limit: int = Query(10, ge=1, le=catalog.MAX_SEARCH_LIMIT),
    lang: str | None = Query(
        None,
        pattern="^(en|zh|ko)$",
        description="names in this language (else Accept-Language, else the query's)",
    ),
    profile_id: uuid.UUID | None = Query(
        None, description="a family member of the caller: each result gets that person's safety verdict"
    ),
    actor: Actor = Depends(current_actor),
) -> list[dict[str, Any]]:
    """Search medicines; with ``lat`` and ``lng`` each result lists offers of pharmacies that can deliver;
    with ``profile_id`` each result carries ``safety`` (``level``, ``findings``) for that person."""
    if (lat is None) != (lng is None):
        raise InvalidInput("give both lat and lng, or neither", code="invalid_location")
    if profile_id is not None and actor.user_id is None:
        raise Unauthenticated("sign in to check medicines for a family member")
    header = request.headers.get("accept-language")
    lang = lang or (negotiate(header) if header else None) or catalog.query_language(q) or "en"
    index = catalog.current_index()
    if index is not None and lat is None and profile_id is None:
        return [catalog.search_result_dict(hit, lang) for hit in index.search(q, limit=limit, lang=lang)]
    async with db.session_scope() as session:
        index = await catalog.ensure_index(session)
        hits = index.search(q, limit=limit, lang=lang)
        if lat is None or lng is None:
            results = [catalog.search_result_dict(hit, lang) for hit in hits]
        else:
            ids = [hit.product.id for hit in hits]
            offers = await orders.search_offers(session, ids, lat, lng) if hits else {}
            results = catalog.results_with_offers(hits, offers, lang)
        if profile_id is not None:
            await mark_results(session, actor, profile_id, results, lang)
        return results


@router.get("/catalog/suggest")
async def suggest(q: str = Query(..., max_length=200)) -> dict[str, Any]:
    """Why a query may find nothing: a corrected spelling for a query with unknown words ("did you
    mean", or null), and the words naming kinds of product the pharmacies do not sell ("not_sold":
    sunscreen, nappies...)."""
    index = catalog.search_index()
    return {"did_you_mean": index.did_you_mean(q), "not_sold": index.not_sold_terms(q)}


@router.get("/catalog/products/{medicine_id}")
async def product(medicine_id: str) -> dict[str, Any]:
    """Everything the catalog knows about one product."""
    return catalog.get_product(medicine_id).to_dict()
