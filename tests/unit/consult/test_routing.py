"""Routing: priority, arrival order, eligibility, capacity, fairness; and its speed."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from medrush.consult import ClinicianSlot, WaitingRequest, assign

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def slot(n: int, *, modes=("doctor",), langs=("en",), specs=("general",), cap=2, active=0, last=None):
    return ClinicianSlot(uid(n), frozenset(modes), frozenset(langs), frozenset(specs), cap, active, last)


def req(n: int, *, mode="doctor", lang="en", spec="general", prio=2, minute=0):
    return WaitingRequest(uid(1000 + n), mode, lang, spec, prio, T0 + timedelta(minutes=minute))


def test_priority_before_arrival() -> None:
    pairs = assign([req(1, prio=2, minute=0), req(2, prio=1, minute=5)], [slot(1, cap=1)], T0)
    assert pairs == [(uid(1002), uid(1))]


def test_arrival_order_within_priority() -> None:
    pairs = assign([req(1, minute=3), req(2, minute=1)], [slot(1, cap=1)], T0)
    assert pairs == [(uid(1002), uid(1))]


def test_mode_language_and_specialty_must_match() -> None:
    clinicians = [slot(1, modes=("pharmacist",)), slot(2, langs=("zh",)), slot(3, specs=("dermatology",))]
    waiting = [req(1, lang="ko"), req(2, mode="pharmacist"), req(3, lang="zh"), req(4, spec="dermatology")]
    assert sorted(assign(waiting, clinicians, T0)) == sorted(
        [(uid(1002), uid(1)), (uid(1003), uid(2)), (uid(1004), uid(3))]
    )


def test_general_requests_go_to_specialists_too() -> None:
    assert assign([req(1)], [slot(7, specs=("pediatrics",))], T0) == [(uid(1001), uid(7))]


def test_capacity_is_never_exceeded() -> None:
    clinicians = [slot(1, cap=3, active=1), slot(2, cap=2)]
    pairs = assign([req(i, minute=i) for i in range(10)], clinicians, T0)
    assert len(pairs) == 4
    assert [c.active for c in clinicians] == [3, 2]


def test_fairness_least_recently_assigned_first() -> None:
    clinicians = [
        slot(1, last=T0 - timedelta(minutes=1)),
        slot(2, last=T0 - timedelta(minutes=30)),
        slot(3, last=None),
    ]
    pairs = assign(
        [req(1, minute=0), req(2, minute=1), req(3, minute=2)], clinicians, T0 + timedelta(hours=1)
    )
    assert [c for _, c in pairs] == [uid(3), uid(2), uid(1)]


def test_round_robin_spreads_load() -> None:
    clinicians = [slot(i, cap=5) for i in range(1, 4)]
    pairs = assign([req(i, minute=i) for i in range(6)], clinicians, T0)
    counts = {c: sum(1 for _, x in pairs if x == c) for c in (uid(1), uid(2), uid(3))}
    assert counts == {uid(1): 2, uid(2): 2, uid(3): 2}


def test_1000_requests_to_200_clinicians_fast() -> None:
    langs = ("en", "zh", "ko")
    clinicians = [
        slot(i, modes=("doctor", "pharmacist"), langs=(langs[i % 3], "en"), cap=6) for i in range(200)
    ]
    waiting = [
        req(i, mode=("doctor", "pharmacist")[i % 2], lang=langs[i % 3], prio=1 + i % 2, minute=i % 60)
        for i in range(1000)
    ]
    best = float("inf")
    for _ in range(3):
        fresh = [
            slot(i, modes=("doctor", "pharmacist"), langs=(langs[i % 3], "en"), cap=6) for i in range(200)
        ]
        started = time.perf_counter()
        pairs = assign(waiting, fresh, T0)
        best = min(best, time.perf_counter() - started)
    assert len(pairs) == 1000
    assert best < 0.1
    assert len(clinicians) == 200
