"""Stock CSV parsing: good rows kept, each bad row reported with its line and reason."""

import pytest

from medrush.pharmacies import stock_csv
from medrush.pharmacies.stock_csv import RowError, StockRow, parse_stock_csv

KNOWN = {"ibuprofen-200-tab", "paracetamol-500-tab", "loratadine-10-tab"}


def test_good_rows_are_parsed_to_minor_units() -> None:
    sheet = parse_stock_csv("medicine_id,quantity,price\nibuprofen-200-tab,12,15.5\n", KNOWN)
    assert sheet.fatal is None
    assert sheet.errors == []
    assert sheet.rows == [StockRow(2, "ibuprofen-200-tab", 12, 1550)]


def test_each_bad_row_is_reported_and_good_rows_stand() -> None:
    text = (
        "price,medicine_id,quantity\n"
        "9.90,paracetamol-500-tab,5\n"
        "1,unknown-thing,3\n"
        "2,loratadine-10-tab,-1\n"
        "abc,loratadine-10-tab,1\n"
        "1.999,loratadine-10-tab,1\n"
        "3,paracetamol-500-tab,1\n"
        ",,\n"
        "4,loratadine-10-tab,2.5\n"
        "4,loratadine-10-tab,7\n"
    )
    sheet = parse_stock_csv(text, KNOWN)
    assert sheet.rows == [
        StockRow(2, "paracetamol-500-tab", 5, 990),
        StockRow(10, "loratadine-10-tab", 7, 400),
    ]
    assert sheet.errors == [
        RowError(3, "unknown product 'unknown-thing'", "unknown-thing"),
        RowError(4, "quantity must be between 0 and 1000000", "loratadine-10-tab"),
        RowError(5, "price 'abc' is not a number", "loratadine-10-tab"),
        RowError(6, "price has more than two decimals", "loratadine-10-tab"),
        RowError(7, "duplicate of line 2", "paracetamol-500-tab"),
        RowError(8, "medicine_id is empty"),
        RowError(9, "quantity '2.5' is not a whole number", "loratadine-10-tab"),
    ]


def test_a_missing_column_is_fatal_and_said_in_the_reader_s_language() -> None:
    sheet = parse_stock_csv("medicine_id,qty\nx,1\n", KNOWN)
    assert sheet.fatal == RowError(1, "missing column(s): quantity, price")
    assert sheet.rows == []
    assert sheet.fatal.translated("en") == "missing column(s): quantity, price"
    assert sheet.fatal.translated("zh") == "缺少列：quantity, price"
    assert sheet.fatal.translated("ko") == "열이 없습니다: quantity, price"


def test_too_many_rows_is_fatal_and_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stock_csv, "MAX_ROWS", 2)
    sheet = parse_stock_csv("medicine_id,quantity,price\na,1,1\nb,1,1\nc,1,1\n")
    assert sheet.fatal == RowError(4, "too many rows (at most 2)")
    assert sheet.rows == []
    assert sheet.fatal.translated("zh") == "行数过多（最多 2 行）"
    assert sheet.fatal.translated("ko") == "행이 너무 많습니다(최대 2행)"


def test_extra_cells_reject_the_row() -> None:
    sheet = parse_stock_csv("medicine_id,quantity,price\nibuprofen-200-tab,1,2,3\n", KNOWN)
    assert sheet.rows == []
    assert sheet.errors == [RowError(2, "more cells than columns")]


def test_without_a_catalog_any_id_is_accepted_and_a_bom_is_ignored() -> None:
    sheet = parse_stock_csv("\ufeffMedicine_ID,Quantity,Price\nanything,0,0\n")
    assert sheet.rows == [StockRow(2, "anything", 0, 0)]


def test_negative_and_nan_prices_are_refused() -> None:
    sheet = parse_stock_csv("medicine_id,quantity,price\na,1,-1\nb,1,NaN\n")
    assert [e.message for e in sheet.errors] == ["price must be zero or more", "price must be zero or more"]
