"""The delivery promise by day and night and the honest ETA."""

from datetime import UTC, datetime

from medrush.orders.promise import DEFAULT_COURIER_MINUTES, estimate, promise_minutes, travel_minutes

HOURS = {"day_start_hour": 7, "night_start_hour": 22, "day_minutes": 30, "night_minutes": 60}


def test_day_and_night_in_local_time() -> None:
    # 06:00 UTC is 14:00 in Shanghai; 15:00 UTC is 23:00; 22:59 UTC is 06:59
    assert promise_minutes(datetime(2026, 11, 23, 6, tzinfo=UTC), "Asia/Shanghai", **HOURS) == 30
    assert promise_minutes(datetime(2026, 11, 23, 15, tzinfo=UTC), "Asia/Shanghai", **HOURS) == 60
    assert promise_minutes(datetime(2026, 11, 23, 22, 59, tzinfo=UTC), "Asia/Shanghai", **HOURS) == 60
    assert promise_minutes(datetime(2026, 11, 23, 23, 0, tzinfo=UTC), "Asia/Shanghai", **HOURS) == 30


def test_travel_time_uses_detour_and_city_speed() -> None:
    # 0.01 degree of latitude is 1111.95 m; x1.3 = 1445.5 m at 300 m/min
    assert round(travel_minutes(31.0, 121.0, 31.01, 121.0), 3) == 4.818


def test_eta_waits_for_the_later_of_picking_and_courier_then_rides() -> None:
    est = estimate(
        pharmacy_lat=31.0,
        pharmacy_lng=121.0,
        lat=31.01,
        lng=121.0,
        picking_minutes=5,
        courier_minutes=None,
        promise=30,
    )
    assert est.courier_minutes == DEFAULT_COURIER_MINUTES
    assert est.eta_minutes == 15  # ceil(max(5, 8) + 4.818 + 2)
    assert est.keeps_promise is True


def test_a_far_customer_is_told_the_promise_cannot_be_kept() -> None:
    est = estimate(
        pharmacy_lat=31.0,
        pharmacy_lng=121.0,
        lat=31.06,
        lng=121.0,
        picking_minutes=5,
        courier_minutes=12,
        promise=30,
    )
    assert est.eta_minutes == 43
    assert est.keeps_promise is False


def test_pickup_is_ready_when_picked() -> None:
    est = estimate(
        pharmacy_lat=31.0,
        pharmacy_lng=121.0,
        lat=31.5,
        lng=121.0,
        picking_minutes=6,
        courier_minutes=20,
        promise=30,
        pickup=True,
    )
    assert est.eta_minutes == 6
