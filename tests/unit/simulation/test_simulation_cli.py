"""`medrush simulate day` refuses bad input in one line with exit code 2, before it touches a database."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from medrush.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--surge", "evening"), "surge 'evening' is not START-ENDxFACTOR"),
        (("--surge", "21-18x2"), "surge '21-18x2': hours must be"),
        (("--couriers", "1 2 3"), "--couriers needs 24 numbers"),
        (("--couriers", "a b"), "--couriers: 'a b' is not 24 whole numbers"),
        (("--couriers", " ".join(["99999"] * 24)), "the roster needs 24 courier counts, each 0 to"),
        (("--orders", "0"), "orders per day must be 1 to"),
        (("--orders", "90000", "--surge", "0-24x20"), "orders per day must be 1 to"),
        (("--consults", "100000000"), "consultations per day must be 0 to"),
        (("--seed", "-1"), "the seed must be a whole number"),
        (("--target", "1.5"), "the on-time target is a share"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = runner.invoke(app, ["simulate", "day", "--city", "Anywhere", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {message}")
    assert result.exception is None or isinstance(result.exception, SystemExit)
