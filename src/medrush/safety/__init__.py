"""Medication safety: red-flag triage, contraindications, interactions, duplicates, limits, prescriptions.

One entry point, :func:`check`, is used by search marking, checkout, consultations and
prescriptions alike; catalog look-ups come in through two ports (``resolve`` a free-text query,
``get`` a catalog id), so the engine never touches a database. Use :func:`catalog_ports` for them:
it accepts only identity matches of the catalog search (never "headache" -> aspirin).
"""

from medrush.safety.engine import GetPort, ResolvePort, check, check_profile_items, mark_products
from medrush.safety.knowledge import KnowledgeBase, kb_dir, load_knowledge_base, rules_catalog
from medrush.safety.ports import ProductListPorts, catalog_ports
from medrush.safety.profiles import patient_from_profile
from medrush.safety.schemas import (
    LEVELS,
    Finding,
    FindingItem,
    Item,
    Level,
    Patient,
    PrescriptionRef,
    SafetyRequest,
    SafetyResult,
    Severity,
)

__all__ = [
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
]
