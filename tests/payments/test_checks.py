"""Production refuses to call a payment provider anywhere but its https address."""

from __future__ import annotations

from payments.checks import payment_providers


def test_production_refuses_a_provider_with_keys_at_a_plain_http_address(settings):
    settings.DEBUG = False
    settings.PAYMENT_PROVIDERS = {
        "fedapay": {"BASE_URL": "http://127.0.0.1:8701", "SECRET_KEY": "sk_live",
                    "WEBHOOK_SECRET": "wh_live", "TOLERANCE": 300},
        "paygate": {"BASE_URL": "https://paygateglobal.com", "AUTH_TOKEN": "pg_live"},
    }
    assert [error.id for error in payment_providers(None)] == ["payments.E001"]

    settings.PAYMENT_PROVIDERS["fedapay"]["BASE_URL"] = "https://api.fedapay.com"
    assert payment_providers(None) == []


def test_a_provider_without_keys_is_not_offered_and_not_checked(settings):
    settings.DEBUG = False
    settings.PAYMENT_PROVIDERS = {
        "fedapay": {"BASE_URL": "http://127.0.0.1:8701", "SECRET_KEY": "",
                    "WEBHOOK_SECRET": "", "TOLERANCE": 300},
        "paygate": {"BASE_URL": "http://127.0.0.1:8702", "AUTH_TOKEN": ""},
    }
    assert payment_providers(None) == []
