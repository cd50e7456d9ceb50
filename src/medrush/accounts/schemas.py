"""Inputs and outputs of the accounts domain (strict: unknown fields are refused)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from medrush.accounts.enums import Role, Sex
from medrush.kernel.errors import InvalidValue

__all__ = [
    "AddressIn",
    "AddressOut",
    "AuditEntryOut",
    "ProfileIn",
    "ProfileOut",
    "ProfilePatch",
    "SignIn",
    "SignUp",
    "TokenOut",
    "UserOut",
]

Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class Strict(BaseModel):
    """Base of every input: unknown fields are an error, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignUp(Strict):
    """A new customer account."""

    email: Annotated[
        str, StringConstraints(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    ]
    password: Annotated[str, StringConstraints(min_length=8, max_length=200)]
    display_name: Name
    locale: Literal["en", "zh", "ko"] = "en"

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class SignIn(Strict):
    """E-mail and password."""

    email: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class TokenOut(BaseModel):
    """A freshly issued bearer token (shown once)."""

    token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: datetime
    user_id: uuid.UUID


class UserOut(BaseModel):
    """A user as they see themselves."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    roles: list[str]
    locale: str
    pharmacy_id: uuid.UUID | None = None


class ProfileIn(Strict):
    """A patient profile to create."""

    name: Name
    relationship: Literal["self", "child", "partner", "parent", "other"] = "self"
    birth_date: date
    sex: Sex
    pregnant: bool = False
    pregnancy_weeks: int | None = Field(default=None, ge=0, le=45)
    breastfeeding: bool = False
    allergies: list[Term] = Field(default_factory=list, max_length=50)
    conditions: list[Term] = Field(default_factory=list, max_length=50)
    current_medications: list[Term] = Field(default_factory=list, max_length=50)
    weight_kg: float | None = Field(default=None, gt=0, le=400)

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date) -> date:
        today = date.today()
        if value > today:
            raise InvalidValue("birth date is in the future")
        if today.year - value.year > 125:
            raise InvalidValue("birth date is more than 125 years ago")
        return value

    @model_validator(mode="after")
    def _pregnancy_consistent(self) -> ProfileIn:
        if self.pregnancy_weeks is not None and not self.pregnant:
            raise InvalidValue("pregnancy_weeks given but pregnant is false")
        if self.pregnant and self.sex == Sex.MALE:
            raise InvalidValue("a profile of sex male cannot be pregnant")
        return self


class ProfilePatch(Strict):
    """Fields of a profile to change; absent fields stay as they are."""

    name: Name | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    pregnancy_weeks: int | None = Field(default=None, ge=0, le=45)
    breastfeeding: bool | None = None
    allergies: list[Term] | None = Field(default=None, max_length=50)
    conditions: list[Term] | None = Field(default=None, max_length=50)
    current_medications: list[Term] | None = Field(default=None, max_length=50)
    weight_kg: float | None = Field(default=None, gt=0, le=400)

    @model_validator(mode="after")
    def _null_only_clears_what_may_be_empty(self) -> ProfilePatch:
        # null clears pregnancy_weeks or weight_kg; the other fields always hold a value
        for field in sorted(self.model_fields_set - {"pregnancy_weeks", "weight_kg"}):
            if getattr(self, field) is None:
                raise InvalidValue("{field} cannot be null; leave it out to keep it", field=field)
        return self


class ProfileOut(BaseModel):
    """A patient profile."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    relationship: str
    birth_date: date
    age_years: int
    sex: str
    pregnant: bool
    pregnancy_weeks: int | None
    breastfeeding: bool
    allergies: list[str]
    conditions: list[str]
    current_medications: list[str]
    weight_kg: float | None


class AddressIn(Strict):
    """A delivery address."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=60)] = "home"
    line: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    city: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    is_default: bool = False


class AddressOut(AddressIn):
    """A stored address."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID


class AuditEntryOut(BaseModel):
    """One audit row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: uuid.UUID | None
    actor_roles: list[str]
    action: str
    object_type: str
    object_id: str
    subject_account_id: uuid.UUID | None
    ip: str | None
    reason: str | None


ROLE_VALUES = tuple(r.value for r in Role)
