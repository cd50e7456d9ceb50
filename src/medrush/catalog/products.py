"""The product record shared by the catalog, its search index and the safety engine.

A product is read from the shipped data files (``data/catalog/products/*.yaml``) or from the
``medicines`` table; both give the same frozen dataclass, so search and safety never depend on
where the catalog came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["RX_CLASSES", "Brand", "Ingredient", "Product", "load_product_files", "product_from_dict"]

RX_CLASSES = ("otc_a", "otc_b", "rx", "device", "other")


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One active ingredient: lower-case English INN and its strength per unit (may be unknown)."""

    name: str
    strength: float | None = None
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Brand:
    """A marketed brand name in one language, with where the name was checked."""

    name: str
    lang: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A medicine or health product as search and safety see it."""

    id: str
    name_en: str
    name_zh: str
    name_ko: str
    generic_name_en: str
    ingredients: tuple[Ingredient, ...]
    atc: str | None
    dosage_form: str
    pack: str
    category: str
    rx_class: str
    brands: tuple[Brand, ...] = ()
    indications: tuple[str, ...] = ()
    min_age_years: float | None = None
    pregnancy: str | None = None
    breastfeeding: str | None = None
    max_per_order: int | None = None
    sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ingredient_names(self) -> tuple[str, ...]:
        """The lower-case INN names of the active ingredients."""
        return tuple(i.name for i in self.ingredients)

    def name_in(self, lang: str) -> str:
        """The display name in ``lang`` (``zh``, ``ko`` or ``en``), English when missing."""
        return {"zh": self.name_zh, "ko": self.name_ko}.get(lang[:2], self.name_en) or self.name_en

    def to_dict(self) -> dict[str, Any]:
        """The plain form stored in the database and in the data files."""
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_zh": self.name_zh,
            "name_ko": self.name_ko,
            "generic_name_en": self.generic_name_en,
            "ingredients": [
                {"name": i.name, "strength": i.strength, "unit": i.unit} for i in self.ingredients
            ],
            "atc": self.atc,
            "dosage_form": self.dosage_form,
            "pack": self.pack,
            "category": self.category,
            "rx_class": self.rx_class,
            "brands": [{"name": b.name, "lang": b.lang, "source": b.source} for b in self.brands],
            "indications": list(self.indications),
            "min_age_years": self.min_age_years,
            "pregnancy": self.pregnancy,
            "breastfeeding": self.breastfeeding,
            "max_per_order": self.max_per_order,
            "sources": list(self.sources),
        }


def product_from_dict(raw: dict[str, Any]) -> Product:
    """Build a product from its plain form; raises ValueError naming the bad field."""
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid:
        raise ValueError("product without an id")
    rx_class = raw.get("rx_class")
    if rx_class not in RX_CLASSES:
        raise ValueError(f"{pid}: rx_class must be one of {', '.join(RX_CLASSES)}, not {rx_class!r}")
    ingredients = []
    for item in raw.get("ingredients") or []:
        name = str(item["name"]).strip()
        if name != name.lower():
            raise ValueError(f"{pid}: ingredient names are lower-case INN, not {name!r}")
        strength = item.get("strength")
        ingredients.append(
            Ingredient(
                name=name, strength=float(strength) if strength is not None else None, unit=item.get("unit")
            )
        )
    try:
        return Product(
            id=pid,
            name_en=str(raw["name_en"]),
            name_zh=str(raw.get("name_zh") or ""),
            name_ko=str(raw.get("name_ko") or ""),
            generic_name_en=str(raw.get("generic_name_en") or ""),
            ingredients=tuple(ingredients),
            atc=raw.get("atc"),
            dosage_form=str(raw.get("dosage_form") or ""),
            pack=str(raw.get("pack") or ""),
            category=str(raw.get("category") or "other"),
            rx_class=rx_class,
            brands=tuple(
                Brand(name=str(b["name"]), lang=str(b.get("lang") or "en"), source=b.get("source"))
                for b in raw.get("brands") or []
            ),
            indications=tuple(str(s) for s in raw.get("indications") or []),
            min_age_years=raw.get("min_age_years"),
            pregnancy=raw.get("pregnancy"),
            breastfeeding=raw.get("breastfeeding"),
            max_per_order=raw.get("max_per_order"),
            sources=tuple(str(s) for s in raw.get("sources") or []),
        )
    except KeyError as exc:
        raise ValueError(f"{pid}: missing field {exc.args[0]}") from exc


def load_product_files(folder: Path) -> list[Product]:
    """Read every ``*.yaml`` product list under ``folder`` (sorted by file name); ids must be unique."""
    products: list[Product] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            product = product_from_dict(raw)
            if product.id in seen:
                raise ValueError(f"{path.name}: duplicate product id {product.id}")
            seen.add(product.id)
            products.append(product)
    return products
