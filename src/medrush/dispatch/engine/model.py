"""The engine's plain input and output records: a snapshot in, assignments with ETAs out.

Times are minutes on any common origin (floats allowed), positions are planar metres. The engine
knows no clock, no database and no HTTP: the MDRP simulator and the live platform both build a
``Snapshot`` and commit the ``Assignment`` values it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Assignment", "CourierState", "DispatchParams", "OpenOrder", "Point", "Snapshot", "Stop"]

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """An order known to the dispatcher and not yet committed to a courier."""

    id: str
    pickup_id: str
    pickup_xy: Point
    dropoff_xy: Point
    placed_at: float
    ready_at: float
    deadline: float


@dataclass(frozen=True, slots=True)
class Stop:
    """One planned stop: arrival, the service minute (pickup or drop-off) and departure."""

    kind: Literal["pickup", "dropoff"]
    place_id: str
    xy: Point
    arrive_at: float
    service_at: float
    depart_at: float
    order_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CourierState:
    """A courier as the engine sees it: where and when it becomes free, and its shift end.

    ``route``: the committed stops; when it starts with a pickup not made yet, the rolling policy
    may add orders of that place to it (see ``Assignment``).
    """

    id: str
    xy: Point
    free_at: float
    shift_end: float
    route: tuple[Stop, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one dispatch round looks at."""

    now: float
    orders: tuple[OpenOrder, ...]
    couriers: tuple[CourierState, ...]


@dataclass(frozen=True, slots=True)
class Assignment:
    """A commitment: a courier leaves ``depart_at`` for one pickup, then delivers in sequence.

    When the courier's ``CourierState.route`` starts with a pickup that has not happened yet, an
    assignment may extend that route instead: its stops begin with the committed ones unchanged
    (the pickup stop listing the added orders too), the new drop-offs follow, and ``depart_at``
    is the minute of the extension.
    """

    courier_id: str
    order_ids: tuple[str, ...]
    depart_at: float
    stops: tuple[Stop, ...]

    @property
    def pickup_at(self) -> float:
        """Minute of the (single) pickup of the bundle."""
        return self.stops[0].service_at

    @property
    def etas(self) -> dict[str, float]:
        """Planned drop-off minute of every order of the bundle."""
        return {s.order_ids[0]: s.service_at for s in self.stops[1:]}


@dataclass(frozen=True, slots=True)
class DispatchParams:
    """Tunable knobs of both policies; defaults follow the MDRP rules and our tuning runs.

    ``frequency``: minutes between rounds (a match is committed only if the courier must leave
    before the next one); ``horizon``: how far ahead orders (by ready time) and couriers (by
    free time) are looked at; ``bundle_factor`` x orders/couriers is the target bundle size,
    capped by ``max_bundle``; ``late_penalty``: extra cost per minute past an order's deadline;
    ``wait_weight``: cost per courier minute spent waiting at a pickup; ``candidates``: couriers
    kept per bundle after pruning; ``spt_weight``: when bundles outnumber couriers, extra cost per
    courier minute per order of a bundle, so shorter jobs go first (shortest-processing-time
    order lowers the mean wait of a queue). ``join_slack``: an order may join a committed bundle
    of its pickup place whose pickup has not happened yet (and is not before the order is ready)
    when its drop-off is at most this many minutes later than alone (negative: never);
    ``scarcity_weight`` x (open bundles within ``scarcity_radius`` travel minutes of a courier,
    other than the one priced / couriers within that radius) is charged for using that courier,
    so couriers where work is plentiful and colleagues are few are kept there.
    ``bundle_window``: orders whose ready times are more than this many minutes apart are not put
    in one bundle.
    """

    pickup_service: float = 4.0
    dropoff_service: float = 4.0
    frequency: float = 1.0
    horizon: float = 20.0
    max_bundle: int = 3
    bundle_factor: float = 2.0
    late_penalty: float = 0.5
    wait_weight: float = 0.0
    candidates: int = 20
    spt_weight: float = 3.0
    join_slack: float = 5.0
    scarcity_weight: float = 6.0
    scarcity_radius: float = 10.0
    bundle_window: float = 8.0
