"""The MDRP courier pay rule (``dispatch.pay``): the larger of pay per order and the hourly guarantee."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medrush.dispatch.pay import courier_pay, to_minor

RATES = st.integers(min_value=0, max_value=1_000_000)  # minor units
ORDERS = st.integers(min_value=0, max_value=500)
SECONDS = st.integers(min_value=0, max_value=24 * 3600)


def _hours(seconds: int) -> Fraction:
    return Fraction(seconds, 3600)


def test_the_larger_part_is_due() -> None:
    busy = courier_pay(Fraction(700), 6, Fraction(2600), _hours(3600))
    assert (busy.by_orders, busy.guarantee, busy.due) == (4200, 2600, 4200)
    quiet = courier_pay(Fraction(700), 1, Fraction(2600), _hours(5400))
    assert (quiet.by_orders, quiet.guarantee, quiet.due) == (700, 3900, 3900)
    nothing = courier_pay(Fraction(700), 0, Fraction(2600), _hours(0))
    assert nothing.due == 0


def test_floats_as_the_benchmark_uses_them() -> None:
    pay = courier_pay(10.0, 3, 15.0, 2.5)
    assert (pay.by_orders, pay.guarantee, pay.due) == (30.0, 37.5, 37.5)


def test_a_part_of_a_minor_unit_is_rounded_half_up_once() -> None:
    assert to_minor(courier_pay(Fraction(0), 0, Fraction(2600), _hours(1)).guarantee) == 1  # 0.72
    assert to_minor(courier_pay(Fraction(0), 0, Fraction(1800), _hours(1)).guarantee) == 1  # 0.5 exactly
    assert to_minor(courier_pay(Fraction(0), 0, Fraction(1799), _hours(1)).guarantee) == 0
    assert to_minor(courier_pay(Fraction(0), 0, Fraction(3600), _hours(7)).guarantee) == 7  # no float drift


def test_negative_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        courier_pay(Fraction(700), -1, Fraction(2600), Fraction(1))
    with pytest.raises(ValueError, match="negative"):
        courier_pay(Fraction(700), 1, Fraction(2600), Fraction(-1))


@given(RATES, ORDERS, RATES, SECONDS)
def test_due_is_never_below_either_part(per_order: int, orders: int, per_hour: int, s: int) -> None:
    pay = courier_pay(Fraction(per_order), orders, Fraction(per_hour), _hours(s))
    assert pay.due >= pay.by_orders and pay.due >= pay.guarantee
    assert pay.due in (pay.by_orders, pay.guarantee)
    due = to_minor(pay.due)  # rounding keeps it: never below either rounded part
    assert due >= to_minor(pay.by_orders) and due >= to_minor(pay.guarantee)


@given(RATES, ORDERS, st.integers(min_value=1, max_value=50), RATES, SECONDS)
def test_more_deliveries_pay_no_less(per_order: int, orders: int, more: int, per_hour: int, s: int) -> None:
    fewer = courier_pay(Fraction(per_order), orders, Fraction(per_hour), _hours(s))
    extra = courier_pay(Fraction(per_order), orders + more, Fraction(per_hour), _hours(s))
    assert extra.due >= fewer.due and to_minor(extra.due) >= to_minor(fewer.due)
    if per_order > 0 and extra.by_orders > extra.guarantee:
        assert extra.due > fewer.due  # once deliveries lead, each one adds its pay


@given(RATES, ORDERS, RATES, SECONDS, SECONDS)
def test_more_hours_never_pay_less(per_order: int, orders: int, per_hour: int, s: int, t: int) -> None:
    short, long = sorted((s, t))
    less = courier_pay(Fraction(per_order), orders, Fraction(per_hour), _hours(short))
    more = courier_pay(Fraction(per_order), orders, Fraction(per_hour), _hours(long))
    assert more.due >= less.due
