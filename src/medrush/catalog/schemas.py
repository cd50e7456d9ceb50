"""Shapes of catalog data leaving the service (the search contract), for the API's OpenAPI schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["OfferOut", "SearchResultOut"]


class OfferOut(BaseModel):
    """One pharmacy's offer of a product near the customer."""

    model_config = ConfigDict(extra="allow")

    pharmacy_id: str | int
    price: float | str
    in_stock: bool | int
    eta_minutes: float | None


class SearchResultOut(BaseModel):
    """One search result; ``offers`` is present only when the search gave a location."""

    medicine_id: str
    name: str
    generic_name_en: str
    ingredients: list[str]
    atc: str | None
    category: str | None
    rx_class: str
    offers: list[OfferOut] | None = None
