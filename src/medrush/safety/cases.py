"""The safety case suite: YAML cases with the expected level, run by pytest and ``bench/safety_cases.py``.

A case file (``tests/cases/safety/*.yaml``) is a list of cases, each with ``id``, ``category``,
``lang``, ``expect`` (the exact level), optional ``expect_codes`` (codes that must be among the
findings), and the request parts ``patient``, ``items``, ``symptoms``, ``prescriptions``. Items refer
to the fixture catalog in ``catalog/products.yaml`` next to the cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from medrush.catalog import load_product_files
from medrush.safety.engine import check
from medrush.safety.ports import ProductListPorts
from medrush.safety.schemas import LEVELS, SafetyRequest, SafetyResult

__all__ = ["Case", "CaseOutcome", "load_cases", "run_case", "suite_ports"]

# Cases carry fixed prescription dates; checking them against a fixed day keeps the suite stable.
_TODAY = date(2026, 11, 23)


@dataclass(frozen=True, slots=True)
class Case:
    """One case of the suite."""

    id: str
    category: str
    lang: str
    expect: str
    expect_codes: tuple[str, ...]
    request: SafetyRequest
    jurisdiction: str


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """A case with the result it produced."""

    case: Case
    result: SafetyResult

    @property
    def exact(self) -> bool:
        """The level is exactly the expected one and every expected code is present."""
        codes = set(self.result.codes)
        return self.result.level == self.case.expect and all(c in codes for c in self.case.expect_codes)

    @property
    def at_least(self) -> bool:
        """The level is the expected one or stricter."""
        return LEVELS.index(self.result.level) >= LEVELS.index(self.case.expect)


def load_cases(folder: Path) -> list[Case]:
    """Every case of every ``*.yaml`` file in ``folder`` (sorted by file name); ids must be unique."""
    out: list[Case] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append(_case(raw, path.name))
            if out[-1].id in seen:
                raise ValueError(f"{path.name}: duplicate case id {out[-1].id}")
            seen.add(out[-1].id)
    return out


CASE_FIELDS = frozenset(
    {"id", "category", "lang", "expect", "expect_codes", "jurisdiction"}
    | {"patient", "items", "symptoms", "prescriptions"}  # the request
)


def _case(raw: dict[str, Any], where: str) -> Case:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: a case must be a mapping, not {raw!r}")
    unknown = sorted(map(str, raw.keys() - CASE_FIELDS))
    if unknown:
        # in a flow mapping, an unquoted comma in a text starts a new key: {symptoms: sore back, hart failure}
        raise ValueError(
            f"{where}: {raw.get('id')}: unknown field(s) {', '.join(map(repr, unknown))}"
            " (an unquoted comma in a text of a {...} mapping? quote the text)"
        )
    if raw.get("expect") not in LEVELS:
        raise ValueError(f"{where}: {raw.get('id')}: expect must be one of {LEVELS}")
    request = SafetyRequest.model_validate(
        {
            "patient": raw.get("patient") or {},
            "items": raw.get("items") or [],
            "symptoms": raw.get("symptoms"),
            "lang": raw.get("lang"),
            "prescriptions": raw.get("prescriptions") or [],
        }
    )
    return Case(
        id=str(raw["id"]),
        category=str(raw["category"]),
        lang=str(raw.get("lang") or "en"),
        expect=str(raw["expect"]),
        expect_codes=tuple(raw.get("expect_codes") or ()),
        request=request,
        jurisdiction=str(raw.get("jurisdiction") or "generic"),
    )


def suite_ports(folder: Path) -> ProductListPorts:
    """Ports over the fixture catalog of a case folder (``catalog/*.yaml``), and the products of
    ``catalog/by_id/*.yaml`` (copies of shipped products that cases name by id, round 21), found by id only
    so that queries resolve as before."""
    by_id = folder / "catalog" / "by_id"
    return ProductListPorts(
        load_product_files(folder / "catalog"),
        by_id_only=load_product_files(by_id) if by_id.is_dir() else (),
    )


def run_case(case: Case, ports: ProductListPorts) -> CaseOutcome:
    """Run one case through the engine."""
    result = check(
        case.request,
        resolve=ports.resolve,
        get=ports.get,
        jurisdiction=case.jurisdiction,
        today=_TODAY,
    )
    return CaseOutcome(case, result)
