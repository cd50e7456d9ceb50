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
def test_case_level(case) -> None:
    outcome = run_case(case, PORTS)
    got = [(f.code, f.severity) for f in outcome.result.findings]
    assert outcome.result.level == case.expect, f"{case.id}: {got}"
    for code in case.expect_codes:
        assert code in outcome.result.codes, f"{case.id}: missing {code} in {got}"


def test_every_rule_flag_and_finding_code_is_exercised() -> None:
    from medrush.safety import load_knowledge_base

    rules: set[str] = set()
    codes: set[str] = set()
    for case in CASES:
        for finding in run_case(case, PORTS).result.findings:
            codes.add(finding.code)
            if finding.rule:
                rules.add(finding.rule)
    kb = load_knowledge_base()
    assert [r.id for kind in kb.rules.values() for r in kind if r.id not in rules] == []
    assert [f.code for f in kb.flags if f"red_flag.{f.code}" not in codes] == []
    assert [code for code in kb.messages if code not in codes] == []


def test_every_jurisdiction_level_is_exercised() -> None:
    """Each rule level of a jurisdiction (``jurisdictions`` in rules.yaml) fires in a case of that
    jurisdiction, and the generic level of the same rule in another case."""
    from medrush.safety import load_knowledge_base

    fired: set[tuple[str, str]] = set()
    for case in CASES:
        for finding in run_case(case, PORTS).result.findings:
            if finding.rule and finding.source and finding.source.startswith(f"[{case.jurisdiction}] "):
                fired.add((finding.rule, case.jurisdiction))
    kb = load_knowledge_base()
    local = {(r.id, code) for kind in kb.rules.values() for r in kind for code in r.local}
    assert sorted(local - fired) == []
    assert {j for _, j in fired} <= {"cn", "kr"}


def test_a_text_cut_by_an_unquoted_comma_is_refused(tmp_path: Path) -> None:
    # In a {...} mapping an unquoted comma ends the text and starts a key: the case would run on
    # "sore back" alone. Twelve cases of two files did, unnoticed, until the loader refused them.
    (tmp_path / "cut.yaml").write_text(
        "- {id: cut-1, category: condition, expect: allow, symptoms: sore back, want some ibuprofen}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"cut\.yaml: cut-1: unknown field\(s\) 'want some ibuprofen'"):
        load_cases(tmp_path)
    (tmp_path / "cut.yaml").write_text(
        '- {id: cut-1, category: condition, expect: allow, symptoms: "sore back, want some ibuprofen"}\n',
        encoding="utf-8",
    )
    [case] = load_cases(tmp_path)
    assert case.request.symptoms == "sore back, want some ibuprofen"
