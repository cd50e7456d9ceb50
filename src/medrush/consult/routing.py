"""Queue routing as a pure function: who takes which waiting consultation.

Waiting requests are served by priority (triage), then by arrival. Each goes to an eligible
clinician (online, right mode and language, specialty matching or ``general``, a free chat slot);
among those, the one assigned least recently wins (fairness), then the one with fewer open chats.
Clinicians are indexed by (mode, language), so 1,000 requests and 200 clinicians route in a few
milliseconds.
"""

from __future__ import annotations

import heapq
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

__all__ = ["ClinicianSlot", "WaitingRequest", "assign"]

GENERAL = "general"
_NEVER = datetime.min


@dataclass(slots=True)
class ClinicianSlot:
    """A clinician as routing sees them (``active`` and ``last_assigned_at`` change as it assigns)."""

    user_id: uuid.UUID
    modes: frozenset[str]
    languages: frozenset[str]
    specialties: frozenset[str]
    capacity: int
    active: int
    last_assigned_at: datetime | None


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """A consultation waiting in the queue."""

    consultation_id: uuid.UUID
    mode: str
    language: str
    specialty: str
    priority: int
    created_at: datetime


_Entry = tuple[tuple[datetime, int, str], int, ClinicianSlot]


def _fits(slot: ClinicianSlot, specialty: str) -> bool:
    if slot.active >= slot.capacity:
        return False
    return specialty == GENERAL or specialty in slot.specialties or not slot.specialties


def _key(slot: ClinicianSlot) -> tuple[datetime, int, str]:
    last = slot.last_assigned_at.replace(tzinfo=None) if slot.last_assigned_at else _NEVER
    return (last, slot.active, str(slot.user_id))


def assign(
    waiting: list[WaitingRequest], clinicians: list[ClinicianSlot], now: datetime
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Pairs (consultation_id, clinician user_id) to make now; ``clinicians`` are updated in place.

    Each (mode, language) pool is a heap ordered by the fairness key; entries go stale when a
    clinician is assigned and are skipped lazily, so a request costs O(log n) in the usual case.
    """
    pools: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    memberships: dict[int, list[tuple[str, str]]] = {}
    counter = 0
    for slot in clinicians:
        keys = [(mode, language) for mode in slot.modes for language in slot.languages]
        memberships[id(slot)] = keys
        if slot.active < slot.capacity:
            for pool_key in keys:
                pools[pool_key].append((_key(slot), counter, slot))
                counter += 1
    for pool in pools.values():
        heapq.heapify(pool)
    pairs: list[tuple[uuid.UUID, uuid.UUID]] = []
    for request in sorted(waiting, key=lambda r: (r.priority, r.created_at, str(r.consultation_id))):
        heap = pools.get((request.mode, request.language)) or []
        if not heap:
            continue
        skipped: list[_Entry] = []
        chosen: ClinicianSlot | None = None
        while heap:
            entry = heapq.heappop(heap)
            slot = entry[2]
            if entry[0] != _key(slot) or slot.active >= slot.capacity:
                continue  # stale: a fresher entry exists, or the clinician is full
            if not _fits(slot, request.specialty):
                skipped.append(entry)
                continue
            chosen = slot
            break
        for entry in skipped:
            heapq.heappush(heap, entry)
        if chosen is None:
            continue
        chosen.active += 1
        chosen.last_assigned_at = now
        pairs.append((request.consultation_id, chosen.user_id))
        if chosen.active < chosen.capacity:
            fresh = _key(chosen)
            for pool_key in memberships[id(chosen)]:
                heapq.heappush(pools[pool_key], (fresh, counter, chosen))
                counter += 1
    return pairs
