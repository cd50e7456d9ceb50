"""Accounts: users and roles, sign-in and tokens, patient profiles, addresses, the audit log."""

from medrush.accounts.access import access_address_by_id, access_profile_by_id
from medrush.accounts.actions import (
    add_address,
    authenticate,
    create_profile,
    create_user,
    csrf_token_for,
    delete_address,
    delete_profile,
    issue_token,
    join_pharmacy,
    revoke_token,
    sign_up,
    update_profile,
    user_for_token,
)
from medrush.accounts.actor import ANONYMOUS, SYSTEM, Actor, SignedInUser
from medrush.accounts.audit import query_audit, record_access
from medrush.accounts.enums import AuditAction, Role, Sex, TokenKind
from medrush.accounts.models import Address, AuditEntry, PatientProfile, User
from medrush.accounts.queries import (
    actor_for_user,
    age_on,
    list_addresses,
    list_profiles,
    profile_out,
    user_by_email,
    user_by_id,
)

__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Actor",
    "Address",
    "AuditAction",
    "AuditEntry",
    "PatientProfile",
    "Role",
    "Sex",
    "SignedInUser",
    "TokenKind",
    "User",
    "access_address_by_id",
    "access_profile_by_id",
    "actor_for_user",
    "add_address",
    "age_on",
    "authenticate",
    "create_profile",
    "create_user",
    "csrf_token_for",
    "delete_address",
    "delete_profile",
    "issue_token",
    "join_pharmacy",
    "list_addresses",
    "list_profiles",
    "profile_out",
    "query_audit",
    "record_access",
    "revoke_token",
    "sign_up",
    "update_profile",
    "user_by_email",
    "user_by_id",
    "user_for_token",
]
