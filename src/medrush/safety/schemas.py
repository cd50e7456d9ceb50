"""The input and output of a safety check, exactly as ``POST /api/v1/safety/check`` takes and gives them."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "LEVELS",
    "Finding",
    "FindingItem",
    "Item",
    "Level",
    "Patient",
    "PrescriptionRef",
    "SafetyRequest",
    "SafetyResult",
    "Severity",
]

Level = Literal["allow", "warn", "block", "emergency"]
LEVELS: tuple[Level, ...] = ("allow", "warn", "block", "emergency")
Lang = Literal["en", "zh", "ko"]


class Severity(IntEnum):
    """Finding severities in increasing order; a result's level is the highest one (``info`` allows)."""

    info = 0
    warn = 1
    block = 2
    emergency = 3

    @property
    def level(self) -> Level:
        """The result level this severity leads to."""
        return LEVELS[self.value] if self.value else "allow"


class Patient(BaseModel):
    """The person who will take the medicine (a profile or a family member)."""

    model_config = ConfigDict(extra="forbid")

    age_years: float | None = Field(None, ge=0, le=125)
    sex: Literal["female", "male", "other", "unknown"] | None = None
    pregnant: bool | None = False
    pregnancy_weeks: int | None = Field(None, ge=0, le=45)
    breastfeeding: bool | None = False
    allergies: list[str] = Field(default_factory=list, max_length=50)
    conditions: list[str] = Field(default_factory=list, max_length=50)
    current_medications: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("allergies", "conditions", "current_medications")
    @classmethod
    def _strip_terms(cls, value: list[str]) -> list[str]:
        out = []
        for term in value:
            if len(term) > 200:
                raise ValueError("a term is at most 200 characters")
            if term.strip():
                out.append(term.strip())
        return out


class Item(BaseModel):
    """One line of an order: a catalog id or a free-text query, and how many packs."""

    model_config = ConfigDict(extra="forbid")

    medicine_id: str | None = Field(None, min_length=1, max_length=100)
    query: str | None = Field(None, min_length=1, max_length=200)
    quantity: int = Field(1, ge=1, le=1000)

    @model_validator(mode="after")
    def _one_reference(self) -> Item:
        if (self.medicine_id is None) == (self.query is None):
            raise ValueError("give exactly one of medicine_id or query")
        return self


class PrescriptionRef(BaseModel):
    """A prescription the patient holds: for a catalog id or an ingredient, its review status and validity."""

    model_config = ConfigDict(extra="forbid")

    medicine_id: str | None = None
    ingredient: str | None = None
    status: str
    valid_until: date | datetime | None = None

    @model_validator(mode="after")
    def _one_target(self) -> PrescriptionRef:
        if self.medicine_id is None and self.ingredient is None:
            raise ValueError("a prescription names a medicine_id or an ingredient")
        return self


class SafetyRequest(BaseModel):
    """A safety check: who, what, and optional free-text symptoms."""

    model_config = ConfigDict(extra="forbid")

    patient: Patient = Field(default_factory=Patient)
    items: list[Item] = Field(default_factory=list, max_length=50)
    symptoms: str | None = Field(None, max_length=4000)
    lang: Lang | None = None
    prescriptions: list[PrescriptionRef] = Field(default_factory=list, max_length=50)


class FindingItem(BaseModel):
    """What a finding is about: an order line (by index) or a current medication."""

    index: int | None = None
    medicine_id: str | None = None
    query: str | None = None
    current_medication: str | None = None


class Finding(BaseModel):
    """One reason behind the level, with its message in the patient's language and its source."""

    code: str
    severity: Literal["info", "warn", "block", "emergency"]
    message: str
    items: list[FindingItem] = Field(default_factory=list)
    source: str | None = None
    rule: str | None = None


class SafetyResult(BaseModel):
    """The answer: the overall level and every finding, most severe first."""

    level: Level
    findings: list[Finding] = Field(default_factory=list)
    kb_version: str | None = None

    @property
    def codes(self) -> list[str]:
        """The finding codes in order (handy in tests and logs)."""
        return [f.code for f in self.findings]

    def to_json_dict(self) -> dict[str, object]:
        """The contract shape exactly: ``level`` and ``findings`` (code, severity, message, items, source)."""
        return {
            "level": self.level,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "message": f.message,
                    "items": [i.model_dump(mode="json", exclude_none=True) for i in f.items],
                    "source": f.source,
                }
                for f in self.findings
            ],
        }
