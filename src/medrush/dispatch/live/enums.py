"""States of couriers, delivery jobs and offers in the live dispatcher.

A delivery job::

    open --offer--> offered --accept--> assigned --pickup--> picked_up --drop-off--> delivered
     ^                 |                   |
     +-- decline, -----+                   |
     |   timeout,                          |
     |   withdrawn                         |
     +---- courier offline, silent --------+
           or falling behind
    (open, offered, assigned) --order cancelled--> cancelled

An offer is ``pending`` until the courier accepts or declines it, it times out (``expired``) or
the dispatcher takes it back (``withdrawn``: an order was cancelled or the courier went offline).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ACTIVE_JOB", "CourierStatus", "JobStatus", "OfferStatus", "Vehicle"]


class CourierStatus(StrEnum):
    """Whether a courier takes work now."""

    OFFLINE = "offline"
    ONLINE = "online"


class Vehicle(StrEnum):
    """How a courier moves (sets the speed used for ETAs)."""

    BICYCLE = "bicycle"
    SCOOTER = "scooter"
    CAR = "car"
    FOOT = "foot"


class JobStatus(StrEnum):
    """Where one delivery stands in the dispatcher."""

    OPEN = "open"
    OFFERED = "offered"
    ASSIGNED = "assigned"
    PICKED_UP = "picked_up"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class OfferStatus(StrEnum):
    """The courier's answer to an offer, or why it ended without one."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


ACTIVE_JOB = (JobStatus.OPEN, JobStatus.OFFERED, JobStatus.ASSIGNED, JobStatus.PICKED_UP)
# jobs a courier holds: on its route until dropped off or released
ON_ROUTE = (JobStatus.ASSIGNED, JobStatus.PICKED_UP)
