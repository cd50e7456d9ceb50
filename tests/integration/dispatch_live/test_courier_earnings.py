"""A courier's earnings of the last 24 hours on PostgreSQL: deliveries paid, every shift of the history
clipped to the window (an open one up to now), the hourly guarantee, the larger one due. Shifts are
opened the one way the platform opens them (``actions.open_shift``, or ``start_shift`` and
``end_shift`` with the clock stopped)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from medrush import dispatch
from medrush.accounts import Actor, Role
from medrush.dispatch import PayRates
from medrush.dispatch.live.actions import open_shift
from medrush.dispatch.models import Courier, DeliveryJob, Shift
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from tests.factories.dispatch import carried_job

NOW = datetime(2026, 12, 6, 12, 30, 15, 250_000, tzinfo=UTC)
SINCE = NOW - timedelta(hours=24)
RATES = PayRates("CNY", 700, 2600)  # ¥7.00 a delivery, ¥26.00 an hour


def _job(courier_id: uuid.UUID, delivered_at: datetime, status: str = "delivered") -> DeliveryJob:
    return carried_job(
        courier_id, delivered_at, spot=(31.2, 121.4), zone="pay-test", picked_up_minutes=10, status=status
    )


async def _courier(
    *shifts: tuple[datetime, datetime], jobs: tuple[datetime, ...] = (), others: tuple[DeliveryJob, ...] = ()
) -> uuid.UUID:
    """A courier who worked the ``shifts`` (start, planned end; opened one after the other, none
    for no dispatch profile) and delivered the ``jobs``."""
    courier_id = uuid.uuid4()
    async with db.session_scope() as session:
        if shifts:
            courier = Courier(user_id=courier_id, status="offline")
            session.add(courier)
            for started, ends in shifts:
                await open_shift(session, courier, started, ends)
        session.add_all([_job(courier_id, at) for at in jobs])
        session.add_all(others)
    return courier_id


async def _earned(courier_id: uuid.UUID, rates: PayRates = RATES) -> dict[str, Any]:
    async with db.session_scope() as session:
        return await dispatch.courier_earnings(session, courier_id, NOW, rates=rates)


def _parts(e: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return e["deliveries"], e["delivery_pay"], e["shift_seconds"], e["guarantee"], e["due"]


async def test_an_open_shift_counts_up_to_now_and_the_guarantee_leads_when_quiet(database: str) -> None:
    # a shift started 90 minutes ago that is planned to run 3 hours more; one delivery
    started, planned_end = NOW - timedelta(minutes=90), NOW + timedelta(hours=3)
    courier = await _courier((started, planned_end), jobs=(NOW - timedelta(minutes=5),))
    e = await _earned(courier)
    assert _parts(e) == (1, 700, 5400, 3900, 3900)
    assert (e["since"], e["currency"], e["pay_per_delivery"], e["pay_per_hour"], e["shift_hours"]) == (
        SINCE.isoformat(),
        "CNY",
        700,
        2600,
        1.5,
    )


async def test_deliveries_lead_when_busy(database: str) -> None:
    courier = await _courier(
        (NOW - timedelta(hours=1), NOW), jobs=tuple(NOW - timedelta(minutes=m) for m in (5, 15, 25, 35, 45))
    )
    assert _parts(await _earned(courier)) == (5, 3500, 3600, 2600, 3500)


async def test_a_shift_is_clipped_to_the_window(database: str) -> None:
    # 30 to 20 hours ago: only the 4 hours after the window opened count
    began_before = await _courier((NOW - timedelta(hours=30), NOW - timedelta(hours=20)))
    assert _parts(await _earned(began_before)) == (0, 0, 4 * 3600, 4 * 2600, 4 * 2600)
    # over before the window opened, or ending exactly as it opens: nothing
    for ended in (NOW - timedelta(hours=25), SINCE):
        old = await _courier((ended - timedelta(hours=8), ended))
        assert _parts(await _earned(old)) == (0, 0, 0, 0, 0)
    # starting right now, or (clock skew) in the future: nothing yet
    for start in (NOW, NOW + timedelta(minutes=5)):
        not_yet = await _courier((start, start + timedelta(hours=4)))
        assert _parts(await _earned(not_yet)) == (0, 0, 0, 0, 0)
    # a whole day on shift and more: the window's 24 hours at most
    long = await _courier((NOW - timedelta(hours=40), NOW + timedelta(hours=1)))
    assert _parts(await _earned(long)) == (0, 0, 24 * 3600, 24 * 2600, 24 * 2600)


async def test_a_part_hour_is_paid_to_the_second_and_rounded_once(database: str) -> None:
    # 20 min 30.4 s: whole seconds count (1230), 2600 x 1230 / 3600 = 888.33 -> 888
    courier = await _courier((NOW - timedelta(minutes=20, seconds=30.4), NOW + timedelta(hours=1)))
    assert _parts(await _earned(courier)) == (0, 0, 1230, 888, 888)


async def test_no_shift_pays_deliveries_only_and_no_deliveries_pays_the_guarantee(database: str) -> None:
    # no dispatch profile at all (deliveries recorded for it all the same): no guarantee
    shiftless = await _courier(jobs=(NOW - timedelta(hours=2),))
    assert _parts(await _earned(shiftless)) == (1, 700, 0, 0, 700)
    # a profile whose row has a shift the history does not (as before the history): no hours
    unrecorded = uuid.uuid4()
    async with db.session_scope() as session:
        session.add(
            Courier(
                user_id=unrecorded,
                status="offline",
                shift_started_at=NOW - timedelta(hours=3),
                shift_ends_at=NOW - timedelta(hours=1),
            )
        )
        session.add(_job(unrecorded, NOW - timedelta(hours=2)))
    assert _parts(await _earned(unrecorded)) == (1, 700, 0, 0, 700)
    # nobody at all
    assert _parts(await _earned(uuid.uuid4())) == (0, 0, 0, 0, 0)
    # on shift two hours without a delivery: the guarantee
    idle = await _courier((NOW - timedelta(hours=2), NOW + timedelta(hours=2)))
    assert _parts(await _earned(idle)) == (0, 0, 7200, 5200, 5200)


async def test_only_own_deliveries_done_inside_the_window_are_paid(database: str) -> None:
    someone_else = uuid.uuid4()
    courier = await _courier(
        (NOW - timedelta(hours=1), NOW + timedelta(hours=1)),
        jobs=(
            SINCE,  # exactly as the window opens: counted, as in ``delivered``
            SINCE - timedelta(microseconds=1),  # just before: not
            NOW - timedelta(minutes=1),
        ),
        others=(_job(someone_else, NOW - timedelta(minutes=3)),),
    )
    async with db.session_scope() as session:
        session.add(_job(courier, NOW - timedelta(minutes=7), status="picked_up"))  # not delivered yet
    assert _parts(await _earned(courier)) == (2, 1400, 3600, 2600, 2600)
    assert _parts(await _earned(someone_else)) == (1, 700, 0, 0, 700)


async def test_rates_and_currency_come_from_the_caller_or_the_settings(database: str) -> None:
    courier = await _courier((NOW - timedelta(hours=1), NOW), jobs=(NOW - timedelta(minutes=5),))
    won = await _earned(courier, PayRates("KRW", 3500, 0))  # no guarantee
    assert (won["currency"], *_parts(won)) == ("KRW", 1, 3500, 3600, 0, 3500)
    async with db.session_scope() as session:
        default = await dispatch.courier_earnings(session, courier, NOW)
    assert (default["currency"], default["pay_per_delivery"], default["pay_per_hour"]) == ("CNY", 700, 2600)


@pytest.fixture
def frozen() -> Any:
    clock.set_clock(FrozenClock(NOW))
    yield NOW
    clock.set_clock(None)


async def test_the_board_pays_what_it_lists(database: str, frozen: datetime) -> None:
    courier = await _courier(
        (NOW - timedelta(hours=2), NOW + timedelta(hours=2)),
        jobs=tuple(NOW - timedelta(minutes=m) for m in (3, 30, 60)),
    )
    actor = Actor(user_id=courier, roles=frozenset({Role.COURIER}))
    async with db.session_scope() as session:
        board = await dispatch.courier_board(session, actor)
    assert board["earnings"]["since"] == board["delivered"]["since"]
    assert board["earnings"]["deliveries"] == board["delivered"]["count"] == 3
    assert _parts(board["earnings"]) == (3, 2100, 7200, 5200, 5200)


async def test_every_shift_in_the_window_counts(database: str) -> None:
    # 30 to 22 hours ago (clipped: 2 h), 10 to 7 hours ago (3 h), 1 hour ago until later (1 h so far);
    # and one that ended before the window: 6 hours in all
    courier = await _courier(
        (NOW - timedelta(hours=34), NOW - timedelta(hours=31)),
        (NOW - timedelta(hours=26), NOW - timedelta(hours=22)),
        (NOW - timedelta(hours=10), NOW - timedelta(hours=7)),
        (NOW - timedelta(hours=1), NOW + timedelta(hours=3)),
        jobs=(NOW - timedelta(hours=8), NOW - timedelta(minutes=10)),
    )
    assert _parts(await _earned(courier)) == (2, 1400, 6 * 3600, 6 * 2600, 6 * 2600)
    # the courier's row keeps only the latest of them, as before
    async with db.session_scope() as session:
        row = await session.get(Courier, courier)
        assert row is not None and row.shift_started_at == NOW - timedelta(hours=1)


def _on(at: datetime) -> None:
    clock.set_clock(FrozenClock(at))


async def _history(courier_id: uuid.UUID) -> list[tuple[datetime, datetime]]:
    async with db.session_scope() as session:
        rows = await session.scalars(
            select(Shift).where(Shift.courier_id == courier_id).order_by(Shift.started_at)
        )
        return [(r.started_at, r.ended_at) for r in rows]


async def test_a_shift_ended_early_counts_to_its_end(database: str, frozen: datetime) -> None:
    actor = Actor(user_id=uuid.uuid4(), roles=frozenset({Role.COURIER}))
    assert actor.user_id is not None
    _on(NOW - timedelta(hours=5))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=4 * 60)  # planned to end 1 hour ago
    _on(NOW - timedelta(hours=3, minutes=30))
    async with db.session_scope() as session:
        await dispatch.end_shift(session, actor)  # after 1 h 30 min
    assert await _history(actor.user_id) == [(NOW - timedelta(hours=5), NOW - timedelta(hours=3, minutes=30))]
    assert _parts(await _earned(actor.user_id)) == (0, 0, 5400, 3900, 3900)
    # a later shift counts next to it; ending it once it is over changes nothing
    _on(NOW - timedelta(hours=2))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=60)
    _on(NOW - timedelta(minutes=30))
    async with db.session_scope() as session:
        await dispatch.end_shift(session, actor)
    assert (await _history(actor.user_id))[-1] == (NOW - timedelta(hours=2), NOW - timedelta(hours=1))
    assert _parts(await _earned(actor.user_id))[2] == 5400 + 3600


async def test_restarting_a_shift_on_shift_does_not_count_twice(database: str, frozen: datetime) -> None:
    actor = Actor(user_id=uuid.uuid4(), roles=frozenset({Role.COURIER}))
    assert actor.user_id is not None
    _on(NOW - timedelta(hours=3))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=4 * 60)
    _on(NOW - timedelta(hours=1))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=4 * 60)  # while the first runs 2 h more
    assert await _history(actor.user_id) == [
        (NOW - timedelta(hours=3), NOW - timedelta(hours=1)),
        (NOW - timedelta(hours=1), NOW + timedelta(hours=3)),
    ]
    _on(NOW)
    assert _parts(await _earned(actor.user_id)) == (0, 0, 3 * 3600, 3 * 2600, 3 * 2600)
    async with db.session_scope() as session:
        board = await dispatch.courier_board(session, actor)
    assert board["on_shift"] is True and board["earnings"]["shift_seconds"] == 3 * 3600
