"""``medrush safety check FILE --json`` the way an external checker calls it.

Every file in ``tests/cases/safety/contract/`` goes through the command (in this process, through
Typer's runner: the same parsing, exit codes and stderr, with the catalog index built once), and
a sample of them through the real console command in a child process; ``expected.yaml`` there says
what must come out: a ``level`` (and ``codes`` among the findings) with exit 0 and JSON valid
against the contract schema, or a non-zero ``exit`` with a one-line ``error`` on stderr naming the
problem, never a traceback. The command reads the shipped catalog files, not the database.
``safety_check.schema.json`` here is a copy of the project's shared contract schema (the shape
external checks validate).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from medrush.cli import app

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = ROOT / "tests" / "cases" / "safety" / "contract"
SCHEMA = json.loads((Path(__file__).parent / "safety_check.schema.json").read_text(encoding="utf-8"))
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((CONTRACT / "expected.yaml").read_text(encoding="utf-8"))
# through the console command as well: an accepted file, a refused one, a byte-order mark, Chinese
IN_CHILD_PROCESS = 4


class Outcome:
    """What one run printed and returned."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _in_process(name: str) -> Outcome:
    result = CliRunner().invoke(app, ["safety", "check", str(CONTRACT / name), "--json"])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Outcome(result.exit_code, result.stdout, result.stderr)


def _child_process(name: str) -> Outcome:
    env = {key: value for key, value in os.environ.items() if key != "MEDRUSH_DATABASE_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "medrush", "safety", "check", str(CONTRACT / name), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
        check=False,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def _sample() -> list[str]:
    """A few files of different kinds for the console command (each run starts a fresh process)."""
    names = sorted(EXPECTED)
    refused = [n for n in names if "exit" in EXPECTED[n]]
    accepted = [n for n in names if "exit" not in EXPECTED[n]]
    bom = [n for n in names if "bom" in n]
    chinese = [n for n in names if "zh" in n]
    return list(dict.fromkeys([accepted[0], refused[0], *bom[:1], *chinese[:1]]))[:IN_CHILD_PROCESS]


@cache
def _outcome(name: str, child: bool) -> Outcome:
    return _child_process(name) if child else _in_process(name)


def test_every_contract_file_has_an_expectation() -> None:
    files = {p.name for p in CONTRACT.glob("*.json")}
    assert files == set(EXPECTED)
    assert len(files) >= 40


@pytest.mark.parametrize(
    ("name", "child"), [(n, False) for n in sorted(EXPECTED)] + [(n, True) for n in _sample()]
)
def test_contract_file(name: str, child: bool) -> None:
    expect = EXPECTED[name]
    proc = _outcome(name, child)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    if "exit" in expect:
        assert proc.returncode == expect["exit"], (proc.returncode, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("error: ")
        assert expect["error"] in lines[0]
        assert proc.stdout == ""
        return
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["level"] == expect["level"], (expect.get("note"), doc)
    codes = {f["code"] for f in doc["findings"]}
    assert set(expect.get("codes", ())) <= codes, (codes, doc)
