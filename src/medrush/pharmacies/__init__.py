"""Pharmacies: onboarding, storefront, opening hours, service area, stock, its ledger and reservations.

Other domains use only what this module exports.
"""

from medrush.pharmacies.access import check_operator, check_pharmacy_staff
from medrush.pharmacies.actions import (
    apply_for_listing,
    approve_pharmacy,
    commit_reservations,
    expire_reservations,
    import_stock_csv,
    record_order_response,
    release_reservations,
    reserve_stock,
    return_stock,
    seed_stock,
    set_holiday,
    set_opening_hours,
    set_pharmacist_on_duty,
    set_service_area,
    set_stock,
    suspend_pharmacy,
    update_storefront,
)
from medrush.pharmacies.area import covers
from medrush.pharmacies.enums import PharmacyStatus, ReservationPurpose, ReservationStatus, StockReason
from medrush.pharmacies.hours import DayException, Interval, WeeklyHours, format_interval, parse_interval
from medrush.pharmacies.insights import city_surges, pharmacy_insights
from medrush.pharmacies.models import Pharmacy, StockItem, StockLedgerEntry, StockReservation
from medrush.pharmacies.queries import (
    get_pharmacy,
    held_units,
    hours_of,
    is_open,
    ledger_of,
    list_pharmacies,
    offers_near,
    pharmacy_stats,
    pharmacy_with_stock,
    stock_line,
    stock_of,
)
from medrush.pharmacies.schemas import ImportReport, Offer, SaleTerms, StockLevel, StockLine

__all__ = [
    "DayException",
    "ImportReport",
    "Interval",
    "Offer",
    "Pharmacy",
    "PharmacyStatus",
    "ReservationPurpose",
    "ReservationStatus",
    "SaleTerms",
    "StockItem",
    "StockLedgerEntry",
    "StockLevel",
    "StockLine",
    "StockReason",
    "StockReservation",
    "WeeklyHours",
    "apply_for_listing",
    "approve_pharmacy",
    "check_operator",
    "check_pharmacy_staff",
    "city_surges",
    "commit_reservations",
    "covers",
    "expire_reservations",
    "format_interval",
    "get_pharmacy",
    "held_units",
    "hours_of",
    "import_stock_csv",
    "is_open",
    "ledger_of",
    "list_pharmacies",
    "offers_near",
    "parse_interval",
    "pharmacy_insights",
    "pharmacy_stats",
    "pharmacy_with_stock",
    "record_order_response",
    "release_reservations",
    "reserve_stock",
    "return_stock",
    "seed_stock",
    "set_holiday",
    "set_opening_hours",
    "set_pharmacist_on_duty",
    "set_service_area",
    "set_stock",
    "stock_line",
    "stock_of",
    "suspend_pharmacy",
    "update_storefront",
]
