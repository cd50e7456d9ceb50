"""The courier pay rule of the Grubhub MDRP benchmark, shared by its evaluator and live earnings.

A courier is paid the larger of two amounts: pay per delivered order times the orders delivered,
and guaranteed pay per hour times the hours of the shift. The evaluator works in the benchmark's
float currency; live dispatch passes exact fractions of integer minor units (``Fraction``) so a
guarantee for part of an hour is rounded once, at the end (``to_minor``), and as hours the time
the courier was online within its shifts (``live.queries.courier_earnings``: time paused offline
is not guaranteed; the benchmark's couriers never pause).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

__all__ = ["CourierPay", "PayRates", "courier_pay", "to_minor"]

Q = TypeVar("Q", float, Fraction)


@dataclass(frozen=True, slots=True)
class PayRates:
    """Live courier pay: whole minor units of ``currency`` per delivery and guaranteed per hour."""

    currency: str
    per_delivery: int
    per_hour: int


@dataclass(frozen=True, slots=True)
class CourierPay(Generic[Q]):
    """The two parts of a courier's pay and the amount due (the larger)."""

    by_orders: Q
    guarantee: Q

    @property
    def due(self) -> Q:
        """What the courier is owed: the larger of the two parts."""
        return max(self.by_orders, self.guarantee)


def courier_pay(per_order: Q, orders: int, per_hour: Q, hours: Q) -> CourierPay[Q]:
    """Pay per order x orders and guaranteed pay per hour x hours (negative counts are refused)."""
    if orders < 0 or hours < 0 or per_order < 0 or per_hour < 0:
        raise ValueError("pay rates, orders and hours cannot be negative")
    return CourierPay(per_order * orders, per_hour * hours)


def to_minor(amount: Fraction) -> int:
    """An exact amount of minor units rounded to a whole one, half up (as ``kernel.money.to_minor``)."""
    return math.floor(amount + Fraction(1, 2))
