"""The safety domain's public surface: sorted, complete, and nothing private leaks out."""

from __future__ import annotations

import medrush.safety as safety


def test_public_names() -> None:
    # isort order, as ruff keeps it: CONSTANTS, then Classes, then functions.
    assert safety.__all__ == sorted(safety.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    assert set(safety.__all__) == {
        "LEVELS",
        "Finding",
        "FindingItem",
        "GetPort",
        "Item",
        "KnowledgeBase",
        "Level",
        "Patient",
        "PrescriptionRef",
        "ProductListPorts",
        "ResolvePort",
        "SafetyRequest",
        "SafetyResult",
        "Severity",
        "catalog_ports",
        "check",
        "check_profile_items",
        "kb_dir",
        "load_knowledge_base",
        "mark_products",
        "patient_from_profile",
        "rules_catalog",
    }
    for name in safety.__all__:
        assert getattr(safety, name) is not None


def test_levels_are_ordered() -> None:
    assert safety.LEVELS == ("allow", "warn", "block", "emergency")
    assert [s.level for s in safety.Severity] == ["allow", "warn", "block", "emergency"]
