"""Parsing of stock and price CSV files into good rows and a row-by-row error report.

Columns (header required, order free): ``medicine_id``, ``quantity``, ``price`` (in major units,
e.g. ``12.50``). Pure: the action applies the good rows in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from medrush.kernel.i18n import N_, gettext
from medrush.kernel.money import to_minor

__all__ = ["REQUIRED_COLUMNS", "RowError", "StockRow", "StockSheet", "parse_stock_csv"]

REQUIRED_COLUMNS = ("medicine_id", "quantity", "price")
MAX_ROWS = 20_000
MAX_QUANTITY = 1_000_000
MAX_PRICE_MINOR = 100_000_000


@dataclass(frozen=True, slots=True)
class StockRow:
    """One valid line: set this product's quantity and price."""

    line: int
    medicine_id: str
    quantity: int
    price: int


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one line (1 = header) was rejected, or the whole file (``StockSheet.fatal``): ``message``
    in English, ``template`` and ``values`` to show it in the reader's language (``translated``)."""

    line: int
    message: str
    medicine_id: str | None = None
    template: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, line: int, template: str, medicine_id: str | None = None, **values: Any) -> RowError:
        """A refusal from a template whose fields are ``values`` and ``medicine_id``."""
        values = {"medicine_id": medicine_id, **values}
        return cls(line, template.format(**values), medicine_id, template, values)

    def translated(self, lang: str) -> str:
        """The message in ``lang`` (English when there is no template or translation)."""
        if not self.template:
            return self.message
        try:
            return gettext(lang, self.template).format(**self.values)
        except (KeyError, IndexError, ValueError):
            return self.message


@dataclass(slots=True)
class StockSheet:
    """The outcome of parsing: rows to apply and rows rejected; ``fatal`` when the file is unusable
    (its line is the header for a missing column, the first row past the limit for too many)."""

    rows: list[StockRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fatal: RowError | None = None


def parse_stock_csv(text: str, known_ids: Container[str] | None = None) -> StockSheet:
    """Validate every line of a stock CSV; unknown products are rejected when ``known_ids`` is given."""
    sheet = StockSheet()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        sheet.fatal = RowError.of(1, N_("missing column(s): {columns}"), columns=", ".join(missing))
        return sheet
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for index, raw in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            sheet.fatal = RowError.of(index, N_("too many rows (at most {limit})"), limit=MAX_ROWS)
            sheet.rows.clear()
            return sheet
        if None in raw:
            sheet.errors.append(RowError.of(index, N_("more cells than columns")))
            continue
        row_or_error = _parse_row(index, raw, known_ids, seen)
        if isinstance(row_or_error, RowError):
            sheet.errors.append(row_or_error)
        else:
            seen[row_or_error.medicine_id] = index
            sheet.rows.append(row_or_error)
    return sheet


def _parse_row(
    line: int, raw: dict[str, str | None], known_ids: Container[str] | None, seen: dict[str, int]
) -> StockRow | RowError:
    medicine_id = (raw.get("medicine_id") or "").strip()
    if not medicine_id:
        return RowError.of(line, N_("medicine_id is empty"))
    if known_ids is not None and medicine_id not in known_ids:
        return RowError.of(line, N_("unknown product {medicine_id!r}"), medicine_id)
    if medicine_id in seen:
        return RowError.of(line, N_("duplicate of line {first}"), medicine_id, first=seen[medicine_id])
    quantity_text = (raw.get("quantity") or "").strip()
    try:
        quantity = int(quantity_text)
    except ValueError:
        return RowError.of(
            line, N_("quantity {text!r} is not a whole number"), medicine_id, text=quantity_text
        )
    if quantity < 0 or quantity > MAX_QUANTITY:
        return RowError.of(
            line, N_("quantity must be between 0 and {limit}"), medicine_id, limit=MAX_QUANTITY
        )
    price_text = (raw.get("price") or "").strip()
    try:
        amount = Decimal(price_text)
    except InvalidOperation:
        return RowError.of(line, N_("price {text!r} is not a number"), medicine_id, text=price_text)
    if not amount.is_finite() or amount < 0:
        return RowError.of(line, N_("price must be zero or more"), medicine_id)
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return RowError.of(line, N_("price has more than two decimals"), medicine_id)
    price = to_minor(amount)
    if price > MAX_PRICE_MINOR:
        return RowError.of(line, N_("price is implausibly high"), medicine_id)
    return StockRow(line, medicine_id, quantity, price)
