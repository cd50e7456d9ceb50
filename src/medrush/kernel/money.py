"""Money in integer minor units (fen, cents, won) so sums never drift."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["format_minor", "to_minor"]


def to_minor(amount: Decimal | str | float, exponent: int = 2) -> int:
    """Convert a decimal amount to integer minor units, rounding half up."""
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_HALF_UP)
    return int(value.scaleb(exponent))


def format_minor(minor: int, currency: str = "CNY", exponent: int = 2) -> str:
    """Human form of an amount in minor units, e.g. 1250 -> '¥12.50'."""
    symbols = {"CNY": "¥", "KRW": "₩", "USD": "$", "EUR": "€"}
    if currency == "KRW":
        exponent = 0
    value = Decimal(minor).scaleb(-exponent)
    return f"{symbols.get(currency, currency + ' ')}{value:,.{exponent}f}"
