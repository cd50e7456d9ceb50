"""Demo data for `medrush demo`: one account per role, a family, and each domain's own demo set."""

from __future__ import annotations

from datetime import date

from medrush import accounts
from medrush.accounts import Role
from medrush.accounts.schemas import AddressIn, ProfileIn
from medrush.kernel import db
from medrush.kernel.domains import import_domain_module

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
    return True
