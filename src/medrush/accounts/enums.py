"""Roles and other fixed vocabularies of accounts."""

from enum import StrEnum

__all__ = ["AuditAction", "Role", "Sex", "TokenKind"]


class Role(StrEnum):
    """What a user may do; a user can hold several."""

    CUSTOMER = "customer"
    PHARMACY_STAFF = "pharmacy_staff"
    PHARMACIST = "pharmacist"
    DOCTOR = "doctor"
    COURIER = "courier"
    OPERATOR = "operator"


class Sex(StrEnum):
    """Sex recorded on a patient profile (clinical rules use it)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class TokenKind(StrEnum):
    """A browser session cookie or an API bearer token."""

    SESSION = "session"
    API = "api"


class AuditAction(StrEnum):
    """What happened to a piece of health data."""

    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    DENIED = "denied"
    EXPORT = "export"
