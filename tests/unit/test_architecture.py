"""The layering rules of ARCHITECTURE.md that import-linter cannot express.

A domain uses another domain only through its public ``__init__`` (never ``medrush.orders.models``
from ``medrush.consult``), and no domain imports the web layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "medrush"
DOMAINS = {
    "accounts",
    "catalog",
    "prescriptions",
    "safety",
    "pharmacies",
    "dispatch",
    "orders",
    "consult",
    "interop",
    "simulation",
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_domains_use_each_other_only_through_their_public_init() -> None:
    offences = []
    for domain in sorted(DOMAINS):
        for path in sorted((SRC / domain).rglob("*.py")):
            for name in _imports(path):
                parts = name.split(".")
                if len(parts) >= 3 and parts[0] == "medrush" and parts[1] in DOMAINS and parts[1] != domain:
                    offences.append(f"{path.relative_to(SRC)} imports {name}")
    assert offences == []


def test_no_domain_imports_the_web_layer() -> None:
    offences = [
        f"{path.relative_to(SRC)} imports {name}"
        for domain in sorted(DOMAINS | {"kernel"})
        for path in sorted((SRC / domain).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(("medrush.web", "fastapi", "starlette"))
    ]
    assert offences == []
