"""``medrush safety check FILE`` and ``POST /api/v1/safety/check`` against the fixture catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from medrush.cli import safety as safety_cli
from medrush.safety.ports import ProductListPorts
from medrush.web.api.v1 import safety as safety_api


@pytest.fixture
def fixture_catalog(monkeypatch: pytest.MonkeyPatch, ports: ProductListPorts) -> None:
    """Make both entry points resolve items through the fixture catalog."""
    monkeypatch.setattr("medrush.safety.ports.catalog_ports", lambda: (ports.resolve, ports.get))
    monkeypatch.setattr(safety_api, "catalog_ports", lambda: (ports.resolve, ports.get))


def write(tmp_path: Path, body: object) -> Path:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_cli_prints_the_contract_json(tmp_path: Path, fixture_catalog: None) -> None:
    request = {
        "patient": {"age_years": 9},
        "items": [{"query": "Aspirin 300 mg tablets", "quantity": 1}],
        "symptoms": "fever",
    }
    result = CliRunner().invoke(
        safety_cli.app, ["check", str(write(tmp_path, request)), "--json", "--jurisdiction", "cn"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["level"] == "block"
    assert [f["code"] for f in body["findings"]] == ["age_contraindication"]
    assert body["findings"][0]["items"] == [
        {"index": 0, "medicine_id": "t-aspirin-300", "query": "Aspirin 300 mg tablets"}
    ]
    assert set(body["findings"][0]) == {"code", "severity", "message", "items", "source"}


def test_cli_emergency_in_chinese_with_the_cn_number(tmp_path: Path, fixture_catalog: None) -> None:
    path = write(tmp_path, {"patient": {"age_years": 60}, "items": [], "symptoms": "胸口疼，压榨感"})
    result = CliRunner().invoke(
        safety_cli.app, ["check", str(path), "--json", "--lang", "zh", "--jurisdiction", "cn"]
    )
    body = json.loads(result.output)
    assert body["level"] == "emergency"
    assert "请立即拨打120急救电话" in body["findings"][0]["message"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"patient": {"age_years": 200}}', "patient.age_years"),
        ('{"items": [{"quantity": 1}]}', "give exactly one of medicine_id or query"),
        ('{"patient": {"age_years": "old"}}', "patient.age_years: expected an age"),
        ('{"patient": {"sex": "xyz"}}', "patient.sex"),
        ("", "is empty"),
    ],
)
def test_cli_bad_files_exit_2_without_traceback(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(safety_cli.app, ["check", str(path), "--json"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_missing_file_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(safety_cli.app, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_api_check_and_language_negotiation(fixture_catalog: None) -> None:
    app = FastAPI()
    app.include_router(safety_api.router)
    client = TestClient(app)
    response = client.post(
        "/api/v1/safety/check",
        json={
            "patient": {"age_years": 40, "current_medications": ["와파린"]},
            "items": [{"medicine_id": "t-ibuprofen-200"}],
        },
        headers={"accept-language": "ko"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "block"
    assert body["findings"][0]["message"].startswith("이부프로펜정 200mg + 와파린: 와파린과 소염진통제")
    assert client.post("/api/v1/safety/check", json={"patient": {"age_years": -2}}).status_code == 422
    rules = client.get("/api/v1/safety/rules", params={"lang": "en"}).json()
    assert any(r["id"] == "interaction.pde5_nitrates" for r in rules["rules"])
