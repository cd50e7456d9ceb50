"""Rule levels that differ by jurisdiction: the ``jurisdictions`` mapping of a rule in rules.yaml is
validated when the knowledge base loads, and the engine applies the level of its jurisdiction."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from medrush.cli import safety as safety_cli
from medrush.safety import check, mark_products
from medrush.safety.knowledge import (
    LocalLevel,
    build_knowledge_base,
    kb_dir,
    load_knowledge_base,
    rules_catalog,
)
from medrush.safety.ports import ProductListPorts
from medrush.safety.schemas import Severity
from medrush.settings import reset_settings
from medrush.web.api.v1 import safety as safety_api

PREGNANT_ON_SIMVASTATIN: dict[str, Any] = {
    "patient": {"age_years": 36, "sex": "female", "pregnant": True, "pregnancy_weeks": 6},
    "items": [{"medicine_id": "t-simvastatin-20"}],
    "prescriptions": [{"medicine_id": "t-simvastatin-20", "status": "approved", "valid_until": "2099-12-31"}],
}
CHILD_WITH_PAEDIATRIC_GRANULES: dict[str, Any] = {
    "patient": {"age_years": 3},
    "items": [{"medicine_id": "z10-paediatric-paracetamol-chlorphenamine-bezoar-granules"}],
}


# --- loading -------------------------------------------------------------------------------------


def _with_override(tmp_path: Path, rule_id: str, jurisdictions: object) -> Path:
    """A copy of the knowledge base whose rule ``rule_id`` has this ``jurisdictions`` value."""
    folder = tmp_path / "safety"
    shutil.copytree(kb_dir(), folder)
    path = folder / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [r for kind in rules.values() if isinstance(kind, list) for r in kind if isinstance(r, dict)]
    rule = next(r for r in found if r.get("id") == rule_id)
    rule["jurisdictions"] = jurisdictions
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    return folder


def test_the_shipped_levels_load() -> None:
    rules = {r.id: r for kind in load_knowledge_base().rules.values() for r in kind}
    statins = rules["pregnancy.statins"]
    assert statins.severity is Severity.warn  # the generic level is unchanged
    assert statins.local["kr"].severity is Severity.block
    assert statins.local["kr"].source.startswith("MFDS DUR")
    cough = rules["age.cough_cold_under_6"]
    assert cough.severity is Severity.block
    assert cough.local["cn"] == LocalLevel(
        Severity.info, cough.local["cn"].source, cough.local["cn"].message, labelled_for_age=True
    )
    assert "NMPA" in cough.local["cn"].source
    for rule in rules.values():
        for local in rule.local.values():
            assert local.source.strip(), rule.id
            assert local.message is None or set(local.message) == {"en", "zh", "ko"}, rule.id


@pytest.mark.parametrize(
    ("jurisdictions", "error"),
    [
        (
            {"us": {"severity": "block", "source": "FDA"}},
            r"unknown jurisdiction 'us' \(known: generic, cn, kr\)",
        ),
        ({"kr": {"severity": "forbidden", "source": "MFDS"}}, "severity must be one of info, warn, block"),
        ({"kr": {"severity": "emergency", "source": "MFDS"}}, "severity must be one of"),
        ({"kr": {"source": "MFDS"}}, "severity must be one of"),
        ({"generic": {"severity": "block", "source": "x"}}, "generic is the rule's own severity"),
        ({"kr": {"severity": "block"}}, "kr: a source is required"),
        ({"kr": {"severity": "block", "source": " "}}, "kr: a source is required"),
        ({"kr": {"severity": "warn", "source": "MFDS"}}, "severity warn is the generic level already"),
        (
            {"kr": {"severity": "block", "source": "MFDS", "message": {"en": "x"}}},
            r"message needs \['zh', 'ko'\]",
        ),
        ({"kr": {"severity": "block", "source": "MFDS", "level": "x"}}, r"unknown keys \['level'\]"),
        ({"kr": {"severity": "block", "source": "MFDS", "labelled_for_age": True}}, "for age rules only"),
        ({"kr": "block"}, "kr: expected severity and source"),
        ([], "expected a mapping of jurisdiction codes"),
    ],
)
def test_a_bad_jurisdiction_level_is_a_load_error(tmp_path: Path, jurisdictions: object, error: str) -> None:
    folder = _with_override(tmp_path, "pregnancy.statins", jurisdictions)
    with pytest.raises(ValueError, match=rf"rules.yaml: pregnancy.statins: jurisdictions: .*{error}"):
        build_knowledge_base(folder)


def test_labelled_for_age_must_be_a_boolean(tmp_path: Path) -> None:
    folder = _with_override(
        tmp_path,
        "age.codeine_under_12",
        {"cn": {"severity": "warn", "source": "x", "labelled_for_age": "yes"}},
    )
    with pytest.raises(ValueError, match="labelled_for_age must be true or false"):
        build_knowledge_base(folder)


def test_an_emergency_number_for_an_unknown_jurisdiction_is_a_load_error(tmp_path: Path) -> None:
    folder = tmp_path / "safety"
    shutil.copytree(kb_dir(), folder)
    path = folder / "red_flags.yaml"
    flags = yaml.safe_load(path.read_text(encoding="utf-8"))
    flags["emergency_numbers"]["jp"] = "119"
    path.write_text(yaml.safe_dump(flags, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"emergency_numbers: unknown \['jp'\]"):
        build_knowledge_base(folder)


def test_rule_at_a_jurisdiction() -> None:
    rules = {r.id: r for kind in load_knowledge_base().rules.values() for r in kind}
    statins = rules["pregnancy.statins"]
    assert statins.at("generic") is statins
    assert statins.at("cn") is statins
    in_kr = statins.at("kr")
    assert (in_kr.severity, in_kr.jurisdiction, in_kr.id) == (Severity.block, "kr", statins.id)
    assert in_kr.source == statins.local["kr"].source and in_kr.message["ko"].startswith("스타틴은")
    cough = rules["age.cough_cold_under_6"]
    assert cough.at("cn") is cough  # only for a product whose label covers the age
    assert cough.at("cn", labelled_for_age=True).severity is Severity.info


def test_the_rules_catalog_lists_the_levels_of_each_jurisdiction() -> None:
    listing = {r["id"]: r for r in rules_catalog("ko")["rules"]}
    statins = listing["pregnancy.statins"]
    assert statins["severity"] == "warn"
    assert statins["jurisdictions"]["kr"]["severity"] == "block"
    assert statins["jurisdictions"]["kr"]["message"].startswith("스타틴은")
    assert listing["age.aspirin_under_16"]["jurisdictions"] == {}


# --- the engine -----------------------------------------------------------------------------------


def test_the_engine_applies_the_level_of_its_jurisdiction(ports: ProductListPorts) -> None:
    def level(request: dict[str, Any], jurisdiction: str) -> tuple[str, str | None]:
        result = check(request, resolve=ports.resolve, get=ports.get, jurisdiction=jurisdiction, lang="en")
        return result.level, result.findings[0].source

    assert level(PREGNANT_ON_SIMVASTATIN, "generic") == ("warn", load_rule("pregnancy.statins").source)
    assert level(PREGNANT_ON_SIMVASTATIN, "cn")[0] == "warn"
    found, source = level(PREGNANT_ON_SIMVASTATIN, "kr")
    assert found == "block" and source is not None and source.startswith("[kr] MFDS DUR")
    assert level(CHILD_WITH_PAEDIATRIC_GRANULES, "generic")[0] == "block"
    assert level(CHILD_WITH_PAEDIATRIC_GRANULES, "kr")[0] == "block"
    found, source = level(CHILD_WITH_PAEDIATRIC_GRANULES, "cn")
    assert found == "allow" and source is not None and source.startswith("[cn] NMPA")


def test_the_cn_age_level_follows_the_product_label(ports: ProductListPorts) -> None:
    def result(request: dict[str, Any]) -> Any:
        return check(request, resolve=ports.resolve, get=ports.get, jurisdiction="cn", lang="zh")

    labelled = result(CHILD_WITH_PAEDIATRIC_GRANULES)
    assert [(f.code, f.severity, f.rule) for f in labelled.findings] == [
        ("age_contraindication", "info", "age.cough_cold_under_6")
    ]
    assert "按说明书" in labelled.findings[0].message
    # a cough syrup the catalog gives no label age: the generic level
    assert result({"patient": {"age_years": 3}, "items": [{"medicine_id": "t-dxm-syrup"}]}).level == "block"
    # under 2 the FDA 2008 rule still blocks (cn overrides only the under-6 rule)
    assert result({**CHILD_WITH_PAEDIATRIC_GRANULES, "patient": {"age_years": 1.5}}).level == "block"
    # age unknown: the generic level asks for the age
    unknown = result({**CHILD_WITH_PAEDIATRIC_GRANULES, "patient": {}})
    assert "age_unknown" in unknown.codes


def load_rule(rule_id: str) -> Any:
    return next(r for kind in load_knowledge_base().rules.values() for r in kind if r.id == rule_id)


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set MEDRUSH_JURISDICTION for one test (settings are read again after it)."""
    reset_settings()
    yield monkeypatch
    monkeypatch.delenv("MEDRUSH_JURISDICTION", raising=False)
    reset_settings()


@pytest.mark.parametrize(("code", "expected"), [("kr", "block"), ("cn", "warn"), ("generic", "warn")])
def test_without_a_jurisdiction_the_engine_uses_the_setting(
    ports: ProductListPorts, deployment: pytest.MonkeyPatch, code: str, expected: str
) -> None:
    deployment.setenv("MEDRUSH_JURISDICTION", code)
    reset_settings()
    assert check(PREGNANT_ON_SIMVASTATIN, resolve=ports.resolve, get=ports.get).level == expected
    products = [ports.get("t-simvastatin-20")]
    marks = mark_products(
        PREGNANT_ON_SIMVASTATIN["patient"],
        [p for p in products if p],
        prescriptions=PREGNANT_ON_SIMVASTATIN["prescriptions"],
    )
    assert marks["t-simvastatin-20"].level == expected  # search marks agree with the checkout


def test_the_cli_uses_the_deployment_jurisdiction(
    tmp_path: Path, ports: ProductListPorts, deployment: pytest.MonkeyPatch
) -> None:
    deployment.setattr("medrush.safety.ports.catalog_ports", lambda: (ports.resolve, ports.get))
    path = tmp_path / "request.json"
    path.write_text(json.dumps(PREGNANT_ON_SIMVASTATIN), encoding="utf-8")
    deployment.setenv("MEDRUSH_JURISDICTION", "kr")
    reset_settings()
    runner = CliRunner()
    result = runner.invoke(safety_cli.app, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["level"] == "block"
    assert body["findings"][0]["source"].startswith("[kr] ")
    result = runner.invoke(safety_cli.app, ["check", str(path), "--json", "--jurisdiction", "generic"])
    assert json.loads(result.output)["level"] == "warn"


def test_the_api_uses_the_deployment_jurisdiction(
    ports: ProductListPorts, deployment: pytest.MonkeyPatch
) -> None:
    deployment.setattr(safety_api, "catalog_ports", lambda: (ports.resolve, ports.get))
    deployment.setenv("MEDRUSH_JURISDICTION", "kr")
    reset_settings()
    app = FastAPI()
    app.include_router(safety_api.router)
    response = TestClient(app).post("/api/v1/safety/check", json=PREGNANT_ON_SIMVASTATIN)
    assert response.status_code == 200
    assert response.json()["level"] == "block"
