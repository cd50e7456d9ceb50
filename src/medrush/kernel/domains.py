"""Importing a domain's module by name, for the lists that assemble the application (routers,
subscribers, models, demo data) without importing every domain at the top."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_domain_module"]


def import_domain_module(name: str) -> ModuleType | None:
    """``medrush.<name>``, or None when that domain or module is not there (a build without it);
    an import that fails inside a module that is there is raised."""
    module_name = f"medrush.{name}"
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
