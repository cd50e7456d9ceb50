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


def test_api_422_words_our_validators_in_the_reader_s_language() -> None:
    from medrush.web.errors import install_error_handlers

    app = FastAPI()
    app.include_router(safety_api.router)
    install_error_handlers(app)
    client = TestClient(app)
    body = {"patient": {"sex": "xyz", "pregnant": "maybe"}, "items": [{"quantity": 1}]}
    shown = {}
    for lang in ("en", "zh", "ko"):
        response = client.post("/api/v1/safety/check", json=body, headers={"accept-language": lang})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        shown[lang] = {".".join(map(str, d["loc"])): d["msg"] for d in error["details"]}
    assert shown["en"] == {
        "body.patient.sex": "Value error, expected female, male, other or unknown (got 'xyz')",
        "body.patient.pregnant": "Value error, expected true or false (got 'maybe')",
        "body.items.0": "Value error, give exactly one of medicine_id or query",
    }
    assert shown["zh"] == {
        "body.patient.sex": "应为 female、male、other 或 unknown（收到 'xyz'）",
        "body.patient.pregnant": "应为 true 或 false（收到 'maybe'）",
        "body.items.0": "medicine_id 与 query 须填写且只能填写其中一个",
    }
    assert shown["ko"] == {
        "body.patient.sex": "female, male, other 또는 unknown이어야 합니다 (입력값: 'xyz')",
        "body.patient.pregnant": "true 또는 false여야 합니다 (입력값: 'maybe')",
        "body.items.0": "medicine_id와 query 중 하나만 입력하세요",
    }
    zh = client.post("/api/v1/safety/check?lang=zh", json={"items": [{"query": "aspirin", "qty": "lots"}]})
    assert zh.json()["error"]["message"] == "items.0.quantity: 应为整数盒数（收到 'lots'）"


def test_cli_words_a_bad_file_in_the_lang_it_is_given(tmp_path: Path) -> None:
    path = write(tmp_path, {"patient": {"sex": "xyz", "age_years": 200}})
    english = CliRunner().invoke(safety_cli.app, ["check", str(path)])
    assert english.exit_code == 2
    assert english.output.strip() == (
        f"error: {path}: patient.age_years: Input should be less than or equal to 125 (got 200.0); "
        "patient.sex: expected female, male, other or unknown (got 'xyz')"
    )
    chinese = CliRunner().invoke(safety_cli.app, ["check", str(path), "--lang", "zh"])
    assert chinese.exit_code == 2
    assert chinese.output.strip() == (
        f"error: {path}: patient.age_years: 应小于或等于 125（收到 200.0）; "
        "patient.sex: 应为 female、male、other 或 unknown（收到 'xyz'）"
    )
    korean = CliRunner().invoke(safety_cli.app, ["check", str(path), "--lang", "ko"])
    assert "patient.sex: female, male, other 또는 unknown이어야 합니다 (입력값: 'xyz')" in korean.output
