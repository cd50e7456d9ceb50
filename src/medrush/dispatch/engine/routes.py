"""Timing of one bundle: a courier's leg to the pickup, the pickup, then drop-offs in sequence."""

from __future__ import annotations

from collections.abc import Sequence

from medrush.dispatch.engine.model import DispatchParams, OpenOrder, Point, Stop
from medrush.dispatch.engine.travel import TravelModel

__all__ = ["bundle_offsets", "time_bundle"]


def bundle_offsets(orders: Sequence[OpenOrder], travel: TravelModel, params: DispatchParams) -> list[float]:
    """Minutes from the pickup minute to each drop-off minute, in delivery sequence."""
    half_pick = params.pickup_service / 2
    half_drop = params.dropoff_service / 2
    t = half_pick
    here = orders[0].pickup_xy
    out: list[float] = []
    for o in orders:
        t += travel.minutes(here, o.dropoff_xy) + half_drop
        out.append(t)
        t += half_drop
        here = o.dropoff_xy
    return out


def time_bundle(
    start_xy: Point,
    depart_at: float,
    orders: Sequence[OpenOrder],
    travel: TravelModel,
    params: DispatchParams,
) -> tuple[Stop, ...]:
    """Stops of a bundle when the courier leaves ``start_xy`` at ``depart_at``.

    Pickup happens at ``max(latest ready time, arrival + half the pickup service)`` so it is
    always strictly after the arrival minute; each drop-off is at arrival plus half the
    drop-off service and the courier leaves after the other half.
    """
    first = orders[0]
    half_pick = params.pickup_service / 2
    half_drop = params.dropoff_service / 2
    arrive = depart_at + travel.minutes(start_xy, first.pickup_xy)
    pickup = max(max(o.ready_at for o in orders), arrive + half_pick)
    leave = pickup + half_pick
    stops = [
        Stop(
            kind="pickup",
            place_id=first.pickup_id,
            xy=first.pickup_xy,
            arrive_at=arrive,
            service_at=pickup,
            depart_at=leave,
            order_ids=tuple(o.id for o in orders),
        )
    ]
    here = first.pickup_xy
    for o in orders:
        arrive = leave + travel.minutes(here, o.dropoff_xy)
        drop = arrive + half_drop
        leave = drop + half_drop
        stops.append(
            Stop(
                kind="dropoff",
                place_id=o.id,
                xy=o.dropoff_xy,
                arrive_at=arrive,
                service_at=drop,
                depart_at=leave,
                order_ids=(o.id,),
            )
        )
        here = o.dropoff_xy
    return tuple(stops)
