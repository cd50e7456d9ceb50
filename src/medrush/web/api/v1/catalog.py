"""JSON API of the catalog: search (with offers near a location) and product details."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from medrush import catalog, orders
from medrush.kernel import db
from medrush.kernel.errors import InvalidInput
from medrush.kernel.i18n import negotiate

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
) -> list[dict[str, Any]]:
    """Search medicines; with ``lat`` and ``lng`` each result lists offers of pharmacies that can deliver."""
    if (lat is None) != (lng is None):
        raise InvalidInput("give both lat and lng, or neither", code="invalid_location")
    header = request.headers.get("accept-language")
    lang = lang or (negotiate(header) if header else None) or catalog.query_language(q) or "en"
    index = catalog.current_index()
    if index is not None and lat is None:
        return [catalog.search_result_dict(hit, lang) for hit in index.search(q, limit=limit, lang=lang)]
    async with db.session_scope() as session:
        index = await catalog.ensure_index(session)
        hits = index.search(q, limit=limit, lang=lang)
        if lat is None or lng is None:
            return [catalog.search_result_dict(hit, lang) for hit in hits]
        offers = (
            await orders.search_offers(session, [hit.product.id for hit in hits], lat, lng) if hits else {}
        )
        return catalog.results_with_offers(hits, offers, lang)


@router.get("/catalog/suggest")
async def suggest(q: str = Query(..., max_length=200)) -> dict[str, str | None]:
    """A corrected spelling for a query with unknown words ("did you mean"), or null."""
    return {"did_you_mean": catalog.search_index().did_you_mean(q)}


@router.get("/catalog/products/{medicine_id}")
async def product(medicine_id: str) -> dict[str, Any]:
    """Everything the catalog knows about one product."""
    return catalog.get_product(medicine_id).to_dict()
