"""Demo data for `medrush demo`: one account per role, a family, each domain's own demo set, and
the last day of the demo city as history.

The history is a simulated day (``medrush.simulation``: demand by hour over the city's pharmacies,
a courier roster sized to keep 95 % of promises, the real dispatch engine serving it), laid over
the 24 hours before the demo was loaded and written as delivered orders and deliveries. So the
operator's on-time rate by hour shows a day, the orders have lines and payments from the shops'
own shelves, and the next planned day measures the pharmacies' preparation times from them.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from medrush import accounts, catalog, pharmacies, simulation
from medrush.accounts import Role
from medrush.accounts.schemas import AddressIn, ProfileIn
from medrush.dispatch.demo import PastDelivery, record_past_deliveries
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
log = logging.getLogger(__name__)


async def load_demo_data() -> bool:
    """Create the demo set unless it is there already; True when something was created."""
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
                label="home",
                line="People's Square, Huangpu",
                city="Shanghai",
                lat=31.2304,
                lng=121.4737,
                is_default=True,
            ),
        )
        for name in DOMAIN_DEMOS:
            module = import_domain_module(name)
            if module is not None:
                await module.load_demo(session)
        await _past_day(session)
    return True


async def _past_day(session: AsyncSession) -> int:
    """The demo city's last 24 hours as a simulated day, written as history; returns the orders."""
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
    now = clock.now()
    midnight = now.astimezone(ZoneInfo(listed[0].timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
    orders: list[PastOrder] = []
    deliveries: list[PastDelivery] = []
    for o in served:
        shop = by_id[o.pharmacy_id]
        if not shelves[shop.id]:
            continue  # a shop with empty shelves sold nothing
        # each minute of the day at its last past occurrence: the day ends with the last hour
        start = midnight if midnight + timedelta(minutes=o.delivered) <= now else midnight - timedelta(days=1)
        paid, ready, picked, delivered = (
            start + timedelta(minutes=m) for m in (o.placed, o.ready, o.picked_up, o.delivered)
        )
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
            )
        )
    await record_past_orders(session, orders)
    await record_past_deliveries(session, deliveries)
    log.info("demo: a past day of %d orders in %s", len(orders), HISTORY_CITY)
    return len(orders)


def _name(index: catalog.SearchIndex, medicine_id: str) -> str:
    product = index.get(medicine_id)
    return product.name_en if product is not None else medicine_id
