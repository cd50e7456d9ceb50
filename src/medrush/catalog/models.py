"""Tables of the catalog domain: medicines, the search vocabulary and the loaded data version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, FetchedValue, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from medrush.kernel.db import Base

__all__ = ["CatalogMeta", "CatalogVocab", "Medicine"]


class Medicine(Base):
    """A medicine or health product; ``data`` holds the full ``Product.to_dict()``."""

    __tablename__ = "medicines"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300))
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    name_ko: Mapped[str] = mapped_column(String(300), default="")
    generic_name_en: Mapped[str] = mapped_column(String(300), default="")
    atc: Mapped[str | None] = mapped_column(String(16), index=True)
    dosage_form: Mapped[str] = mapped_column(String(80), default="")
    category: Mapped[str] = mapped_column(String(80), index=True)
    rx_class: Mapped[str] = mapped_column(String(16), index=True)
    # a product withdrawn from the shipped data stays, inactive, for the orders that reference it
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # the transaction that last wrote the row, set by a trigger on every insert and update: every
    # process's search index catches up on the rows its last look's snapshot could not see
    # (service.catch_up)
    written_xid: Mapped[int] = mapped_column(
        BigInteger, server_default=FetchedValue(), server_onupdate=FetchedValue(), index=True
    )


class CatalogVocab(Base):
    """One vocabulary entry: a symptom key or an ingredient INN with its terms per language."""

    __tablename__ = "catalog_vocab"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    terms: Mapped[dict[str, Any]] = mapped_column(JSONB)


class CatalogMeta(Base):
    """A catalog setting, such as ``data_version`` (the hash of the shipped files last loaded)."""

    __tablename__ = "catalog_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
