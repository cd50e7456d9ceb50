"""The sandbox provider: signatures over the raw body."""

import json

from medrush.orders.payments import SandboxProvider


def test_a_signed_event_verifies_and_any_change_breaks_it() -> None:
    provider = SandboxProvider("s3cret")
    body, signature = provider.event("payment.succeeded", "sbx_1", 1500, event_id="e1")
    assert json.loads(body) == {
        "amount": 1500,
        "created_at": json.loads(body)["created_at"],
        "id": "e1",
        "payment_ref": "sbx_1",
        "type": "payment.succeeded",
    }
    assert provider.verify(body, signature) is True
    assert provider.verify(body.replace(b"1500", b"1"), signature) is False
    assert provider.verify(body, "") is False
    assert SandboxProvider("other").verify(body, signature) is False


def test_created_payments_have_distinct_refs_and_a_pay_page() -> None:
    provider = SandboxProvider("k", "http://shop.test/")
    a = provider.create(amount=1, currency="CNY", order_id="o")
    b = provider.create(amount=1, currency="CNY", order_id="o")
    assert a.provider_ref != b.provider_ref
    assert a.pay_url == f"http://shop.test/shop/pay/{a.provider_ref}"


def test_an_unknown_provider_is_not_found() -> None:
    import pytest

    from medrush.kernel.errors import NotFound
    from medrush.orders.payments import get_provider

    with pytest.raises(NotFound):
        get_provider("no-such-provider")
