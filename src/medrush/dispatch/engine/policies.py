"""The two dispatch policies: a greedy baseline and the rolling-horizon optimiser.

``rolling`` follows the ideas of Reyes et al. (2018, "The Meal Delivery Routing Problem"):
orders of one pickup place are grouped into bundles whose target size grows with the ratio of
orders to couriers; bundles and couriers are matched by a min-cost assignment over a pruned
candidate set (``scipy.optimize.linear_sum_assignment``); a match is committed only when the
courier must leave before the next round, otherwise the orders come back next round, when more
is known. The cost is the click-to-door time of the bundle's orders, a penalty per minute past
each order's deadline and a charge for taking a courier away from a spot where open work is
plentiful and couriers are few. Before matching, orders may join a committed bundle of their
place whose pickup is still ahead; after matching, orders of a bundle may go alone to couriers
the assignment left without a job when that is cheaper.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from medrush.dispatch.engine.model import Assignment, CourierState, DispatchParams, OpenOrder, Snapshot, Stop
from medrush.dispatch.engine.routes import bundle_offsets, time_bundle
from medrush.dispatch.engine.travel import TravelModel

__all__ = ["POLICIES", "PolicyName", "estimate_eta", "plan_round"]

PolicyName = Literal["greedy", "rolling"]
POLICIES: tuple[PolicyName, ...] = ("greedy", "rolling")
_BIG = 1e12
FloatArray = npt.NDArray[np.float64]


def plan_round(
    snapshot: Snapshot,
    travel: TravelModel,
    policy: PolicyName = "rolling",
    params: DispatchParams | None = None,
) -> list[Assignment]:
    """Assignments to commit now for this snapshot (each order and courier at most once)."""
    p = params or DispatchParams()
    if policy == "greedy":
        return _greedy(snapshot, travel, p)
    if policy == "rolling":
        return _rolling(snapshot, travel, p)
    raise ValueError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")


def estimate_eta(
    snapshot: Snapshot,
    order: OpenOrder,
    travel: TravelModel,
    params: DispatchParams | None = None,
) -> float | None:
    """Drop-off minute the rolling policy would plan for one more order now (None: no courier).

    For a delivery promise before payment: the order is added to the snapshot and every match is
    treated as committed (no postponement), so the answer reflects the current fleet and queue.
    """
    p = dataclasses.replace(params or DispatchParams(), frequency=math.inf)
    probe = Snapshot(snapshot.now, (*snapshot.orders, order), snapshot.couriers)
    for a in _rolling(probe, travel, p):
        if order.id in a.order_ids:
            return a.etas[order.id]
    return None


def _order_key(o: OpenOrder) -> tuple[float, float, str]:
    return (o.ready_at, o.placed_at, o.id)


def _greedy(snap: Snapshot, travel: TravelModel, p: DispatchParams) -> list[Assignment]:
    """Closest pairs first between idle couriers and orders ready by the time a courier arrives.

    An order is eligible once the nearest idle courier, leaving now, would not arrive before it
    is ready; pairs are then taken in increasing travel time. No bundling, no look-ahead.
    """
    now = snap.now
    idle = [c for c in snap.couriers if c.free_at <= now and c.shift_end >= now]
    orders = sorted(snap.orders, key=_order_key)
    if not idle or not orders:
        return []
    cxy = np.array([c.xy for c in idle], dtype=np.float64)
    shift_end = np.array([c.shift_end for c in idle], dtype=np.float64)
    oxy = np.array([o.pickup_xy for o in orders], dtype=np.float64)
    ready = np.array([o.ready_at for o in orders], dtype=np.float64)
    minutes = travel.matrix(oxy, cxy)
    arrive = now + minutes + p.pickup_service / 2
    pickup = np.maximum(ready[:, None], arrive)
    cost = np.where(pickup <= shift_end[None, :], minutes, np.inf)
    eligible = ready <= now + cost.min(axis=1) + p.pickup_service / 2
    cost[~eligible, :] = np.inf
    flat = np.flatnonzero(np.isfinite(cost))
    flat = flat[np.argsort(cost.ravel()[flat], kind="stable")]  # ties: earlier order, then courier
    order_used = np.zeros(len(orders), dtype=bool)
    courier_used = np.zeros(len(idle), dtype=bool)
    out: list[Assignment] = []
    for i, j in zip(*np.divmod(flat, cost.shape[1]), strict=True):
        if order_used[i] or courier_used[j]:
            continue
        order_used[i] = courier_used[j] = True
        o, c = orders[int(i)], idle[int(j)]
        out.append(Assignment(c.id, (o.id,), now, time_bundle(c.xy, now, [o], travel, p)))
        if courier_used.all():
            break
    return out


def _bundle_cost(
    seq: Sequence[OpenOrder], offsets: Sequence[float], p: DispatchParams, first_pickup: float
) -> float:
    """Click-to-door plus lateness of a bundle picked up as soon as its last order is ready and
    a courier can be there (``first_pickup``)."""
    pickup = max(first_pickup, *(o.ready_at for o in seq))
    cost = 0.0
    for o, off in zip(seq, offsets, strict=True):
        drop = pickup + off
        cost += drop - o.placed_at + p.late_penalty * max(0.0, drop - o.deadline)
    return cost


def _build_bundles(
    orders: Sequence[OpenOrder],
    size: int,
    travel: TravelModel,
    p: DispatchParams,
    first_pickup: dict[str, float],
) -> list[list[OpenOrder]]:
    """Group orders by pickup place into ``ceil(n / size)`` bundles by cheapest insertion.

    Bundles are priced as picked up when their last order is ready, but not before the earliest
    minute any courier can pick up at the place (``first_pickup``): when every courier is far or
    busy, orders wait anyway, and waiting together for one courier costs them nothing more. An
    order only joins a bundle whose first order is ready (or can be picked up) at most
    ``bundle_window`` minutes before its own (so the first order does not wait long for its
    partner); when no bundle is within that window the order starts one more bundle.
    """
    by_place: dict[str, list[OpenOrder]] = defaultdict(list)
    for o in sorted(orders, key=_order_key):
        by_place[o.pickup_id].append(o)
    bundles: list[list[OpenOrder]] = []
    for place in sorted(by_place):
        group = by_place[place]
        n_bundles = math.ceil(len(group) / size)
        if n_bundles >= len(group):
            bundles.extend([o] for o in group)
            continue
        local: list[list[OpenOrder]] = []
        costs: list[float] = []
        first = first_pickup.get(place, -math.inf)
        for o in group:
            if len(local) < n_bundles:
                local.append([o])
                costs.append(_bundle_cost([o], bundle_offsets([o], travel, p), p, first))
                continue
            best: tuple[float, int, list[OpenOrder]] | None = None
            for k, b in enumerate(local):
                opens = max(first, min(x.ready_at for x in b))
                if len(b) >= size or max(first, o.ready_at) - opens > p.bundle_window:
                    continue
                for pos in range(len(b) + 1):
                    seq = [*b[:pos], o, *b[pos:]]
                    c = _bundle_cost(seq, bundle_offsets(seq, travel, p), p, first)
                    if best is None or c - costs[k] < best[0]:
                        best = (c - costs[k], k, seq)
            if best is None:  # no bundle within the ready window: the order starts its own
                local.append([o])
                costs.append(_bundle_cost([o], bundle_offsets([o], travel, p), p, first))
                continue
            _, k, seq = best
            local[k] = seq
            costs[k] += best[0]
        bundles.extend(local)
    return bundles


@dataclass(frozen=True, slots=True)
class _Match:
    """A solved bundles x couriers assignment with the matrices needed to commit it."""

    pairs: list[tuple[int, int]]
    leg: FloatArray
    free: FloatArray


@dataclass(frozen=True, slots=True)
class _Fleet:
    """A round's couriers as arrays, with the travel minutes to them from every pickup place."""

    xy: FloatArray
    free: FloatArray  # when each courier can leave: now, or when its route ends
    shift_end: FloatArray
    place_row: dict[str, int]
    legs: FloatArray  # pickup places x couriers
    reach: FloatArray  # pickup places x couriers: arrival there plus half the pickup service


def _fleet(
    orders: Sequence[OpenOrder],
    couriers: Sequence[CourierState],
    now: float,
    travel: TravelModel,
    p: DispatchParams,
) -> _Fleet:
    """The arrays of a round: one travel matrix from the orders' pickup places serves both the
    bundling (earliest pickups) and the matching (its rows gathered per bundle)."""
    places = {o.pickup_id: o.pickup_xy for o in orders}
    xy = np.array([c.xy for c in couriers], dtype=np.float64)
    free = np.maximum(now, np.array([c.free_at for c in couriers], dtype=np.float64))
    legs = travel.matrix(np.array(list(places.values()), dtype=np.float64), xy)
    reach = legs + free[None, :]
    reach += p.pickup_service / 2
    return _Fleet(
        xy=xy,
        free=free,
        shift_end=np.array([c.shift_end for c in couriers], dtype=np.float64),
        place_row={place: row for row, place in enumerate(places)},
        legs=legs,
        reach=reach,
    )


def _first_pickups(fleet: _Fleet) -> dict[str, float]:
    """Per pickup place, the earliest minute any courier could pick up there (places no courier
    can reach before its shift ends are left out)."""
    pickup = np.where(fleet.reach > fleet.shift_end[None, :], np.inf, fleet.reach)
    first = pickup.min(axis=1).tolist()
    return {place: first[row] for place, row in fleet.place_row.items() if math.isfinite(first[row])}


def _match(
    bundles: Sequence[Sequence[OpenOrder]],
    fleet: _Fleet,
    travel: TravelModel,
    p: DispatchParams,
) -> _Match:
    """Min-cost assignment of bundles to couriers over a pruned candidate set."""
    n_b = len(bundles)
    width = max(len(b) for b in bundles)
    offsets = np.zeros((n_b, width))
    placed = np.zeros((n_b, width))
    deadline = np.full((n_b, width), np.inf)
    valid = np.zeros((n_b, width), dtype=bool)
    ready = np.empty(n_b)
    place = np.empty(n_b, dtype=np.intp)
    for i, b in enumerate(bundles):
        k = len(b)
        offsets[i, :k] = bundle_offsets(b, travel, p)
        placed[i, :k] = [o.placed_at for o in b]
        deadline[i, :k] = [o.deadline for o in b]
        valid[i, :k] = True
        ready[i] = max(o.ready_at for o in b)
        place[i] = fleet.place_row[b[0].pickup_id]
    cxy, free, shift_end = fleet.xy, fleet.free, fleet.shift_end

    # bundles x couriers has millions of cells at city scale: rows of the fleet's place matrices
    leg = fleet.legs[place]
    reach = fleet.reach[place]
    pickup = np.maximum(reach, ready[:, None])  # waiting for the bundle: pickup - reach
    # Pruning: keep the `candidates` couriers with the earliest pickup (waiting charged) per
    # bundle; the exact cost is computed on those pairs only.
    key = pickup + p.wait_weight * (pickup - reach) if p.wait_weight else pickup.copy()
    key[pickup > shift_end[None, :]] = np.inf
    n_c = len(free)
    k_top = min(n_c, p.candidates)
    if k_top < n_c:
        idx = np.argpartition(key, k_top - 1, axis=1)[:, :k_top]
    else:
        idx = np.broadcast_to(np.arange(n_c), (n_b, n_c))
    rows = np.arange(n_b)[:, None]
    pk = pickup[rows, idx]
    feasible = np.isfinite(key[rows, idx])
    cost = p.wait_weight * (pk - reach[rows, idx])
    if p.scarcity_weight:
        # A courier with much open work and few colleagues near it is worth keeping there: using
        # it costs more than using one from a quiet or crowded spot that arrives as early.
        cols = np.unique(idx)
        work = (leg[:, cols] <= p.scarcity_radius).sum(axis=0)
        peers = (travel.matrix(cxy[cols], cxy) <= p.scarcity_radius).sum(axis=1)
        scarcity = np.zeros(n_c)
        scarcity[cols] = work / peers
        n_peers = np.ones(n_c)
        n_peers[cols] = peers
        # The bundle itself is not work the courier is taken away from when it lies in its spot.
        own = (leg[rows, idx] <= p.scarcity_radius) / n_peers[idx]
        cost = cost + p.scarcity_weight * (scarcity[idx] - own)
    for k in range(width):
        drop = pk + offsets[:, k, None]
        term = drop - placed[:, k, None] + p.late_penalty * np.maximum(0.0, drop - deadline[:, k, None])
        cost += np.where(valid[:, k, None], term, 0.0)
    # When bundles outnumber couriers the assignment also chooses which bundles wait; raw costs
    # would favour the freshest orders, so each row is measured against its own best courier,
    # plus a charge per courier minute per order (its nearest empty leg and the delivery run)
    # so that, in a backlog, short jobs go first.
    best = np.where(feasible, cost, np.inf).min(axis=1)
    job = offsets.max(axis=1) + np.where(feasible, leg[rows, idx], np.inf).min(axis=1)
    job = np.where(np.isfinite(job), job, 0.0) / valid.sum(axis=1)
    ref = np.where(np.isfinite(best), best, 0.0) - p.spt_weight * job
    cost = np.where(feasible, cost - ref[:, None], _BIG)
    cols, inverse = np.unique(idx, return_inverse=True)
    dense = np.full((n_b, len(cols)), _BIG)
    dense[rows, inverse.reshape(idx.shape)] = cost
    # imported here: scipy.optimize takes a second to import, which every `medrush` command paid
    from scipy.optimize import linear_sum_assignment

    r_idx, c_idx = linear_sum_assignment(dense)
    pairs = [
        (r, int(cols[c])) for r, c in zip(r_idx.tolist(), c_idx.tolist(), strict=True) if dense[r, c] < _BIG
    ]
    return _Match(pairs, leg, free)


def _rolling(snap: Snapshot, travel: TravelModel, p: DispatchParams) -> list[Assignment]:
    """One rolling-horizon round: bundle, match by min-cost assignment, commit what is urgent."""
    now = snap.now
    orders = [o for o in snap.orders if o.ready_at <= now + p.horizon]
    fleet = list(snap.couriers)
    out: list[Assignment] = []
    if p.join_slack >= 0 and orders:
        out, fleet = _join_open_pickups(now, orders, fleet, travel, p)
        taken = {oid for a in out for oid in a.order_ids}
        orders = [o for o in orders if o.id not in taken]
    couriers = [c for c in fleet if c.free_at <= now + p.horizon and c.shift_end >= now]
    if not orders or not couriers:
        return out
    size = int(min(p.max_bundle, max(1, math.ceil(p.bundle_factor * len(orders) / len(couriers)))))
    fleet_now = _fleet(orders, couriers, now, travel, p)
    bundles = _build_bundles(orders, size, travel, p, _first_pickups(fleet_now))
    m = _match(bundles, fleet_now, travel, p)
    jobs = _split_to_spare(bundles, couriers, m, travel, p)
    for seq, c in jobs:
        courier = couriers[c]
        depart = float(m.free[c])
        arrive = depart + travel.minutes(courier.xy, seq[0].pickup_xy)
        latest_start = max(o.ready_at for o in seq) - p.pickup_service / 2 - (arrive - depart)
        if max(depart, latest_start) >= now + p.frequency:
            continue  # not urgent: postpone, the next round may find a better match
        stops = time_bundle(courier.xy, depart, seq, travel, p)
        out.append(Assignment(courier.id, tuple(o.id for o in seq), depart, stops))
    return out


def _open_pickup(c: CourierState, now: float, p: DispatchParams) -> Stop | None:
    """The committed pickup ``c`` is heading to (or waiting at), if it may still take orders."""
    if not c.route or c.route[0].kind != "pickup" or c.route[0].service_at <= now:
        return None
    if len(c.route) - 1 >= p.max_bundle:
        return None
    return c.route[0]


def _join_open_pickups(
    now: float,
    orders: Sequence[OpenOrder],
    couriers: Sequence[CourierState],
    travel: TravelModel,
    p: DispatchParams,
) -> tuple[list[Assignment], list[CourierState]]:
    """Add orders to committed bundles whose pickup at the same place has not happened yet.

    A courier heading to (or waiting at) a pickup place can take an order of that place that is
    ready by the committed pickup minute: the pickup does not move, the committed drop-offs keep
    their minutes and the new order is delivered last. The order joins when its drop-off is at
    most ``join_slack`` minutes later than the earliest drop-off any courier could give it alone,
    since the courier saves the empty leg and the pickup service of a separate trip. Returns the
    extended routes as assignments (committed stops first, ``depart_at`` = now) and the couriers
    with their new free time and end position.
    """
    open_at: dict[str, list[int]] = defaultdict(list)
    for j, c in enumerate(couriers):
        stop = _open_pickup(c, now, p)
        if stop is not None:
            open_at[stop.place_id].append(j)
    cands = [o for o in sorted(orders, key=_order_key) if o.pickup_id in open_at]
    fleet = list(couriers)
    if not cands:
        return [], fleet
    cxy = np.array([c.xy for c in fleet], dtype=np.float64)
    free = np.maximum(now, np.array([c.free_at for c in fleet], dtype=np.float64))
    shift_end = np.array([c.shift_end for c in fleet], dtype=np.float64)
    half_pick = p.pickup_service / 2
    half_drop = p.dropoff_service / 2
    legs = travel.matrix(np.array([o.pickup_xy for o in cands], dtype=np.float64), cxy)
    routes: dict[int, tuple[Stop, ...]] = {}
    for i, o in enumerate(cands):
        pickup_alone = np.maximum(o.ready_at, free + legs[i] + half_pick)
        pickup_alone[pickup_alone > shift_end] = np.inf
        alone = float(pickup_alone.min()) + travel.minutes(o.pickup_xy, o.dropoff_xy) + half_drop
        best: tuple[float, int] | None = None
        for j in open_at[o.pickup_id]:
            route = routes.get(j, fleet[j].route)
            if len(route) - 1 >= p.max_bundle or o.ready_at > route[0].service_at:
                continue
            drop = route[-1].depart_at + travel.minutes(route[-1].xy, o.dropoff_xy) + half_drop
            if drop <= alone + p.join_slack and (best is None or drop < best[0]):
                best = (drop, j)
        if best is None:
            continue
        drop, j = best
        route = routes.get(j, fleet[j].route)
        pickup = dataclasses.replace(route[0], order_ids=(*route[0].order_ids, o.id))
        stop = Stop("dropoff", o.id, o.dropoff_xy, drop - half_drop, drop, drop + half_drop, (o.id,))
        routes[j] = (pickup, *route[1:], stop)
        free[j] = stop.depart_at
        fleet[j] = dataclasses.replace(fleet[j], xy=o.dropoff_xy, free_at=stop.depart_at, route=routes[j])
    out = [Assignment(fleet[j].id, route[0].order_ids, now, route) for j, route in sorted(routes.items())]
    return out, fleet


def _seq_cost(seq: Sequence[OpenOrder], pickup: float, travel: TravelModel, p: DispatchParams) -> float:
    """Click-to-door plus lateness of ``seq`` picked up at ``pickup`` and delivered in sequence."""
    cost = 0.0
    for o, off in zip(seq, bundle_offsets(seq, travel, p), strict=True):
        drop = pickup + off
        cost += drop - o.placed_at + p.late_penalty * max(0.0, drop - o.deadline)
    return cost


def _split_to_spare(
    bundles: Sequence[Sequence[OpenOrder]],
    couriers: Sequence[CourierState],
    m: _Match,
    travel: TravelModel,
    p: DispatchParams,
) -> list[tuple[list[OpenOrder], int]]:
    """The matched (bundle, courier) pairs, after moving orders to couriers left without a job.

    Bundles are sized from the ratio of orders to couriers, so a bundle may make its first order
    wait for its partner and its later ones ride the detour while a courier within the horizon
    has nothing to do. Such an order goes alone to the unmatched courier with the earliest pickup
    (shortest leg on a tie) when the two trips cost less (click-to-door, lateness and the waiting
    charge) than the bundle. Orders are taken out one at a time, best gain first.
    """
    used = np.zeros(len(couriers), dtype=bool)
    for _, c in m.pairs:
        used[c] = True
    shift_end = np.array([c.shift_end for c in couriers], dtype=np.float64)
    half = p.pickup_service / 2
    jobs: list[tuple[list[OpenOrder], int]] = []
    for r, c in m.pairs:
        seq = list(bundles[r])
        arrive = m.free + m.leg[r]
        while len(seq) > 1 and not used.all():
            current = _seq_cost(seq, max(max(o.ready_at for o in seq), arrive[c] + half), travel, p)
            best: tuple[float, int, int] | None = None
            for k, o in enumerate(seq):
                pickup = np.where(used, np.inf, np.maximum(o.ready_at, arrive + half))
                pickup[pickup > shift_end] = np.inf
                j = int(np.lexsort((m.leg[r], pickup))[0])
                if not np.isfinite(pickup[j]):
                    break
                rest = seq[:k] + seq[k + 1 :]
                rest_cost = _seq_cost(rest, max(max(x.ready_at for x in rest), arrive[c] + half), travel, p)
                wait = p.wait_weight * float(pickup[j] - half - arrive[j])
                gain = current - rest_cost - _seq_cost([o], float(pickup[j]), travel, p) - wait
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, k, j)
            if best is None:
                break
            _, k, j = best
            used[j] = True
            jobs.append(([seq[k]], j))
            seq = seq[:k] + seq[k + 1 :]
        jobs.append((seq, c))
    return jobs
