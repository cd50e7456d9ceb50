"""Rule levels that differ by jurisdiction: the ``jurisdictions`` mapping of a rule in rules.yaml is
validated when the knowledge base loads, and the engine applies the level of its jurisdiction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from medrush.cli import safety as safety_cli
from medrush.safety import check, mark_products
from medrush.safety.knowledge import (
    LocalLevel,
    build_knowledge_base,
    load_knowledge_base,
    rules_catalog,
)
from medrush.safety.ports import ProductListPorts
from medrush.safety.schemas import Severity
from medrush.settings import reset_settings
from medrush.web.api.v1 import safety as safety_api
from tests.unit.safety.conftest import edited_knowledge

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
    return _with_fields(tmp_path, rule_id, jurisdictions=jurisdictions)


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


def _with_fields(tmp_path: Path, rule_id: str, **fields: object) -> Path:
    """A copy of the knowledge base whose rule ``rule_id`` has these top-level fields."""

    def edit(rules: Any) -> None:
        found = [r for kind in rules.values() if isinstance(kind, list) for r in kind if isinstance(r, dict)]
        next(r for r in found if r.get("id") == rule_id).update(fields)

    return edited_knowledge(tmp_path, "rules.yaml", edit)


def test_the_shipped_age_limits_and_kr_only_rules_load() -> None:
    rules = {r.id: r for kind in load_knowledge_base().rules.values() for r in kind}
    codeine = rules["age.codeine_under_12"]
    assert (codeine.below_years, codeine.severity) == (12, Severity.block)  # generic unchanged
    assert (codeine.local["kr"].below_years, codeine.local["kr"].severity) == (13, Severity.block)
    tetracyclines = rules["age.tetracyclines_under_8"]
    assert (tetracyclines.below_years, tetracyclines.local["kr"].below_years) == (8, 12)
    nsaids = rules["older.nsaids"]
    assert (nsaids.from_years, nsaids.local["kr"].from_years) == (75, 65)
    assert nsaids.local["kr"].severity is Severity.warn and nsaids.local["kr"].below_years is None
    only_kr = sorted(r.id for r in rules.values() if r.only_in)
    assert only_kr == [
        "age.kr_doxylamine_15_and_under",
        "age.kr_meloxicam_15_and_under",
        "age.kr_metoclopramide_under_1",
        "age.kr_xylometazoline_under_12",
        "pregnancy.kr_berberine",
        "pregnancy.kr_domperidone",
        "pregnancy.kr_pde5_inhibitors",
    ]
    for rule_id in only_kr:
        assert rules[rule_id].only_in == frozenset({"kr"})
        assert rules[rule_id].source.startswith("MFDS DUR"), rule_id
        assert not rules[rule_id].local, rule_id


@pytest.mark.parametrize(
    ("rule_id", "jurisdictions", "error"),
    [
        (
            "pregnancy.statins",
            {"kr": {"below_years": 12, "source": "MFDS"}},
            "below_years is for age rules only",
        ),
        ("older.nsaids", {"kr": {"below_years": 65, "source": "MFDS"}}, "below_years is for age rules only"),
        (
            "age.codeine_under_12",
            {"kr": {"from_years": 65, "source": "MFDS"}},
            "from_years is for older-adults",
        ),
        (
            "age.codeine_under_12",
            {"kr": {"below_years": 0, "source": "MFDS"}},
            "above 0 and at most 120, got 0",
        ),
        ("age.codeine_under_12", {"kr": {"below_years": -1, "source": "MFDS"}}, "above 0 and at most 120"),
        ("age.codeine_under_12", {"kr": {"below_years": 121, "source": "MFDS"}}, "at most 120, got 121"),
        ("age.codeine_under_12", {"kr": {"below_years": "12", "source": "MFDS"}}, "got '12'"),
        ("age.codeine_under_12", {"kr": {"below_years": True, "source": "MFDS"}}, "got True"),
        ("age.codeine_under_12", {"kr": {"below_years": None, "source": "MFDS"}}, "got None"),
        ("older.nsaids", {"kr": {"from_years": 200, "source": "MFDS"}}, "from_years must be a number"),
        (
            "age.codeine_under_12",
            {"kr": {"below_years": 12, "source": "MFDS"}},
            "below_years 12 is the generic age",
        ),
        ("older.nsaids", {"kr": {"from_years": 75.0, "source": "MFDS"}}, "from_years 75 is the generic age"),
        ("age.codeine_under_12", {"kr": {"below_years": 13}}, "a source is required"),
        (
            "age.codeine_under_12",
            {"kr": {"below_years": 13, "severity": "x", "source": "M"}},
            "severity must be",
        ),
    ],
)
def test_a_bad_jurisdiction_age_is_a_load_error(
    tmp_path: Path, rule_id: str, jurisdictions: object, error: str
) -> None:
    folder = _with_override(tmp_path, rule_id, jurisdictions)
    with pytest.raises(ValueError, match=rf"rules.yaml: {rule_id}: jurisdictions: kr: .*{error}"):
        build_knowledge_base(folder)


def test_an_age_limit_alone_keeps_the_generic_level(tmp_path: Path) -> None:
    folder = _with_override(tmp_path, "age.loperamide_under_12", {"kr": {"below_years": 6, "source": "x"}})
    rule = next(r for r in build_knowledge_base(folder).rules["age"] if r.id == "age.loperamide_under_12")
    assert rule.local["kr"] == LocalLevel(Severity.warn, "x", None, False, 6.0)
    in_kr = rule.at("kr")
    assert (in_kr.severity, in_kr.below_years, in_kr.message, in_kr.jurisdiction) == (
        Severity.warn,
        6.0,
        rule.message,
        "kr",
    )
    assert rule.at("cn") is rule


@pytest.mark.parametrize(
    ("only_in", "error"),
    [
        ("kr", "expected a list of jurisdiction codes"),
        ([], "expected a list of jurisdiction codes"),
        ([1], "expected a list of jurisdiction codes"),
        (["generic"], "generic is every jurisdiction"),
        (["kr", "us"], r"unknown jurisdictions \['us'\] \(known: generic, cn, kr\)"),
        (["kr", "kr"], "a jurisdiction is listed twice"),
    ],
)
def test_a_bad_only_in_is_a_load_error(tmp_path: Path, only_in: object, error: str) -> None:
    folder = _with_fields(tmp_path, "pregnancy.kr_berberine", only_in=only_in)
    with pytest.raises(ValueError, match=rf"rules.yaml: pregnancy.kr_berberine: only_in: {error}"):
        build_knowledge_base(folder)


def test_a_level_outside_only_in_is_a_load_error(tmp_path: Path) -> None:
    folder = _with_fields(
        tmp_path,
        "pregnancy.kr_berberine",
        jurisdictions={"cn": {"severity": "warn", "source": "NMPA"}},
    )
    with pytest.raises(
        ValueError, match=r"pregnancy\.kr_berberine: jurisdictions: cn: the rule applies only in kr"
    ):
        build_knowledge_base(folder)
    folder = _with_fields(
        tmp_path / "both",
        "pregnancy.kr_berberine",
        only_in=["cn", "kr"],
        jurisdictions={"cn": {"severity": "warn", "source": "NMPA"}},
    )
    rule = next(
        r for r in build_knowledge_base(folder).rules["pregnancy"] if r.id == "pregnancy.kr_berberine"
    )
    assert rule.at("cn").severity is Severity.warn and rule.at("kr").severity is Severity.block


def test_a_rule_of_one_jurisdiction_applies_only_there() -> None:
    kb = load_knowledge_base()
    ids = {code: {r.id for r in kb.rules_in(code)["pregnancy"]} for code in ("generic", "cn", "kr")}
    assert "pregnancy.kr_domperidone" in ids["kr"]
    assert "pregnancy.kr_domperidone" not in ids["generic"] | ids["cn"]
    assert (
        ids["generic"]
        == ids["cn"]
        == ids["kr"]
        - {
            "pregnancy.kr_domperidone",
            "pregnancy.kr_pde5_inhibitors",
            "pregnancy.kr_berberine",
        }
    )
    berberine = next(r for r in kb.rules_in("kr")["pregnancy"] if r.id == "pregnancy.kr_berberine")
    assert berberine.jurisdiction == "kr"  # its findings name it: "[kr] MFDS DUR ..."
    assert berberine.at("kr") is berberine
    codeine = next(r for r in kb.rules_in("kr")["age"] if r.id == "age.codeine_under_12")
    assert (codeine.below_years, codeine.jurisdiction) == (13, "kr")


def test_an_emergency_number_for_an_unknown_jurisdiction_is_a_load_error(tmp_path: Path) -> None:
    folder = edited_knowledge(
        tmp_path, "red_flags.yaml", lambda flags: flags["emergency_numbers"].update(jp="119")
    )
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
    assert listing["age.aspirin_under_16"]["only_in"] == []
    tetracyclines = listing["age.tetracyclines_under_8"]
    assert (tetracyclines["below_years"], tetracyclines["jurisdictions"]["kr"]["below_years"]) == (8, 12)
    assert tetracyclines["jurisdictions"]["kr"]["severity"] == "block"
    assert listing["older.nsaids"]["jurisdictions"]["kr"]["from_years"] == 65
    domperidone = listing["pregnancy.kr_domperidone"]
    assert (domperidone["only_in"], domperidone["severity"]) == (["kr"], "block")
    assert domperidone["message"].startswith("돔페리돈은")


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


def test_the_kr_age_limits_and_kr_only_rules_in_the_engine(ports: ProductListPorts) -> None:
    def level(patient: dict[str, Any], medicine_id: str, jurisdiction: str) -> str:
        request = {
            "patient": patient,
            "items": [{"medicine_id": medicine_id}],
            "prescriptions": [
                {"medicine_id": medicine_id, "status": "approved", "valid_until": "2099-12-31"}
            ],
        }
        return check(request, resolve=ports.resolve, get=ports.get, jurisdiction=jurisdiction).level

    # doxycycline: generic under 8, kr under 12, both block
    assert [level({"age_years": age}, "t-doxycycline-100", "kr") for age in (7, 11.9, 12)] == [
        "block",
        "block",
        "allow",
    ]
    assert [level({"age_years": age}, "t-doxycycline-100", "generic") for age in (7, 8, 11.9)] == [
        "block",
        "allow",
        "allow",
    ]
    # NSAIDs in older adults: kr from 65, generic from 75
    assert [level({"age_years": age}, "t-naproxen-220", "kr") for age in (64, 65, 80)] == [
        "allow",
        "warn",
        "warn",
    ]
    assert [level({"age_years": age}, "t-naproxen-220", "generic") for age in (65, 74, 75)] == [
        "allow",
        "allow",
        "warn",
    ]
    # a kr-only rule: none in generic or cn
    pregnant = {"age_years": 30, "sex": "female", "pregnant": True, "pregnancy_weeks": 10}
    assert {code: level(pregnant, "t-sildenafil-50", code) for code in ("generic", "cn", "kr")} == {
        "generic": "allow",
        "cn": "allow",
        "kr": "block",
    }
    # a kr-only age rule asks for the age like any blocking age rule
    assert level({}, "t-meloxicam-7-5", "kr") == "warn"
    assert level({}, "t-meloxicam-7-5", "generic") == "allow"


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
