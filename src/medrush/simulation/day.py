"""A simulated day of one city: orders by hour (with an optional surge), the real dispatch engine
serving them with a courier roster, and the fleet and clinician roster that keep the promise.

The city is its pharmacies as stored (position, delivery radius, picking minutes, orders accepted
so far); customers are drawn uniformly inside a pharmacy's delivery area, pharmacies in proportion
to the orders they have accepted (plus one, so new shops get orders too). The day is turned into a
Grubhub-format instance (minutes from local midnight, planar metres) and run through the same
event-driven simulator and rolling-horizon engine as the MDRP benchmark, with the live platform's
travel speed, detour factor and service minutes. Every random draw comes from one seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from medrush.consult import staffing_for
from medrush.dispatch import (
    LiveParams,
    MdrpCourier,
    MdrpInstance,
    MdrpOrder,
    MdrpParams,
    MdrpSolution,
    latlng_of,
    planar_xy,
    simulate_instance,
)
from medrush.kernel.errors import InvalidInput
from medrush.orders import promise_at_hour
from medrush.settings import get_settings

__all__ = [
    "DEFAULT_PROFILE",
    "MAX_CONSULTS_PER_DAY",
    "MAX_COURIERS_PER_HOUR",
    "MAX_ORDERS_PER_DAY",
    "DayReport",
    "DayScenario",
    "HourRow",
    "SimPharmacy",
    "Surge",
    "build_day",
    "check_roster",
    "clinician_roster",
    "plan_day",
    "run_day",
    "shifts_for",
    "size_fleet",
]

# Relative orders per local hour, 00:00 to 23:00: an assumed shape for urgent medicine (a night
# trickle, a morning rise and an evening peak when people are home and pharmacies near them are
# closed). It is a starting point, not data: pass the city's own 24 numbers as ``profile``.
DEFAULT_PROFILE: tuple[float, ...] = (
    1.0, 0.7, 0.5, 0.4, 0.4, 0.5, 1.0, 2.0, 3.0, 3.5, 3.5, 3.5,
    3.5, 3.0, 3.0, 3.0, 3.5, 4.0, 5.0, 5.5, 5.5, 5.0, 3.5, 2.0,
)  # fmt: skip
MAX_SHIFT_HOURS = 8
MAX_ORDERS_PER_DAY = 100_000  # after any surge
MAX_CONSULTS_PER_DAY = 100_000
MAX_COURIERS_PER_HOUR = 5_000


@dataclass(frozen=True, slots=True)
class SimPharmacy:
    """A pharmacy as the simulation needs it."""

    id: str
    lat: float
    lng: float
    radius_m: float
    picking_minutes: int = 5
    weight: float = 1.0
    measured: bool = False  # picking_minutes is the median measured from its orders, not its setting


@dataclass(frozen=True, slots=True)
class Surge:
    """Demand times ``factor`` from ``start_hour`` up to (not including) ``end_hour``."""

    start_hour: int
    end_hour: int
    factor: float

    @classmethod
    def parse(cls, text: str) -> Surge:
        """``"18-21x2"``: hours 18, 19 and 20 at twice the demand."""
        try:
            hours, factor = text.lower().split("x")
            start, end = (int(h) for h in hours.split("-"))
            surge = cls(start, end, float(factor))
        except ValueError:
            raise InvalidInput(
                "surge {text!r} is not START-ENDxFACTOR, e.g. 18-21x2", code="bad_surge", text=text
            ) from None
        if not (0 <= surge.start_hour < surge.end_hour <= 24) or not 0 < surge.factor <= 20:
            raise InvalidInput(
                "surge {text!r}: hours must be 0 <= start < end <= 24 and the factor above 0, at most 20",
                code="bad_surge",
                text=text,
            )
        return surge


@dataclass(frozen=True, slots=True)
class DayScenario:
    """What to simulate: demand, its shape and the promise (day and night minutes)."""

    orders_per_day: int
    profile: tuple[float, ...] = DEFAULT_PROFILE
    surge: Surge | None = None
    consults_per_day: int = 0
    consult_minutes: float = 8.0
    day_start_hour: int = 7
    night_start_hour: int = 22
    promise_day: int = 30
    promise_night: int = 60
    target_on_time: float = 0.95
    seed: int = 1

    def __post_init__(self) -> None:
        if len(self.profile) != 24 or min(self.profile) < 0 or sum(self.profile) <= 0:
            raise InvalidInput("the profile needs 24 non-negative numbers, not all zero", code="bad_profile")
        if not self.orders_per_day > 0 or self.expected_orders > MAX_ORDERS_PER_DAY:
            raise InvalidInput(
                "orders per day must be 1 to {limit}, a surge included",
                code="bad_orders",
                limit=MAX_ORDERS_PER_DAY,
            )
        if not 0 <= self.consults_per_day <= MAX_CONSULTS_PER_DAY or self.consult_minutes <= 0:
            raise InvalidInput(
                "consultations per day must be 0 to {limit}", code="bad_consults", limit=MAX_CONSULTS_PER_DAY
            )
        if not 0 < self.target_on_time <= 1:
            raise InvalidInput("the on-time target is a share between 0 and 1", code="bad_target")
        if not 0 <= self.seed < 2**32:
            raise InvalidInput("the seed must be a whole number from 0 to 4294967295", code="bad_seed")

    @classmethod
    def configured(
        cls,
        orders_per_day: int,
        surge: str | None = None,
        consults_per_day: int = 0,
        target_on_time: float = 0.95,
        seed: int = 1,
    ) -> DayScenario:
        """A scenario with the platform's promise settings (day and night hours and minutes) and a
        surge written as ``START-ENDxFACTOR``."""
        settings = get_settings()
        return cls(
            orders_per_day=orders_per_day,
            surge=Surge.parse(surge) if surge else None,
            consults_per_day=consults_per_day,
            day_start_hour=settings.day_start_hour,
            night_start_hour=settings.night_start_hour,
            promise_day=settings.promise_day_minutes,
            promise_night=settings.promise_night_minutes,
            target_on_time=target_on_time,
            seed=seed,
        )

    @property
    def expected_orders(self) -> float:
        """The orders the day should hold, the surge included (each hour's count is drawn around it)."""
        return sum(self.hourly(self.orders_per_day))

    def hourly(self, total: float) -> list[float]:
        """``total`` spread over the hours by the profile, the surge applied on top."""
        weights = list(self.profile)
        if self.surge is not None:
            for h in range(self.surge.start_hour, self.surge.end_hour):
                weights[h] *= self.surge.factor
        base = total / sum(self.profile)  # a surge adds demand; it does not move it
        return [w * base for w in weights]

    def promise_at(self, hour: int) -> int:
        """The promised minutes for an order placed in this local hour (the platform's own rule)."""
        return promise_at_hour(
            hour,
            day_start_hour=self.day_start_hour,
            night_start_hour=self.night_start_hour,
            day_minutes=self.promise_day,
            night_minutes=self.promise_night,
        )


@dataclass(frozen=True, slots=True)
class HourRow:
    """One local hour of a simulated day."""

    hour: int
    orders: int
    couriers: int
    promise: int
    on_time_pct: float
    click_to_door_mean: float | None
    click_to_door_p90: float | None
    clinicians: int | None = None
    consult_wait_seconds: float | None = None


@dataclass(slots=True)
class DayReport:
    """A simulated day: per-hour figures and totals."""

    hours: list[HourRow]
    orders: int
    delivered: int
    on_time_pct: float
    courier_hours: int
    couriers_by_hour: list[int]
    iterations: int = 1
    meets_target: bool = False
    notes: list[str] = field(default_factory=list)
    late_hours: list[int] = field(default_factory=list)  # hours below the target when sizing stopped

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "orders": self.orders,
            "delivered": self.delivered,
            "on_time_pct": round(self.on_time_pct, 2),
            "courier_hours": self.courier_hours,
            "couriers_by_hour": self.couriers_by_hour,
            "meets_target": self.meets_target,
            "iterations": self.iterations,
            "hours": [
                {
                    "hour": r.hour,
                    "orders": r.orders,
                    "couriers": r.couriers,
                    "promise_minutes": r.promise,
                    "on_time_pct": round(r.on_time_pct, 2),
                    "click_to_door_mean": None
                    if r.click_to_door_mean is None
                    else round(r.click_to_door_mean, 2),
                    "click_to_door_p90": r.click_to_door_p90,
                    "clinicians": r.clinicians,
                    "consult_wait_seconds": None
                    if r.consult_wait_seconds is None
                    else round(r.consult_wait_seconds, 1),
                }
                for r in self.hours
            ],
            "late_hours": self.late_hours,
            "notes": self.notes,
        }


def _live() -> LiveParams:
    return LiveParams()


def _travel_speed() -> float:
    live = _live()
    return live.city_speed / live.detour  # straight-line metres per minute


def _centre(pharmacies: Sequence[SimPharmacy]) -> tuple[float, float]:
    return (
        sum(p.lat for p in pharmacies) / len(pharmacies),
        sum(p.lng for p in pharmacies) / len(pharmacies),
    )


def check_roster(couriers_by_hour: Sequence[int]) -> None:
    """Refuse a roster that is not 24 counts of 0 to ``MAX_COURIERS_PER_HOUR`` couriers."""
    if len(couriers_by_hour) != 24 or not all(0 <= n <= MAX_COURIERS_PER_HOUR for n in couriers_by_hour):
        raise InvalidInput(
            "the roster needs 24 courier counts, each 0 to {limit}",
            code="bad_roster",
            limit=MAX_COURIERS_PER_HOUR,
        )


def shifts_for(couriers_by_hour: Sequence[int]) -> list[tuple[int, int]]:
    """Courier shifts (start hour, end hour) covering ``couriers_by_hour``, at most 8 hours each.

    The roster is cut in layers: the k-th courier of an hour belongs to the run of consecutive
    hours that need at least k couriers, and runs longer than a shift are split.
    """
    shifts: list[tuple[int, int]] = []
    for level in range(1, max(couriers_by_hour, default=0) + 1):
        start: int | None = None
        for h in range(len(couriers_by_hour) + 1):
            on = h < len(couriers_by_hour) and couriers_by_hour[h] >= level
            if on and start is None:
                start = h
            elif not on and start is not None:
                for s in range(start, h, MAX_SHIFT_HOURS):
                    shifts.append((s, min(h, s + MAX_SHIFT_HOURS)))
                start = None
    return shifts


def build_day(
    pharmacies: Sequence[SimPharmacy], scenario: DayScenario, couriers_by_hour: Sequence[int]
) -> MdrpInstance:
    """The day as an instance: minutes from local midnight, metres from the pharmacies' centre.

    Couriers start at a pharmacy drawn like the orders; a shift covering 23:00 runs on to 01:00
    so the last orders of the day are delivered.
    """
    if not pharmacies:
        raise InvalidInput("no pharmacies to simulate", code="no_pharmacies")
    check_roster(couriers_by_hour)
    rng = np.random.default_rng(scenario.seed)
    lat0, lng0 = _centre(pharmacies)
    places = {f"p{i}": planar_xy(p.lat, p.lng, lat0, lng0) for i, p in enumerate(pharmacies)}
    keys = list(places)
    weights = np.array([max(p.weight, 0.0) + 1.0 for p in pharmacies], dtype=np.float64)
    weights /= weights.sum()
    orders: list[MdrpOrder] = []
    for hour, mean in enumerate(scenario.hourly(scenario.orders_per_day)):
        for _ in range(int(rng.poisson(mean))):
            k = int(rng.choice(len(pharmacies), p=weights))
            shop = pharmacies[k]
            angle = rng.uniform(0, 2 * math.pi)
            reach = shop.radius_m * math.sqrt(rng.uniform(0, 1))
            px, py = places[keys[k]]
            placed = hour * 60 + int(rng.integers(0, 60))
            picking = max(1, shop.picking_minutes + int(rng.integers(-2, 4)))
            orders.append(
                MdrpOrder(
                    f"o{len(orders) + 1}",
                    px + reach * math.cos(angle),
                    py + reach * math.sin(angle),
                    placed,
                    keys[k],
                    placed + picking,
                )
            )
    couriers = []
    for n, (start, end) in enumerate(shifts_for(couriers_by_hour)):
        k = int(rng.choice(len(pharmacies), p=weights))
        x, y = places[keys[k]]
        off = end * 60 + (60 if end == 24 else 0)
        couriers.append(MdrpCourier(f"c{n + 1}", x, y, start * 60, off))
    live = _live()
    params = MdrpParams(
        metres_per_minute=_travel_speed(),
        pickup_service=round(live.engine.pickup_service),
        dropoff_service=round(live.engine.dropoff_service),
        target=scenario.promise_day,
        maximum=3 * max(scenario.promise_day, scenario.promise_night),
        pay_per_order=0.0,
        pay_per_hour=0.0,
    )
    orders.sort(key=lambda o: (o.placement_time, o.id))
    return MdrpInstance("day", tuple(orders), places, tuple(couriers), params)


def _percentile(values: list[int], q: float) -> float:
    return float(np.percentile(np.array(values, dtype=np.float64), q))


def clinician_roster(scenario: DayScenario) -> list[tuple[int, float] | None]:
    """Clinicians per hour for the consultations (90 % answered within 2 minutes, Erlang C)."""
    return list(_clinicians(scenario))


@lru_cache(maxsize=8)
def _clinicians(scenario: DayScenario) -> tuple[tuple[int, float] | None, ...]:
    # the roster depends on the scenario alone: sizing the fleet simulates the same day many times
    if scenario.consults_per_day == 0:
        return (None,) * 24
    return tuple(
        (advice.clinicians, advice.mean_wait_seconds)
        for advice in (
            staffing_for(n, scenario.consult_minutes) for n in scenario.hourly(scenario.consults_per_day)
        )
    )


def _simulated(
    pharmacies: Sequence[SimPharmacy], scenario: DayScenario, couriers_by_hour: Sequence[int]
) -> tuple[MdrpInstance, MdrpSolution]:
    """The day's instance and the rolling policy's solution of it; each order is dispatched
    against its own hour's promise (30 minutes by day, 60 at night)."""
    instance = build_day(pharmacies, scenario, couriers_by_hour)
    return instance, simulate_instance(
        instance, "rolling", promise=lambda minute: scenario.promise_at(minute // 60)
    )


def run_day(
    pharmacies: Sequence[SimPharmacy], scenario: DayScenario, couriers_by_hour: Sequence[int]
) -> DayReport:
    """Simulate the day with this courier roster and measure each hour against its promise."""
    instance, solution = _simulated(pharmacies, scenario, couriers_by_hour)
    dropped = {r.order: r.dropoff_time for r in solution.orders}
    by_hour: list[list[int | None]] = [[] for _ in range(24)]
    for o in instance.orders:
        drop = dropped.get(o.id)
        by_hour[o.placement_time // 60].append(None if drop is None else drop - o.placement_time)
    roster = clinician_roster(scenario)
    rows: list[HourRow] = []
    on_time_total = 0
    for hour, waits in enumerate(by_hour):
        promise = scenario.promise_at(hour)
        done = [w for w in waits if w is not None]
        on_time = sum(1 for w in done if w <= promise)
        on_time_total += on_time
        staff = roster[hour]
        rows.append(
            HourRow(
                hour=hour,
                orders=len(waits),
                couriers=int(couriers_by_hour[hour]),
                promise=promise,
                on_time_pct=100.0 * on_time / len(waits) if waits else 100.0,
                click_to_door_mean=sum(done) / len(done) if done else None,
                click_to_door_p90=_percentile(done, 90) if done else None,
                clinicians=None if staff is None else staff[0],
                consult_wait_seconds=None if staff is None else staff[1],
            )
        )
    total = len(instance.orders)
    on_time_pct = 100.0 * on_time_total / total if total else 100.0
    return DayReport(
        hours=rows,
        orders=total,
        delivered=len(dropped),
        on_time_pct=on_time_pct,
        courier_hours=int(sum(couriers_by_hour)),
        couriers_by_hour=[int(n) for n in couriers_by_hour],
        meets_target=all(r.on_time_pct >= 100 * scenario.target_on_time for r in rows if r.orders),
    )


@dataclass(frozen=True, slots=True)
class ServedOrder:
    """One delivered order of a simulated day (minutes from local midnight, drop-off in degrees) and
    the courier shift that carried it (``courier`` names the shift; it may run over its end to
    finish what it picked up)."""

    pharmacy_id: str
    lat: float
    lng: float
    placed: int
    ready: int
    picked_up: int
    delivered: int
    promise: int
    courier: str = ""
    shift_start: int = 0
    shift_end: int = 0


def served_orders(
    pharmacies: Sequence[SimPharmacy], scenario: DayScenario, couriers_by_hour: Sequence[int]
) -> list[ServedOrder]:
    """The delivered orders of the day with this roster, one by one, as the dispatch engine served
    them (what ``run_day`` sums up per hour): a realistic past day, for the demo's history."""
    instance, solution = _simulated(pharmacies, scenario, couriers_by_hour)
    lat0, lng0 = _centre(pharmacies)
    placed = {o.id: o for o in instance.orders}
    shifts = {c.id: c for c in instance.couriers}
    served = []
    for record in solution.orders:
        order = placed[record.order]
        lat, lng = latlng_of(order.x, order.y, lat0, lng0)
        served.append(
            ServedOrder(
                pharmacy_id=pharmacies[int(order.restaurant[1:])].id,
                lat=lat,
                lng=lng,
                placed=record.placement_time,
                ready=record.ready_time,
                picked_up=record.pickup_time,
                delivered=record.dropoff_time,
                promise=scenario.promise_at(record.placement_time // 60),
                courier=record.courier,
                shift_start=shifts[record.courier].on_time,
                shift_end=shifts[record.courier].off_time,
            )
        )
    return sorted(served, key=lambda o: (o.placed, o.delivered))


def _first_guess(pharmacies: Sequence[SimPharmacy], scenario: DayScenario) -> list[int]:
    """Couriers per hour if each job took a round trip of the mean delivery distance and couriers
    were never idle: a low start for the search below."""
    mean_radius = sum(p.radius_m for p in pharmacies) / len(pharmacies)
    live = _live()
    job = (
        2 * (2 / 3 * mean_radius) / _travel_speed() + live.engine.pickup_service + live.engine.dropoff_service
    )
    return [max(1, math.ceil(n * job / 60)) for n in scenario.hourly(scenario.orders_per_day)]


def _failing(report: DayReport, target: float) -> set[int]:
    return {r.hour for r in report.hours if r.orders and r.on_time_pct < 100 * target}


def size_fleet(
    pharmacies: Sequence[SimPharmacy],
    scenario: DayScenario,
    *,
    max_iterations: int = 14,
    start: Sequence[int] | None = None,
    progress: Callable[[int, DayReport], None] | None = None,
) -> DayReport:
    """The courier roster per hour at which every hour keeps ``target_on_time`` of its promises.

    From a low estimate (or ``start``) the day is simulated and every hour below the target gets
    15 % more couriers (at least one) until all hours meet it; then every hour gives back a fifth
    of its couriers (a tenth after the first cut that breaks the day; at least one, never below
    one courier) while the day still meets the target, an hour whose cut breaks the day getting
    its couriers back for good. The same orders are drawn every time (one seed), so only the
    roster changes. ``iterations`` counts the simulated days; ``progress`` hears of each.
    """
    iterations = 0

    def simulated(trial: list[int]) -> DayReport:
        nonlocal iterations
        iterations += 1
        day = run_day(pharmacies, scenario, trial)
        if progress is not None:
            progress(iterations, day)
        return day

    target = scenario.target_on_time
    roster = [max(1, int(n)) for n in start] if start is not None else _first_guess(pharmacies, scenario)
    report = simulated(roster)
    while not report.meets_target and iterations < max_iterations:
        for hour in _failing(report, target):
            roster[hour] += max(1, math.ceil(0.15 * roster[hour]))
        report = simulated(roster)
    frozen: set[int] = set()
    share = 5
    while report.meets_target and iterations < max_iterations:
        cut = [h for h in range(24) if roster[h] > 1 and h not in frozen]
        if not cut:
            break
        trial = list(roster)
        for h in cut:
            trial[h] -= max(1, roster[h] // share)
        attempt = simulated(trial)
        broken = _failing(attempt, target)
        if not broken:
            roster, report = trial, attempt
            continue
        share = 10
        # give the cut back where the day broke, and to the hour before (its couriers serve the
        # first minutes of the next); those hours stay as they are from now on
        frozen |= broken | {h - 1 for h in broken if h > 0}
        trial = [roster[h] if h in frozen else trial[h] for h in range(24)]
        if trial == roster:
            break
        attempt = simulated(trial)
        if attempt.meets_target:
            roster, report = trial, attempt
    report.iterations = iterations
    if not report.meets_target:
        late = sorted(_failing(report, target))
        report.late_hours = late
        report.notes.append(
            f"hours {', '.join(f'{h:02d}:00' for h in late)} stay below the target after {iterations} "
            "simulated days: their promise may be shorter than picking plus the ride from the far edge "
            "of the delivery areas"
        )
    return report


def plan_day(
    pharmacies: Sequence[SimPharmacy],
    scenario: DayScenario,
    couriers_by_hour: Sequence[int] | None = None,
    max_days: int = 14,
) -> DayReport:
    """The day with the given roster, or with the fleet sized for it when none is given.

    A plain module-level function of picklable values, so a web process can run it in a child
    process.
    """
    if couriers_by_hour is not None:
        return run_day(pharmacies, scenario, couriers_by_hour)
    return size_fleet(pharmacies, scenario, max_iterations=max_days)
