"""Demo data for `medrush demo`: one account per role, a family, each domain's own demo set, and
the last day of the demo city as history.

The history is a simulated day (``medrush.simulation``: demand by hour over the city's pharmacies,
a courier roster sized to keep 95 % of promises, the real dispatch engine serving it), laid over
the 24 hours before the demo was loaded and written as delivered orders and deliveries. So the
operator's on-time rate by hour shows a day, the orders have lines and payments from the shops'
own shelves, and the next planned day measures the pharmacies' preparation times from them.

The day has its people. Each order belongs to a customer: the demo customer has the few nearest
her home, history customers (``customer.001@demo.medrush.org`` on, one profile each) the rest, each
order to the one living nearest its drop-off. Each delivery is carried by a courier account that
worked the simulated shift carrying it (``_rota``): the demo couriers that ride first, history
couriers (``courier9@demo.medrush.org`` on) for the busiest hours.
"""

from __future__ import annotations

import logging
import math
import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts, catalog, pharmacies, simulation
from medrush.accounts import Role
from medrush.accounts.demo import add_demo_accounts, demo_name, demo_self
from medrush.accounts.schemas import AddressIn, ProfileIn
from medrush.dispatch.demo import (
    DEMO_COURIERS,
    RIDING_DEMO_COURIERS,
    PastDelivery,
    PastShift,
    record_past_deliveries,
    record_past_shifts,
)
from medrush.kernel import clock, db
from medrush.kernel.domains import import_domain_module
from medrush.orders.demo import PastOrder, record_past_orders

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "load_demo_data"]

DEMO_PASSWORD = "medrush-demo"  # noqa: S105 - published demo credential, refused nowhere but demo data
DEMO_USERS = (
    ("customer@demo.medrush.org", "Li Na", (Role.CUSTOMER,), "zh"),
    ("operator@demo.medrush.org", "Operator Ops", (Role.OPERATOR,), "en"),
    ("doctor@demo.medrush.org", "Dr. Kim Minji", (Role.DOCTOR,), "ko"),
    ("pharmacist@demo.medrush.org", "Wang Fang", (Role.PHARMACIST,), "zh"),
    ("courier@demo.medrush.org", "Zhang Wei", (Role.COURIER,), "zh"),
)
DEMO_LOGINS = [
    ("customer@demo.medrush.org", "customer with a family (shop, orders, consultation)"),
    ("operator@demo.medrush.org", "operator (audit log, operations)"),
    ("doctor@demo.medrush.org", "doctor (consultation queue)"),
    ("pharmacist@demo.medrush.org", "pharmacist (prescription review, safety rules)"),
    ("staff.sh01@demo.medrush.org", "pharmacy staff of a Shanghai shop (order inbox, stock)"),
    ("courier@demo.medrush.org", "courier"),
]
# Each domain may ship ``<domain>.demo.load_demo(session)``; they run in this order when present.
DOMAIN_DEMOS = ("pharmacies.demo", "dispatch.demo", "consult.demo")
HISTORY_CITY = "Shanghai"
HISTORY_ORDERS = 600  # orders in the demo city's past day
HISTORY_CUSTOMERS = 250  # the people who placed them (besides the demo customer), by where they live
OWN_ORDERS = 3  # the demo customer's own past orders: the drop-offs nearest her home
WORK_HOURS = 10  # the most one courier worked in the past day, in one shift or more
BREAK_HOURS = 1  # between two shifts of one courier
REST_HOURS = 11  # between a demo courier's last past shift and its current one
HOME = ("People's Square, Huangpu", 31.2304, 121.4737)  # the demo customer's home address
log = logging.getLogger(__name__)


async def load_demo_data() -> bool:
    """Create the demo set unless it is there already; True when something was created."""
    now = clock.now()  # the history ends here; the demo couriers' shift starts after
    async with db.session_scope() as session:
        if await accounts.user_by_email(session, DEMO_USERS[0][0]) is not None:
            return False
        created = {}
        for email, name, roles, locale in DEMO_USERS:
            created[email] = await accounts.create_user(
                session, email=email, password=DEMO_PASSWORD, display_name=name, roles=roles, locale=locale
            )
        customer = accounts.actor_for_user(created[DEMO_USERS[0][0]])
        await accounts.create_profile(
            session,
            customer,
            ProfileIn(name="Li Na", birth_date=date(1991, 4, 2), sex="female"),
        )
        await accounts.create_profile(
            session,
            customer,
            ProfileIn(
                name="Xiaoming",
                relationship="child",
                birth_date=date(2021, 9, 15),
                sex="male",
                allergies=["penicillin"],
            ),
        )
        await accounts.add_address(
            session,
            customer,
            AddressIn(
                label="home", line=HOME[0], city=HISTORY_CITY, lat=HOME[1], lng=HOME[2], is_default=True
            ),
        )
        for name in DOMAIN_DEMOS:
            module = import_domain_module(name)
            if module is not None:
                await module.load_demo(session)
        await _past_day(session, created[DEMO_USERS[0][0]].id, now)
    return True


async def _past_day(session: AsyncSession, customer_id: uuid.UUID, now: datetime) -> int:
    """The demo city's last 24 hours up to ``now`` as a simulated day, written as history of the
    demo's customers and couriers; returns the orders."""
    shops = await simulation.city_pharmacies(session, HISTORY_CITY)
    if not shops:
        return 0
    scenario = simulation.DayScenario.configured(HISTORY_ORDERS, seed=2026)
    roster = simulation.size_fleet(shops, scenario).couriers_by_hour
    served = simulation.served_orders(shops, scenario, roster)
    listed = await pharmacies.list_pharmacies(session, city=HISTORY_CITY, status="approved", limit=10_000)
    by_id = {str(p.id): p for p in listed}
    shelves = {
        p.id: [line for line in await pharmacies.stock_of(session, p.id) if line.quantity > 0] for p in listed
    }
    index = catalog.search_index()
    rng = random.Random(2026)
    midnight = now.astimezone(ZoneInfo(listed[0].timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
    kept = [o for o in served if shelves[by_id[o.pharmacy_id].id]]  # a shop with empty shelves sold nothing
    days = [_last_day(midnight, o.delivered, now) for o in kept]
    # the simulated shifts as they fell: one whose deliveries straddle the hour of loading is two
    shifts = _shifts(kept, days, now)
    keys = sorted(shifts, key=lambda k: (shifts[k], k))
    rota = _rota([shifts[k] for k in keys], len(RIDING_DEMO_COURIERS), now)
    couriers = await _history_couriers(session, max(rota, default=-1) + 1)
    carrier = {k: couriers[a] for k, a in zip(keys, rota, strict=True)}
    customers = await _history_customers(session, customer_id, [(o.lat, o.lng) for o in kept])
    orders: list[PastOrder] = []
    deliveries: list[PastDelivery] = []
    final: dict[tuple[str, datetime], tuple[datetime, float, float]] = {}  # each shift's last drop-off
    for o, day, customer in zip(kept, days, customers, strict=True):
        shop = by_id[o.pharmacy_id]
        paid, ready, picked, delivered = (
            day + timedelta(minutes=m) for m in (o.placed, o.ready, o.picked_up, o.delivered)
        )
        start = shifts[o.courier, day][0]
        courier_id = carrier[o.courier, day]
        # assigned once the order was ready (or a minute before its pickup), within the shift
        assigned = max(min(max(ready, picked - timedelta(minutes=1)), picked), start)
        lines = rng.sample(shelves[shop.id], k=min(len(shelves[shop.id]), rng.choice((1, 1, 2, 3))))
        order_id = uuid.uuid4()
        orders.append(
            PastOrder(
                id=order_id,
                pharmacy_id=shop.id,
                lat=o.lat,
                lng=o.lng,
                paid_at=paid,
                ready_at=ready,
                picked_up_at=picked,
                delivered_at=delivered,
                promise_minutes=o.promise,
                currency=shop.currency,
                lines=tuple(
                    (line.medicine_id, _name(index, line.medicine_id), 1, line.price) for line in lines
                ),
                customer_id=customer,
                courier_id=courier_id,
                assigned_at=assigned,
                address=HOME[0] if customer == customer_id else "",
            )
        )
        deliveries.append(
            PastDelivery(
                order_id=order_id,
                pharmacy_id=shop.id,
                pharmacy_lat=shop.lat,
                pharmacy_lng=shop.lng,
                dropoff_lat=o.lat,
                dropoff_lng=o.lng,
                placed_at=paid,
                ready_at=ready,
                promised_by=paid + timedelta(minutes=o.promise),
                picked_up_at=picked,
                delivered_at=delivered,
                courier_id=courier_id,
                assigned_at=assigned,
            )
        )
        final[o.courier, day] = max(
            final.get((o.courier, day), (delivered, o.lat, o.lng)), (delivered, o.lat, o.lng)
        )
    past = [(carrier[k], PastShift(*shifts[k], *final[k][1:])) for k in keys]  # by start
    await record_past_orders(session, orders)
    await record_past_deliveries(session, deliveries)
    await record_past_shifts(session, past)
    log.info(
        "demo: a past day of %d orders in %s, %d couriers, %d customers",
        len(orders),
        HISTORY_CITY,
        len({courier_id for courier_id, _ in past}),
        len(set(customers)),
    )
    return len(orders)


def _last_day(midnight: datetime, minute: int, now: datetime) -> datetime:
    """The latest local midnight from which ``minute`` (of a simulated day, possibly past 24:00)
    falls by ``now``: each minute of the day at its last past occurrence."""
    day = midnight
    while day + timedelta(minutes=minute) > now:
        day -= timedelta(days=1)
    return day


def _shifts(
    served: Sequence[simulation.ServedOrder], days: Sequence[datetime], now: datetime
) -> dict[tuple[str, datetime], tuple[datetime, datetime]]:
    """Each simulated courier shift on each day it delivered, as (start, end): from its start to its
    end or its last drop-off when later (a courier finishes what it picked up), never past ``now``."""
    shifts: dict[tuple[str, datetime], tuple[datetime, datetime]] = {}
    for o, day in zip(served, days, strict=True):
        start = day + timedelta(minutes=o.shift_start)
        end = min(max(day + timedelta(minutes=o.shift_end), day + timedelta(minutes=o.delivered)), now)
        known = shifts.get((o.courier, day))
        shifts[o.courier, day] = (start, end if known is None else max(end, known[1]))
    return shifts


def _rota(shifts: Sequence[tuple[datetime, datetime]], riders: int, now: datetime) -> list[int]:
    """The courier account of each shift (sorted by start): the lowest-numbered one that has had
    ``BREAK_HOURS`` off since its last shift and works at most ``WORK_HOURS`` with this one. The
    first ``riders`` accounts are the demo couriers, whose current shift starts ``now``: they only
    take shifts that leave them ``REST_HOURS`` of rest before it."""
    pause, cap, rest = (timedelta(hours=h) for h in (BREAK_HOURS, WORK_HOURS, REST_HOURS))
    free: list[datetime | None] = [None] * riders  # when each account may start again
    worked = [timedelta(0)] * riders
    accounts = []
    for start, end in shifts:
        fits = (
            a
            for a, at in enumerate(free)
            if (at is None or at <= start)
            and worked[a] + (end - start) <= cap
            and (a >= riders or end + rest <= now)
        )
        account = next(fits, len(free))
        if account == len(free):
            free.append(None)
            worked.append(timedelta(0))
        free[account] = end + pause
        worked[account] += end - start
        accounts.append(account)
    return accounts


async def _history_couriers(session: AsyncSession, count: int) -> list[uuid.UUID]:
    """``count`` courier accounts for the past day, in the order the rota fills them: the demo
    couriers that ride, then history couriers from ``courier9@demo.medrush.org`` on (created)."""
    riders = [(email, name) for email, name, *_ in RIDING_DEMO_COURIERS]
    rng = random.Random("medrush-demo-couriers")
    first = len(DEMO_COURIERS) + 1
    riders += [
        (f"courier{n}@demo.medrush.org", demo_name(rng))
        for n in range(first, first + max(0, count - len(riders)))
    ]
    return await add_demo_accounts(
        session, riders[: max(count, 0)], role=Role.COURIER, password=DEMO_PASSWORD
    )


async def _history_customers(
    session: AsyncSession, customer_id: uuid.UUID, dropoffs: Sequence[tuple[float, float]]
) -> list[uuid.UUID]:
    """Each drop-off's customer: the demo customer's for the ``OWN_ORDERS`` nearest her home, else
    the history customer living nearest (homes are drop-offs drawn with a seed; each customer owns
    at least the order to their home). The history customers are created, with a profile each."""
    rng = random.Random("medrush-demo-customers")
    lat0, lng0 = HOME[1], HOME[2]
    scale = math.cos(math.radians(lat0))
    xy = np.array([((lng - lng0) * scale, lat - lat0) for lat, lng in dropoffs], dtype=np.float64).reshape(
        -1, 2
    )
    mine = set(np.argsort(np.hypot(xy[:, 0], xy[:, 1]), kind="stable")[:OWN_ORDERS].tolist())
    others = [i for i in range(len(dropoffs)) if i not in mine]
    homes = sorted(rng.sample(others, k=min(HISTORY_CUSTOMERS, len(others))))
    owner = dict.fromkeys(mine, -1)
    if homes:
        gaps = xy[others][:, None, :] - xy[homes][None, :, :]
        nearest = np.argmin(np.hypot(gaps[..., 0], gaps[..., 1]), axis=1)
        owner.update(zip(others, nearest.tolist(), strict=True))
    used = sorted({h for h in owner.values() if h >= 0})
    people = [(f"customer.{n:03d}@demo.medrush.org", demo_name(rng)) for n in range(1, len(used) + 1)]
    selves = [demo_self(rng) for _ in used]
    ids = await add_demo_accounts(
        session, people, role=Role.CUSTOMER, password=DEMO_PASSWORD, profiles=selves
    )
    account = dict(zip(used, ids, strict=True))
    return [customer_id if owner[i] < 0 else account[owner[i]] for i in range(len(dropoffs))]


def _name(index: catalog.SearchIndex, medicine_id: str) -> str:
    product = index.get(medicine_id)
    return product.name_en if product is not None else medicine_id
