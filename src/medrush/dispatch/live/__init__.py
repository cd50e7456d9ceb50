"""Live dispatch: couriers on shift, delivery jobs learnt from orders' events, offers, zone loops.

The zone loop (``DispatchLoop``) leads a zone through a PostgreSQL advisory lock and runs the
shared engine every few seconds; courier actions answer offers and confirm pickups and
drop-offs; ``eta_minutes`` gives the checkout an honest promise. See ``docs/dispatch_live.md``.
"""

from medrush.dispatch.live.actions import (
    accept_offer,
    cancel_job,
    check_coordinates,
    confirm_dropoff,
    confirm_pickup,
    decline_offer,
    end_shift,
    go_offline,
    go_online,
    mark_delivered_by_order,
    mark_picked_up_by_order,
    open_job,
    record_location,
    refresh_route,
    release_job,
    start_shift,
)
from medrush.dispatch.live.enums import CourierStatus, JobStatus, OfferStatus, Vehicle
from medrush.dispatch.live.geo import CityTravel, Projection, zone_key, zone_of
from medrush.dispatch.live.leader import DispatchLoop
from medrush.dispatch.live.params import LiveParams
from medrush.dispatch.live.publish import send_queued, take_queued
from medrush.dispatch.live.queries import (
    courier_board,
    courier_earnings,
    dropoff_target,
    eta_minutes,
    fleet_figures,
    job_view,
    nearest_courier_minutes,
    pay_rates,
    tracking,
)
from medrush.dispatch.live.rounds import RoundReport, active_zones, run_round

__all__ = [
    "CityTravel",
    "CourierStatus",
    "DispatchLoop",
    "JobStatus",
    "LiveParams",
    "OfferStatus",
    "Projection",
    "RoundReport",
    "Vehicle",
    "accept_offer",
    "active_zones",
    "cancel_job",
    "check_coordinates",
    "confirm_dropoff",
    "confirm_pickup",
    "courier_board",
    "courier_earnings",
    "decline_offer",
    "dropoff_target",
    "end_shift",
    "eta_minutes",
    "fleet_figures",
    "go_offline",
    "go_online",
    "job_view",
    "mark_delivered_by_order",
    "mark_picked_up_by_order",
    "nearest_courier_minutes",
    "open_job",
    "pay_rates",
    "record_location",
    "refresh_route",
    "release_job",
    "run_round",
    "send_queued",
    "start_shift",
    "take_queued",
    "tracking",
    "zone_key",
    "zone_of",
]
