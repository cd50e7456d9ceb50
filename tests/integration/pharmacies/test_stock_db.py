"""Stock on real PostgreSQL: ledger, reservations, expiry, the CSV import and the race for the last units."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tests.integration.pharmacies.world import (
    PEOPLES_SQUARE,
    customer,
    ledger_sum,
    make_pharmacy,
    staff_of,
    stock_row,
)

from medrush import pharmacies
from medrush.accounts import SYSTEM
from medrush.kernel import clock, db
from medrush.kernel.errors import Conflict, InvalidInput, PermissionDenied

pytestmark = pytest.mark.usefixtures("tables")


async def test_set_stock_writes_the_ledger_and_refuses_going_below_reserved() -> None:
    pid = await make_pharmacy(stock=[("ibu", 10, 1500)])
    async with db.session_scope() as session:
        await pharmacies.reserve_stock(session, pid, [pharmacies.StockLine("ibu", 4)], ref="r1", minutes=5)
    with pytest.raises(Conflict, match="4 unit"):
        async with db.session_scope() as session:
            await pharmacies.set_stock(session, staff_of(pid), pid, "ibu", quantity=3, price=1500)
    async with db.session_scope() as session:
        await pharmacies.set_stock(session, staff_of(pid), pid, "ibu", quantity=12, price=1600)
    assert await stock_row(pid, "ibu") == (12, 4)
    assert await ledger_sum(pid, "ibu") == (12, 4)


async def test_staff_of_another_pharmacy_may_not_touch_stock() -> None:
    pid = await make_pharmacy(stock=[("ibu", 10, 1500)])
    other = await make_pharmacy()
    with pytest.raises(PermissionDenied):
        async with db.session_scope() as session:
            await pharmacies.set_stock(session, staff_of(other), pid, "ibu", quantity=0, price=1)
    with pytest.raises(PermissionDenied):
        async with db.session_scope() as session:
            await pharmacies.set_stock(session, customer(), pid, "ibu", quantity=0, price=1)
    assert await stock_row(pid, "ibu") == (10, 0)


async def test_a_multi_line_reservation_is_all_or_nothing() -> None:
    pid = await make_pharmacy(stock=[("a", 5, 100), ("b", 1, 100)])
    with pytest.raises(Conflict) as refused:
        async with db.session_scope() as session:
            await pharmacies.reserve_stock(
                session, pid, [pharmacies.StockLine("a", 2), pharmacies.StockLine("b", 2)], ref="x", minutes=5
            )
    assert refused.value.code == "out_of_stock"
    assert await stock_row(pid, "a") == (5, 0)
    assert await stock_row(pid, "b") == (1, 0)


async def test_bad_reservations_are_refused() -> None:
    pid = await make_pharmacy(stock=[("a", 5, 100)])
    for lines, minutes in (
        ([pharmacies.StockLine("a", 0)], 5),
        ([pharmacies.StockLine("a", -2)], 5),
        ([], 5),
    ):
        with pytest.raises(InvalidInput):
            async with db.session_scope() as session:
                await pharmacies.reserve_stock(session, pid, lines, ref="x", minutes=minutes)
    with pytest.raises(Conflict):
        async with db.session_scope() as session:
            await pharmacies.reserve_stock(
                session, pid, [pharmacies.StockLine("nope", 1)], ref="x", minutes=5
            )
    assert await stock_row(pid, "a") == (5, 0)


async def test_commit_release_and_expiry() -> None:
    pid = await make_pharmacy(stock=[("a", 10, 100)])
    async with db.session_scope() as session:
        for ref in ("sold", "dropped", "late"):
            await pharmacies.reserve_stock(session, pid, [pharmacies.StockLine("a", 2)], ref=ref, minutes=5)
    assert await stock_row(pid, "a") == (10, 6)
    async with db.session_scope() as session:
        assert await pharmacies.commit_reservations(session, "sold") == [pharmacies.StockLine("a", 2)]
        assert await pharmacies.release_reservations(session, "dropped") == 2
    assert await stock_row(pid, "a") == (8, 2)
    frozen = clock.FrozenClock(datetime.now(UTC) + timedelta(minutes=6))
    clock.set_clock(frozen)
    try:
        async with db.session_scope() as session:
            refs = await pharmacies.expire_reservations(session)
    finally:
        clock.set_clock(None)
    assert "late" in refs
    assert await stock_row(pid, "a") == (8, 0)
    assert await ledger_sum(pid, "a") == (8, 0)
    with pytest.raises(Conflict) as gone:
        async with db.session_scope() as session:
            await pharmacies.commit_reservations(session, "late")
    assert gone.value.code == "reservation_gone"


async def test_two_hundred_concurrent_reservations_for_ten_units() -> None:
    pid = await make_pharmacy(stock=[("last", 10, 100)])

    async def attempt(i: int) -> bool:
        try:
            async with db.session_scope() as session:
                await pharmacies.reserve_stock(
                    session, pid, [pharmacies.StockLine("last", 1)], ref=f"c{i}", minutes=5
                )
                await pharmacies.commit_reservations(session, f"c{i}")
        except Conflict:
            return False
        return True

    results = await asyncio.gather(*(attempt(i) for i in range(200)))
    assert sum(results) == 10
    assert await stock_row(pid, "last") == (0, 0)
    assert await ledger_sum(pid, "last") == (0, 0)


async def test_csv_import_applies_good_rows_and_reports_bad_ones() -> None:
    pid = await make_pharmacy(stock=[("held", 5, 100)])
    async with db.session_scope() as session:
        await pharmacies.reserve_stock(session, pid, [pharmacies.StockLine("held", 3)], ref="h", minutes=5)
    text = "medicine_id,quantity,price\nnew-one,7,12.50\nheld,1,1.00\nunknown,1,1\nnew-two,x,1\nheld,5,1.00\n"
    async with db.session_scope() as session:
        report = await pharmacies.import_stock_csv(
            session, staff_of(pid), pid, text, known_ids={"new-one", "new-two", "held"}
        )
    assert report.to_dict() == {
        "applied": 1,
        "unchanged": 0,
        "rejected": 4,
        "fatal": None,
        "errors": [
            {
                "line": 3,
                "medicine_id": "held",
                "message": "3 unit(s) of held are reserved; quantity cannot go below that",
            },
            {"line": 4, "medicine_id": "unknown", "message": "unknown product 'unknown'"},
            {"line": 5, "medicine_id": "new-two", "message": "quantity 'x' is not a whole number"},
            {"line": 6, "medicine_id": "held", "message": "duplicate of line 3"},
        ],
    }
    assert await stock_row(pid, "new-one") == (7, 0)
    assert await stock_row(pid, "held") == (5, 3)


async def test_a_malformed_csv_changes_nothing() -> None:
    pid = await make_pharmacy(stock=[("a", 5, 100)])
    async with db.session_scope() as session:
        report = await pharmacies.import_stock_csv(session, SYSTEM, pid, "name,count\na,1\n")
    assert report.to_dict()["fatal"] == "missing column(s): medicine_id, quantity, price"
    assert report.to_dict("zh")["fatal"] == "缺少列：medicine_id, quantity, price"
    assert report.applied == 0
    assert await stock_row(pid, "a") == (5, 0)


async def test_offers_near_keeps_open_approved_covering_pharmacies_with_stock() -> None:
    lat, lng = 31.30 + uuid.uuid4().int % 1000 / 1e6, 121.50  # a spot no other test uses
    near = await make_pharmacy(lat=lat, lng=lng, stock=[("m1", 3, 900)], name="Near")
    far = await make_pharmacy(lat=lat + 0.01, lng=lng, stock=[("m1", 3, 800)], name="Far")
    await make_pharmacy(lat=lat + 0.05, lng=lng, stock=[("m1", 3, 700)])  # outside its 3 km
    await make_pharmacy(lat=lat, lng=lng, stock=[("m1", 3, 600)], approved=False)
    await make_pharmacy(lat=lat, lng=lng, stock=[("m1", 0, 500)])
    await make_pharmacy(lat=lat, lng=lng, stock=[("m1", 3, 400)], always_open=False)  # no hours: closed
    async with db.session_scope() as session:
        offers = await pharmacies.offers_near(session, ["m1", "m2"], lat, lng)
    assert [o.pharmacy_id for o in offers["m1"]] == [near, far]
    assert offers["m2"] == []
    assert offers["m1"][0].price == 900
    assert offers["m1"][0].distance_m == 0.0


async def test_suspension_hides_a_pharmacy_and_approval_needs_an_operator() -> None:
    lat, lng = PEOPLES_SQUARE[0] - 0.2, PEOPLES_SQUARE[1]
    pid = await make_pharmacy(lat=lat, lng=lng, stock=[("m", 1, 1)])
    with pytest.raises(PermissionDenied):
        async with db.session_scope() as session:
            await pharmacies.suspend_pharmacy(session, staff_of(pid), pid, "self")
    async with db.session_scope() as session:
        await pharmacies.suspend_pharmacy(session, SYSTEM, pid, "licence check")
        assert (await pharmacies.offers_near(session, ["m"], lat, lng))["m"] == []


async def test_a_shortage_expires_overdue_holds_without_waiting_for_the_timer() -> None:
    pid = await make_pharmacy(stock=[("last", 1, 100)])
    async with db.session_scope() as session:
        await pharmacies.reserve_stock(session, pid, [pharmacies.StockLine("last", 1)], ref="slow", minutes=5)
    with pytest.raises(Conflict):
        async with db.session_scope() as session:
            await pharmacies.reserve_stock(
                session, pid, [pharmacies.StockLine("last", 1)], ref="early", minutes=5
            )
    clock.set_clock(clock.FrozenClock(datetime.now(UTC) + timedelta(minutes=6)))
    try:
        async with db.session_scope() as session:
            await pharmacies.reserve_stock(
                session, pid, [pharmacies.StockLine("last", 1)], ref="late", minutes=5
            )
    finally:
        clock.set_clock(None)
    assert await stock_row(pid, "last") == (1, 1)
    assert await ledger_sum(pid, "last") == (1, 1)
    async with db.session_scope() as session:
        assert await pharmacies.held_units(session, "slow", "last") == 0
        assert await pharmacies.held_units(session, "late", "last") == 1
