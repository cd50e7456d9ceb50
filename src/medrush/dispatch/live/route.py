"""A courier's remaining route from its position and its jobs, with the time of every stop.

Jobs already picked up are delivered first in their sequence; each accepted bundle (one offer)
then adds one pickup at its pharmacy followed by its drop-offs, in sequence. The same timing
rule as the engine: half the service time on arrival, half before leaving.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from medrush.dispatch.live.geo import CityTravel

__all__ = ["RouteJob", "RouteStop", "plan_route"]


@dataclass(frozen=True, slots=True)
class RouteJob:
    """What route timing needs of one active job."""

    id: uuid.UUID
    offer_id: uuid.UUID | None
    seq: int
    picked_up: bool
    pharmacy_lat: float
    pharmacy_lng: float
    dropoff_lat: float
    dropoff_lng: float
    ready_at: datetime


@dataclass(frozen=True, slots=True)
class RouteStop:
    """One stop of the remaining route, with its planned service time."""

    kind: Literal["pickup", "dropoff"]
    job_ids: tuple[uuid.UUID, ...]
    lat: float
    lng: float
    at: datetime


def plan_route(
    lat: float,
    lng: float,
    now: datetime,
    jobs: list[RouteJob],
    travel: CityTravel,
    *,
    pickup_service: float = 2.0,
    dropoff_service: float = 2.0,
) -> list[RouteStop]:
    """Stops in visiting order, timed from ``now`` at ``(lat, lng)``."""
    ordered = sorted(jobs, key=lambda j: (not j.picked_up, j.seq, str(j.id)))
    stops: list[RouteStop] = []
    t = now
    here = (lat, lng)
    picked_groups: set[uuid.UUID | None] = set()
    for job in ordered:
        if not job.picked_up and job.offer_id not in picked_groups:
            picked_groups.add(job.offer_id)
            group = [j for j in ordered if not j.picked_up and j.offer_id == job.offer_id]
            t += timedelta(minutes=travel.minutes_latlng(*here, job.pharmacy_lat, job.pharmacy_lng))
            ready = max(j.ready_at for j in group)
            service = max(t + timedelta(minutes=pickup_service / 2), ready)
            stops.append(
                RouteStop("pickup", tuple(j.id for j in group), job.pharmacy_lat, job.pharmacy_lng, service)
            )
            t = service + timedelta(minutes=pickup_service / 2)
            here = (job.pharmacy_lat, job.pharmacy_lng)
        t += timedelta(minutes=travel.minutes_latlng(*here, job.dropoff_lat, job.dropoff_lng))
        service = t + timedelta(minutes=dropoff_service / 2)
        stops.append(RouteStop("dropoff", (job.id,), job.dropoff_lat, job.dropoff_lng, service))
        t = service + timedelta(minutes=dropoff_service / 2)
        here = (job.dropoff_lat, job.dropoff_lng)
    return stops
