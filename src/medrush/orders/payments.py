"""Payment providers behind one interface, and the built-in sandbox provider.

A provider creates a payment (returning its reference and where the customer pays), refunds, and
verifies the signature of its webhooks. The sandbox signs webhooks with HMAC-SHA256 over the raw
body, using a key derived from ``MEDRUSH_SECRET_KEY``; its pay page is served by ``web``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from medrush.kernel import clock

__all__ = ["CreatedPayment", "PaymentProvider", "SandboxProvider", "get_provider", "register_provider"]


@dataclass(frozen=True, slots=True)
class CreatedPayment:
    """What a provider returns when a payment is opened."""

    provider_ref: str
    pay_url: str


class PaymentProvider(Protocol):
    """The port every payment provider implements."""

    name: str

    def create(self, *, amount: int, currency: str, order_id: str) -> CreatedPayment:
        """Open a payment the customer then completes at ``pay_url``."""
        ...

    def refund(self, *, provider_ref: str, amount: int) -> str:
        """Refund (part of) a payment; returns the provider's refund reference."""
        ...

    def verify(self, body: bytes, signature: str) -> bool:
        """True when a webhook body carries a valid signature."""
        ...


class SandboxProvider:
    """A provider that needs no network: pay page in this app, HMAC-signed webhooks."""

    name = "sandbox"

    def __init__(self, secret: str, base_url: str = "") -> None:
        self._key = hashlib.sha256(("sandbox-webhooks:" + secret).encode()).digest()
        self._base_url = base_url.rstrip("/")

    def create(self, *, amount: int, currency: str, order_id: str) -> CreatedPayment:
        """Open a sandbox payment."""
        ref = "sbx_" + secrets.token_hex(12)
        return CreatedPayment(provider_ref=ref, pay_url=f"{self._base_url}/shop/pay/{ref}")

    def refund(self, *, provider_ref: str, amount: int) -> str:
        """Sandbox refunds succeed at once."""
        return "sbr_" + secrets.token_hex(12)

    def sign(self, body: bytes) -> str:
        """The signature header value for a body."""
        return "sha256=" + hmac.new(self._key, body, hashlib.sha256).hexdigest()

    def verify(self, body: bytes, signature: str) -> bool:
        """Constant-time check of a webhook signature."""
        return hmac.compare_digest(self.sign(body), signature or "")

    def event(
        self, kind: str, provider_ref: str, amount: int, *, event_id: str | None = None
    ) -> tuple[bytes, str]:
        """A signed webhook as the sandbox would deliver it: (body, signature)."""
        payload: dict[str, Any] = {
            "id": event_id or "sbe_" + secrets.token_hex(12),
            "type": kind,
            "payment_ref": provider_ref,
            "amount": amount,
            "created_at": clock.now().isoformat(),
        }
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return body, self.sign(body)


_providers: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    """Install a provider under its name (tests install fakes the same way)."""
    _providers[provider.name] = provider


def get_provider(name: str = "sandbox") -> PaymentProvider:
    """The provider of that name; the sandbox is created on first use from the settings."""
    if name not in _providers and name == "sandbox":
        from medrush.settings import get_settings

        settings = get_settings()
        register_provider(SandboxProvider(settings.secret_key, ""))
    if name not in _providers:
        from medrush.kernel.errors import NotFound

        raise NotFound("no payment provider {name!r}", code="unknown_provider", name=name)
    return _providers[name]
