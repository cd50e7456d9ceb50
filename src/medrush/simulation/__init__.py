"""simulation: the digital twin of a city's day, for sizing the courier fleet and the clinician roster.

A day of orders (by hour, with surges) is drawn over the stored pharmacies and served by the real
dispatch engine; clinicians are rostered by the consultation staffing model. See docs/simulation.md.
"""

from medrush.simulation.city import DEFAULT_RADIUS_M, city_pharmacies, plan_summary, simulated_cities
from medrush.simulation.day import (
    DEFAULT_PROFILE,
    MAX_CONSULTS_PER_DAY,
    MAX_COURIERS_PER_HOUR,
    MAX_ORDERS_PER_DAY,
    DayReport,
    DayScenario,
    HourRow,
    ServedOrder,
    SimPharmacy,
    Surge,
    build_day,
    check_roster,
    clinician_roster,
    plan_day,
    run_day,
    served_orders,
    shifts_for,
    size_fleet,
)

__all__ = [
    "DEFAULT_PROFILE",
    "DEFAULT_RADIUS_M",
    "MAX_CONSULTS_PER_DAY",
    "MAX_COURIERS_PER_HOUR",
    "MAX_ORDERS_PER_DAY",
    "DayReport",
    "DayScenario",
    "HourRow",
    "ServedOrder",
    "SimPharmacy",
    "Surge",
    "build_day",
    "check_roster",
    "city_pharmacies",
    "clinician_roster",
    "plan_day",
    "plan_summary",
    "run_day",
    "served_orders",
    "shifts_for",
    "simulated_cities",
    "size_fleet",
]
