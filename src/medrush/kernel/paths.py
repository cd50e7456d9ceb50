"""Where local state and shipped data live."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "home_dir"]


def home_dir() -> Path:
    """MEDRUSH_HOME as an absolute path, created on first use."""
    from medrush.settings import get_settings

    home = get_settings().home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def data_dir() -> Path:
    """The shipped data folder (``data/`` at the repository root, or MEDRUSH_DATA_DIR)."""
    override = os.environ.get("MEDRUSH_DATA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "data"
