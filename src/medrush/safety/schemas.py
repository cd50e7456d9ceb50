"""The input and output of a safety check, exactly as ``POST /api/v1/safety/check`` takes and gives them."""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from medrush.kernel.errors import InvalidValue
from medrush.safety import coerce

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
    """The person who will take the medicine (a profile or a family member).

    Read liberally (``medrush.safety.coerce``): aliases and camelCase keys, numbers as text, other
    spellings of sex and yes/no, list fields as one comma-separated string; unknown keys are dropped
    (``SafetyRequest`` reports them).
    """

    model_config = ConfigDict(extra="ignore")

    age_years: float | None = Field(None, ge=0, le=125)
    sex: Literal["female", "male", "other", "unknown"] | None = None
    pregnant: bool | None = False
    pregnancy_weeks: int | None = Field(None, ge=0, le=45)
    breastfeeding: bool | None = False
    allergies: list[str] = Field(default_factory=list, max_length=50)
    conditions: list[str] = Field(default_factory=list, max_length=50)
    current_medications: list[str] = Field(default_factory=list, max_length=50)

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise InvalidValue(
                "expected an object with age_years, sex, pregnant... (got {kind})", kind=type(data).__name__
            )
        return coerce.normalise_keys(data, cls.model_fields, coerce.PATIENT_ALIASES, "patient.")[0]

    @field_validator("age_years", mode="before")
    @classmethod
    def _age(cls, value: Any) -> Any:
        return coerce.as_age_years(value)

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, value: Any) -> Any:
        return coerce.as_sex(value)

    @field_validator("pregnant", "breastfeeding", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        return coerce.as_bool(value)

    @field_validator("pregnancy_weeks", mode="before")
    @classmethod
    def _weeks(cls, value: Any) -> Any:
        return coerce.as_pregnancy_weeks(value)

    @field_validator("allergies", "conditions", "current_medications", mode="before")
    @classmethod
    def _terms(cls, value: Any) -> Any:
        return coerce.as_term_list(value)

    @field_validator("allergies", "conditions", "current_medications")
    @classmethod
    def _strip_terms(cls, value: list[str]) -> list[str]:
        out = []
        for term in value:
            if len(term) > 200:
                raise InvalidValue("a term is at most 200 characters")
            if term.strip():
                out.append(term.strip())
        return out


class Item(BaseModel):
    """One line of an order: a catalog id or a free-text query, and how many packs.

    A bare string is a query; ``name``/``product``/``qty`` and similar keys are aliases; a missing or
    null quantity is 1. Quantity 0 or a fraction is refused; a huge one is accepted (the per-order
    limit of the product then blocks it).
    """

    model_config = ConfigDict(extra="ignore")

    medicine_id: str | None = Field(None, min_length=1, max_length=100)
    query: str | None = Field(None, min_length=1, max_length=200)
    quantity: int = Field(1, ge=1, le=1_000_000_000)

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"query": data}
        if not isinstance(data, dict):
            raise InvalidValue(
                "expected an object with query or medicine_id, and quantity (got {data!r})", data=data
            )
        out = coerce.normalise_keys(data, cls.model_fields, coerce.ITEM_ALIASES, "")[0]
        for key in ("query", "medicine_id"):
            if isinstance(out.get(key), str) and not out[key].strip():
                out[key] = None
            elif isinstance(out.get(key), int | float) and not isinstance(out.get(key), bool):
                out[key] = str(out[key])
        return out

    @field_validator("query", "medicine_id")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @field_validator("quantity", mode="before")
    @classmethod
    def _quantity(cls, value: Any) -> Any:
        return coerce.as_quantity(value)

    @model_validator(mode="after")
    def _one_reference(self) -> Item:
        if (self.medicine_id is None) == (self.query is None):
            raise InvalidValue("give exactly one of medicine_id or query")
        return self


class PrescriptionRef(BaseModel):
    """A prescription the patient holds: for a catalog id or an ingredient, its review status and validity."""

    model_config = ConfigDict(extra="ignore")

    medicine_id: str | None = None
    ingredient: str | None = None
    status: str
    valid_until: date | datetime | None = None

    @model_validator(mode="after")
    def _one_target(self) -> PrescriptionRef:
        if self.medicine_id is None and self.ingredient is None:
            raise InvalidValue("a prescription names a medicine_id or an ingredient")
        return self


class SafetyRequest(BaseModel):
    """A safety check: who, what, and optional free-text symptoms.

    Unknown keys (at the top, in ``patient`` or in an item) are ignored and listed in
    ``ignored_fields`` (the engine reports them as an ``info`` finding); null stands for "not given".
    """

    model_config = ConfigDict(extra="ignore")

    patient: Patient = Field(default_factory=Patient)
    items: list[Item] = Field(default_factory=list, max_length=50)
    symptoms: str | None = Field(None, max_length=20_000)
    lang: Lang | None = None
    prescriptions: list[PrescriptionRef] = Field(default_factory=list, max_length=50)
    ignored_fields: list[str] = Field(
        default_factory=list,
        description="keys of the request that were not understood (filled by the parser)",
    )

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = set(cls.model_fields) - {"ignored_fields"}
        out, ignored = coerce.normalise_keys(data, known, coerce.REQUEST_ALIASES, "")
        patient = out.get("patient")
        if isinstance(patient, dict):
            ignored += coerce.normalise_keys(
                patient, Patient.model_fields, coerce.PATIENT_ALIASES, "patient."
            )[1]
        if out.get("patient") is None:
            out["patient"] = {}
        items = out.get("items")
        if items is None:
            items = []
        elif isinstance(items, str):
            items = coerce.split_terms(items)
        elif isinstance(items, dict):
            items = [items]
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    ignored += coerce.normalise_keys(
                        item, Item.model_fields, coerce.ITEM_ALIASES, f"items.{index}."
                    )[1]
        out["items"] = items
        if out.get("prescriptions") is None:
            out["prescriptions"] = []
        elif isinstance(out["prescriptions"], list):
            for index, ref in enumerate(out["prescriptions"]):
                if isinstance(ref, dict):
                    fields = PrescriptionRef.model_fields
                    ignored += [f"prescriptions.{index}.{k}" for k in ref if k not in fields]
        out["ignored_fields"] = ignored
        return out

    @field_validator("symptoms", mode="before")
    @classmethod
    def _symptoms(cls, value: Any) -> Any:
        return coerce.as_symptoms(value)

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> Any:
        return coerce.as_lang(value)


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
