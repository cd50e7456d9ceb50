"""Idempotency body hashes and the safety port's handling of the engine's answers (no database)."""

from typing import Any

import pytest

from medrush.kernel.errors import InvalidInput
from medrush.orders import body_hash, set_safety_checker
from medrush.orders.ports import SafetyVerdict, run_safety_check


def test_body_hash_ignores_key_order_but_not_values() -> None:
    assert body_hash({"a": 1, "b": [1, 2]}) == body_hash({"b": [1, 2], "a": 1})
    assert body_hash({"a": 1}) != body_hash({"a": 2})
    assert len(body_hash({})) == 64


class _Result:
    def to_json_dict(self) -> dict[str, Any]:
        return {"level": "warn", "findings": [{"code": "dup", "severity": "warn", "message": "two NSAIDs"}]}


async def test_the_engine_answer_becomes_a_verdict() -> None:
    set_safety_checker(lambda request: _Result())
    try:
        verdict = await run_safety_check({"items": []})
    finally:
        set_safety_checker(None)
    assert verdict == SafetyVerdict("warn", [{"code": "dup", "severity": "warn", "message": "two NSAIDs"}])


async def test_an_async_checker_is_awaited() -> None:
    async def checker(request: dict[str, Any]) -> dict[str, Any]:
        return {"level": "allow", "findings": []}

    set_safety_checker(checker)
    try:
        assert await run_safety_check({}) == SafetyVerdict("allow", [])
    finally:
        set_safety_checker(None)


async def test_a_request_the_engine_rejects_is_invalid_input() -> None:
    def checker(request: dict[str, Any]) -> dict[str, Any]:
        raise ValueError("patient.height: extra fields not permitted")

    set_safety_checker(checker)
    try:
        with pytest.raises(InvalidInput) as refused:
            await run_safety_check({"patient": {"height": 1}})
    finally:
        set_safety_checker(None)
    assert refused.value.code == "bad_safety_input"


@pytest.mark.parametrize(("code", "level"), [("kr", "block"), ("generic", "warn")])
async def test_the_checkout_check_uses_the_deployment_jurisdiction(
    monkeypatch: pytest.MonkeyPatch, code: str, level: str
) -> None:
    """The real engine behind the checkout: a rule level of MEDRUSH_JURISDICTION applies (MFDS DUR:
    statins are contraindicated in pregnancy in kr; generic FDA 2021 warns)."""
    from pathlib import Path

    from medrush.safety.cases import suite_ports
    from medrush.settings import reset_settings

    ports = suite_ports(Path(__file__).resolve().parents[2] / "cases" / "safety")
    monkeypatch.setattr("medrush.safety.catalog_ports", lambda: (ports.resolve, ports.get))
    monkeypatch.setenv("MEDRUSH_JURISDICTION", code)
    reset_settings()
    try:
        verdict = await run_safety_check(
            {
                "patient": {"age_years": 36, "sex": "female", "pregnant": True},
                "items": [{"medicine_id": "t-simvastatin-20"}],
                "prescriptions": [{"medicine_id": "t-simvastatin-20", "status": "approved"}],
            }
        )
    finally:
        monkeypatch.delenv("MEDRUSH_JURISDICTION")
        reset_settings()
    assert verdict is not None
    assert verdict.level == level
    assert [f["code"] for f in verdict.findings] == ["pregnancy"]
