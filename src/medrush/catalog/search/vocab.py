"""The vocabularies search needs besides the products: symptom terms, ingredient synonyms and the kinds of
product the catalog does not sell, by language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LANGS", "Terms", "Vocabulary"]

LANGS = ("en", "zh", "ko")
Terms = Mapping[str, tuple[str, ...]]


def _terms(raw: Any, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping of language to a list of terms")
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in raw.items():
        if lang not in LANGS:
            continue
        if isinstance(items, str):
            items = [items]
        out[str(lang)] = tuple(str(item).strip() for item in items or [] if str(item).strip())
    return out


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Symptom keys, ingredient INNs and kinds of product not sold, each with its terms in en, zh and ko."""

    symptoms: Mapping[str, Terms] = field(default_factory=dict)
    ingredients: Mapping[str, Terms] = field(default_factory=dict)
    # a kind of product the catalog does not sell ("sun_protection": sunscreen, 防晒霜, 선크림)
    not_sold: Mapping[str, Terms] = field(default_factory=dict)

    @classmethod
    def from_mappings(
        cls,
        symptoms: Mapping[str, Any],
        ingredients: Mapping[str, Any],
        not_sold: Mapping[str, Any] | None = None,
    ) -> Vocabulary:
        """Build from the plain ``key -> {en: [...], zh: [...], ko: [...]}`` form of the data files."""
        return cls(
            symptoms={str(k): _terms(v, f"symptom {k}") for k, v in (symptoms or {}).items()},
            ingredients={
                str(k).lower(): _terms(v, f"ingredient {k}") for k, v in (ingredients or {}).items()
            },
            not_sold={str(k): _terms(v, f"not sold {k}") for k, v in (not_sold or {}).items()},
        )

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        """Read ``symptoms.yaml``, ``ingredients.yaml`` and ``not_sold.yaml`` of a catalog data folder
        (missing: empty)."""

        def read(name: str) -> Mapping[str, Any]:
            path = folder / name
            if not path.exists():
                return {}
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}

        return cls.from_mappings(read("symptoms.yaml"), read("ingredients.yaml"), read("not_sold.yaml"))
