"""The case suite: every case in tests/cases/safety must give exactly its expected level."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.safety.cases import load_cases, run_case, suite_ports

CASES_DIR = Path(__file__).resolve().parents[2] / "cases" / "safety"
CASES = load_cases(CASES_DIR)
PORTS = suite_ports(CASES_DIR)


def test_suite_is_big_enough() -> None:
    dangerous = [c for c in CASES if c.expect != "allow"]
    safe = [c for c in CASES if c.expect == "allow"]
    assert len(CASES) >= 260
    assert len(safe) >= 80
    assert len(dangerous) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_level(case) -> None:  # type: ignore[no-untyped-def]
    outcome = run_case(case, PORTS)
    got = [(f.code, f.severity) for f in outcome.result.findings]
    assert outcome.result.level == case.expect, f"{case.id}: {got}"
    for code in case.expect_codes:
        assert code in outcome.result.codes, f"{case.id}: missing {code} in {got}"
