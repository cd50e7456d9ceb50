"""Staffing by Erlang C: how many clinicians keep a target such as "90 % answered within 2 minutes".

A clinician runs several chats at once; the queue is modelled as ``clinicians * chats_each``
servers, each holding one conversation for the mean handling time. This is the classic M/M/c
model with c servers; ``bench/consult_staffing.py`` checks it against a simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["StaffingAdvice", "erlang_c", "service_level", "staffing_for"]


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits, with ``servers`` servers and offered load ``load`` Erlangs."""
    if servers <= 0:
        return 1.0
    if load <= 0:
        return 0.0
    if load >= servers:
        return 1.0
    # Erlang B by the stable recurrence, then C from B.
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return servers * b / (servers - load * (1 - b))


def service_level(servers: int, arrivals_per_min: float, handle_min: float, target_min: float) -> float:
    """Share of arrivals answered within ``target_min`` minutes."""
    load = arrivals_per_min * handle_min
    if load >= servers:
        return 0.0
    wait = erlang_c(servers, load)
    return 1.0 - wait * math.exp(-(servers - load) * target_min / handle_min)


@dataclass(frozen=True, slots=True)
class StaffingAdvice:
    """How many clinicians to roster and what they achieve."""

    clinicians: int
    servers: int
    service_level: float
    probability_wait: float
    mean_wait_seconds: float
    occupancy: float


def staffing_for(
    arrivals_per_hour: float,
    handle_minutes: float,
    *,
    target_seconds: float = 120,
    target_level: float = 0.9,
    chats_each: int = 3,
) -> StaffingAdvice:
    """The fewest clinicians meeting the target (``chats_each`` parallel chats per clinician)."""
    if arrivals_per_hour < 0 or handle_minutes <= 0 or chats_each < 1:
        raise ValueError("arrivals must be >= 0, handling time and chats per clinician > 0")
    rate = arrivals_per_hour / 60
    load = rate * handle_minutes
    clinicians = max(1, math.ceil(load / chats_each))
    while True:
        servers = clinicians * chats_each
        level = service_level(servers, rate, handle_minutes, target_seconds / 60)
        if level >= target_level and servers > load:
            wait = erlang_c(servers, load)
            mean_wait = wait * handle_minutes / (servers - load) * 60
            return StaffingAdvice(clinicians, servers, level, wait, mean_wait, load / servers)
        clinicians += 1
