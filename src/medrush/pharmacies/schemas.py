"""Plain values the pharmacies domain hands to other domains and to ``web``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from medrush.pharmacies.stock_csv import RowError

__all__ = ["ActorLike", "ImportReport", "Offer", "SaleTerms", "StockLevel", "StockLine"]


class ActorLike(Protocol):
    """What the domain needs to know of a caller (``accounts.Actor`` fits)."""

    @property
    def user_id(self) -> uuid.UUID | None:
        """The acting user (None for the system)."""

    @property
    def pharmacy_id(self) -> uuid.UUID | None:
        """The pharmacy the actor works for, if any."""

    def has(self, role: Any) -> bool:
        """True when the actor holds the role."""


@dataclass(frozen=True, slots=True)
class StockLine:
    """A product and a number of units."""

    medicine_id: str
    quantity: int


@dataclass(frozen=True, slots=True)
class SaleTerms:
    """What selling from a pharmacy now depends on: status, place, area, hours, staff, currency."""

    id: uuid.UUID
    status: str
    lat: float
    lng: float
    timezone: str
    currency: str
    always_open: bool
    pharmacist_on_duty: str | None
    service_radius_m: int | None
    service_cells: tuple[str, ...]
    picking_minutes: int


@dataclass(frozen=True, slots=True)
class StockLevel:
    """One stock line as a sale sees it: units on the shelf, units held, unit price."""

    medicine_id: str
    quantity: int
    reserved: int
    price: int


@dataclass(frozen=True, slots=True)
class Offer:
    """One pharmacy able to sell one product to a point now."""

    pharmacy_id: uuid.UUID
    pharmacy_name: str
    medicine_id: str
    price: int
    currency: str
    available: int
    distance_m: float
    lat: float
    lng: float
    picking_minutes: int
    pharmacist_on_duty: bool


@dataclass(slots=True)
class ImportReport:
    """The outcome of a stock import: how many rows were applied and each rejected row with why."""

    applied: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    fatal: RowError | None = None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form shown to the merchant, ``fatal`` and the row messages in ``lang``."""
        return {
            "applied": self.applied,
            "unchanged": self.unchanged,
            "rejected": len(self.errors),
            "fatal": self.fatal.translated(lang) if self.fatal else None,
            "errors": [
                {"line": e.line, "medicine_id": e.medicine_id, "message": e.translated(lang)}
                for e in self.errors
            ],
        }
