"""A courier's earnings of the last 24 hours on PostgreSQL: deliveries paid, every shift of the history
clipped to the window (an open one up to now), the time paused offline within them taken off, the
hourly guarantee for the rest (the time online), the larger one due. Shifts are opened the one way
the platform opens them (``actions.open_shift``, or ``start_shift`` and ``end_shift`` with the clock
stopped); pauses are taken the ways the platform takes them (``go_offline`` and ``go_online``, the
dispatch round, ``end_shift`` and ``start_shift``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from medrush import dispatch
from medrush.accounts import Actor, Role
from medrush.dispatch import PayRates
from medrush.dispatch.live.actions import close_lapsed_pauses, open_shift
from medrush.dispatch.live.geo import zone_of
from medrush.dispatch.models import Courier, DeliveryJob, Shift, ShiftPause
from medrush.kernel import clock, db
from medrush.kernel.clock import FrozenClock
from tests.factories.dispatch import carried_job, courier_actor, pause

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


# ---------------------------------------------------------------- pauses: time offline within a shift

ROUND_SPOT = (36.0671, 120.3826)  # Qingdao: a zone of its own for the dispatch round
LOOP_SPOT = (64.1466, -21.9426)  # Reykjavik: a zone with nobody in it for the dispatch loop


def _times(e: dict[str, Any]) -> tuple[int, int, int, float, float]:
    return e["shift_seconds"], e["online_seconds"], e["paused_seconds"], e["shift_hours"], e["online_hours"]


async def _pauses(courier_id: uuid.UUID) -> list[tuple[datetime, datetime | None]]:
    async with db.session_scope() as session:
        rows = await session.scalars(
            select(ShiftPause).where(ShiftPause.courier_id == courier_id).order_by(ShiftPause.started_at)
        )
        return [(r.started_at, r.ended_at) for r in rows]


async def test_a_pause_inside_a_shift_takes_exactly_its_length_off_the_guarantee(
    database: str, frozen: datetime
) -> None:
    # on shift 3 hours so far; offline 17 min 42 s of them: 3 h on shift, 2 h 42 min 18 s online
    shift = (NOW - timedelta(hours=3), NOW + timedelta(hours=1))
    worked, rested = await _courier(shift), await _courier(shift)
    offline = NOW - timedelta(hours=2)
    await pause(rested, offline, offline + timedelta(minutes=17, seconds=42))
    assert await _pauses(rested) == [(offline, offline + timedelta(minutes=17, seconds=42))]
    assert _parts(await _earned(worked)) == (0, 0, 10800, 7800, 7800)
    e = await _earned(rested)
    assert _times(e) == (10800, 10800 - 1062, 1062, 3.0, 2.71)
    assert _parts(e) == (0, 0, 10800, 7033, 7033)  # 2600 x 9738 / 3600 = 7033.17: 767 less
    assert _times(await _earned(worked))[1:3] == (10800, 0)  # no pause, all shift time online


async def test_pay_per_delivery_is_the_same_paused_or_not(database: str, frozen: datetime) -> None:
    jobs = tuple(NOW - timedelta(minutes=m) for m in (5, 15, 25, 35, 45, 55))
    shift = (NOW - timedelta(hours=2), NOW + timedelta(hours=1))
    paused, unpaused = await _courier(shift, jobs=jobs), await _courier(shift, jobs=jobs)
    await pause(paused, NOW - timedelta(minutes=110), NOW - timedelta(minutes=50))
    # deliveries, their pay and the amount due when they lead do not change; only the guarantee does
    assert _parts(await _earned(unpaused)) == (6, 4200, 7200, 5200, 5200)
    assert _parts(await _earned(paused)) == (6, 4200, 7200, 2600, 4200)


async def test_a_pause_still_open_counts_up_to_now_or_to_its_shifts_end(
    database: str, frozen: datetime
) -> None:
    # offline for the last 40 minutes and not back: 2 h on shift, 1 h 20 min online
    open_now = await _courier((NOW - timedelta(hours=2), NOW + timedelta(hours=2)))
    await pause(open_now, NOW - timedelta(minutes=40))
    assert await _pauses(open_now) == [(NOW - timedelta(minutes=40), None)]
    assert _times(await _earned(open_now)) == (7200, 4800, 2400, 2.0, 1.33)
    assert _parts(await _earned(open_now))[3] == 3467  # 2600 x 4/3 = 3466.67
    # went offline 4 hours ago in a shift that ended 3 hours ago: the pause stops at the shift end
    ended = await _courier((NOW - timedelta(hours=5), NOW - timedelta(hours=3)))
    await pause(ended, NOW - timedelta(hours=4))
    assert _times(await _earned(ended)) == (7200, 3600, 3600, 2.0, 1.0)


async def test_a_pause_across_the_windows_start_is_clipped(database: str, frozen: datetime) -> None:
    # a shift 26 to 20 hours ago, offline 25 to 23 hours ago: of the window's 4 shift hours 1 is paused
    courier = await _courier((NOW - timedelta(hours=26), NOW - timedelta(hours=20)))
    await pause(courier, NOW - timedelta(hours=25), NOW - timedelta(hours=23))
    assert _times(await _earned(courier)) == (4 * 3600, 3 * 3600, 3600, 4.0, 3.0)
    assert _parts(await _earned(courier)) == (0, 0, 4 * 3600, 3 * 2600, 3 * 2600)
    # a pause over before the window opened takes nothing off
    earlier = await _courier((NOW - timedelta(hours=26), NOW - timedelta(hours=20)))
    await pause(earlier, NOW - timedelta(hours=25, minutes=30), NOW - timedelta(hours=24, minutes=30))
    assert _times(await _earned(earlier)) == (4 * 3600, 4 * 3600, 0, 4.0, 4.0)


async def test_another_couriers_pauses_never_count(database: str, frozen: datetime) -> None:
    shift = (NOW - timedelta(hours=2), NOW + timedelta(hours=2))
    paused, busy = await _courier(shift), await _courier(shift)
    await pause(paused, NOW - timedelta(minutes=90), NOW - timedelta(minutes=30))
    await pause(paused, NOW - timedelta(minutes=20))  # and offline again now
    assert _times(await _earned(paused)) == (7200, 2400, 4800, 2.0, 0.67)
    assert _times(await _earned(busy)) == (7200, 7200, 0, 2.0, 2.0)
    assert await _pauses(busy) == []


async def test_going_offline_twice_keeps_one_pause_and_online_without_one_changes_nothing(
    database: str, frozen: datetime
) -> None:
    courier = await _courier((NOW - timedelta(hours=2), NOW + timedelta(hours=2)))
    await pause(courier, NOW - timedelta(minutes=50))
    await pause(courier, NOW - timedelta(minutes=40), NOW - timedelta(minutes=30))  # already offline
    await pause(courier, NOW - timedelta(minutes=10), NOW - timedelta(minutes=10))  # back at once
    async with db.session_scope() as session:
        await dispatch.go_online(session, courier_actor(courier))  # online already
    assert await _pauses(courier) == [
        (NOW - timedelta(minutes=50), NOW - timedelta(minutes=30)),
        (NOW - timedelta(minutes=10), NOW - timedelta(minutes=10)),
    ]
    assert _times(await _earned(courier))[:3] == (7200, 6000, 1200)


async def test_a_silent_courier_taken_offline_by_the_round_is_paused_until_it_is_back(
    database: str, frozen: datetime
) -> None:
    actor = courier_actor(uuid.uuid4())
    assert actor.user_id is not None
    started = NOW - timedelta(hours=2)
    _on(started)
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=4 * 60, lat=ROUND_SPOT[0], lng=ROUND_SPOT[1])
    silent = started + timedelta(minutes=10)  # last seen at the start, silent for 10 minutes
    _on(silent)
    async with db.session_scope() as session:
        await dispatch.run_round(session, zone_of(*ROUND_SPOT))
    async with db.session_scope() as session:
        row = await session.get(Courier, actor.user_id)
        assert row is not None and (row.status, row.offline_reason) == ("offline", "silent")
    assert await _pauses(actor.user_id) == [(silent, None)]
    _on(NOW)
    assert _times(await _earned(actor.user_id))[:3] == (7200, 600, 6600)
    back = NOW - timedelta(hours=1)
    _on(back)
    async with db.session_scope() as session:
        await dispatch.go_online(session, actor)
    assert await _pauses(actor.user_id) == [(silent, back)]
    _on(NOW)
    assert _times(await _earned(actor.user_id))[:3] == (7200, 7200 - 3000, 3000)


async def test_ending_the_shift_closes_a_pause_and_opens_none(database: str, frozen: datetime) -> None:
    offline_at_end, online_at_end = courier_actor(uuid.uuid4()), courier_actor(uuid.uuid4())
    for actor in (offline_at_end, online_at_end):
        _on(NOW - timedelta(hours=3))
        async with db.session_scope() as session:
            await dispatch.start_shift(session, actor, minutes=4 * 60)
    assert offline_at_end.user_id is not None and online_at_end.user_id is not None
    await pause(offline_at_end.user_id, NOW - timedelta(hours=2))
    _on(NOW - timedelta(hours=1))
    for actor in (offline_at_end, online_at_end):
        async with db.session_scope() as session:
            await dispatch.end_shift(session, actor)
    assert await _pauses(offline_at_end.user_id) == [(NOW - timedelta(hours=2), NOW - timedelta(hours=1))]
    assert await _pauses(online_at_end.user_id) == []  # ending the shift is no pause
    _on(NOW)
    assert _times(await _earned(offline_at_end.user_id)) == (7200, 3600, 3600, 2.0, 1.0)
    assert _times(await _earned(online_at_end.user_id)) == (7200, 7200, 0, 2.0, 2.0)


async def test_a_new_shift_closes_an_old_open_pause(database: str, frozen: datetime) -> None:
    actor = courier_actor(uuid.uuid4())
    assert actor.user_id is not None
    _on(NOW - timedelta(hours=5))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=2 * 60)  # until 3 hours ago
    await pause(actor.user_id, NOW - timedelta(hours=4))  # offline until the shift ran out
    _on(NOW - timedelta(hours=1))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=2 * 60)
    # the old pause closes as the new shift opens, at its own shift's end (not swept before)
    assert await _pauses(actor.user_id) == [(NOW - timedelta(hours=4), NOW - timedelta(hours=3))]
    _on(NOW)
    assert _times(await _earned(actor.user_id)) == (3 * 3600, 2 * 3600, 3600, 3.0, 2.0)
    # going offline in the new shift and restarting it: the pause ends where the new shift begins
    await pause(actor.user_id, NOW - timedelta(minutes=30))
    _on(NOW - timedelta(minutes=10))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=60)
    assert (await _pauses(actor.user_id))[-1] == (NOW - timedelta(minutes=30), NOW - timedelta(minutes=10))
    _on(NOW)
    assert _times(await _earned(actor.user_id))[:3] == (3 * 3600, 2 * 3600 - 1200, 3600 + 1200)


async def _open_pauses(courier_id: uuid.UUID) -> int:
    async with db.session_scope() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ShiftPause)
            .where(ShiftPause.courier_id == courier_id, ShiftPause.ended_at.is_(None))
        )
        return int(count or 0)


async def test_the_dispatch_loop_ends_a_pause_at_the_end_of_the_shift_that_ran_out(
    database: str, frozen: datetime
) -> None:
    # offline 4 hours ago in a shift that ran out 3 hours ago; another offline in a shift still on
    lapsed, running = courier_actor(uuid.uuid4()), courier_actor(uuid.uuid4())
    assert lapsed.user_id is not None and running.user_id is not None
    _on(NOW - timedelta(hours=5))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, lapsed, minutes=2 * 60)
    await pause(lapsed.user_id, NOW - timedelta(hours=4))
    _on(NOW - timedelta(hours=2))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, running, minutes=4 * 60)
    await pause(running.user_id, NOW - timedelta(minutes=40))
    _on(NOW)
    # a tick of a loop that leads no zone of theirs (a paused courier's zone may have no round)
    loop = dispatch.DispatchLoop([zone_of(*LOOP_SPOT)])
    try:
        await loop.tick()
    finally:
        await loop.close()
    assert await _pauses(lapsed.user_id) == [(NOW - timedelta(hours=4), NOW - timedelta(hours=3))]
    assert await _pauses(running.user_id) == [(NOW - timedelta(minutes=40), None)]  # still paused
    # the pay does not change: it counted the open pause only up to the shift's end already
    assert _times(await _earned(lapsed.user_id)) == (7200, 3600, 3600, 2.0, 1.0)
    assert _times(await _earned(running.user_id)) == (7200, 4800, 2400, 2.0, 1.33)
    async with db.session_scope() as session:
        assert await close_lapsed_pauses(session, NOW) == 0  # nothing left to end
    # the next shift's pause is the courier's one open pause
    async with db.session_scope() as session:
        await dispatch.start_shift(session, lapsed, minutes=60)
    await pause(lapsed.user_id, NOW + timedelta(minutes=10))
    assert await _open_pauses(lapsed.user_id) == 1
    assert (await _pauses(lapsed.user_id))[-1] == (NOW + timedelta(minutes=10), None)


async def test_a_pause_ends_when_its_shift_runs_out_and_not_before(database: str, frozen: datetime) -> None:
    actor = courier_actor(uuid.uuid4())
    assert actor.user_id is not None
    ends = NOW - timedelta(minutes=30)
    _on(ends - timedelta(hours=1))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=60)
    await pause(actor.user_id, ends - timedelta(minutes=15))
    for at in (ends - timedelta(minutes=1), ends - timedelta(microseconds=1)):
        async with db.session_scope() as session:
            await close_lapsed_pauses(session, at)
        assert await _pauses(actor.user_id) == [(ends - timedelta(minutes=15), None)]
    async with db.session_scope() as session:
        await close_lapsed_pauses(session, ends)  # exactly at the end: it ran out
    assert await _pauses(actor.user_id) == [(ends - timedelta(minutes=15), ends)]


async def test_ending_a_shift_after_it_ran_out_ends_its_pause_at_the_shift_end(
    database: str, frozen: datetime
) -> None:
    actor = courier_actor(uuid.uuid4())
    assert actor.user_id is not None
    _on(NOW - timedelta(hours=3))
    async with db.session_scope() as session:
        await dispatch.start_shift(session, actor, minutes=60)  # until 2 hours ago
    await pause(actor.user_id, NOW - timedelta(hours=2, minutes=20))
    _on(NOW)
    async with db.session_scope() as session:
        await dispatch.end_shift(session, actor)  # pressed long after the shift ran out
    assert await _pauses(actor.user_id) == [(NOW - timedelta(hours=2, minutes=20), NOW - timedelta(hours=2))]
    assert await _history(actor.user_id) == [(NOW - timedelta(hours=3), NOW - timedelta(hours=2))]
    assert _times(await _earned(actor.user_id)) == (3600, 2400, 1200, 1.0, 0.67)
