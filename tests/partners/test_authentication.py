"""Tokens: who gets in (401), with which rights (403), how often (429), all of it logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import ApiCall, PartnerToken, Scope

from .conftest import bearer

pytestmark = pytest.mark.django_db
COMPANIES = "/api/v1/companies/"


def test_it_answers_a_valid_token_with_the_right_scope(api, bank_key):
    response = api.get(COMPANIES, **bearer(bank_key))
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_it_refuses_a_call_without_a_token(api):
    response = api.get(COMPANIES)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


@pytest.mark.parametrize("key", ["nimportequoi", "abc.def", ".", "abc.", "é.é"])
def test_it_refuses_a_malformed_or_unknown_token(api, key):
    assert api.get(COMPANIES, **bearer(key)).status_code == 401


def test_it_refuses_a_right_prefix_with_a_wrong_secret(api, bank_key):
    prefix = bank_key.split(".")[0]
    assert api.get(COMPANIES, **bearer(f"{prefix}.wrong-secret")).status_code == 401


def test_it_stores_only_the_hash_of_the_secret(bank_key):
    prefix, secret = bank_key.split(".")
    token = PartnerToken.objects.get(prefix=prefix)
    assert secret not in str(PartnerToken.objects.filter(pk=token.pk).values().get())
    assert token.matches(secret)


def test_it_refuses_a_revoked_token(api, bank_key):
    PartnerToken.objects.update(revoked_at=timezone.now())
    response = api.get(COMPANIES, **bearer(bank_key))
    assert response.status_code == 401
    assert "révoqué" in response.json()["detail"]


def test_it_refuses_an_expired_token(api, bank, make_key):
    key = make_key(bank, expires_at=timezone.now() - timedelta(seconds=1))
    response = api.get(COMPANIES, **bearer(key))
    assert response.status_code == 401
    assert "expiré" in response.json()["detail"]


def test_it_refuses_the_token_of_a_deactivated_partner(api, bank, bank_key):
    bank.active = False
    bank.save()
    assert api.get(COMPANIES, **bearer(bank_key)).status_code == 401


def test_it_refuses_a_token_without_the_scope_with_403(api, bank, make_key):
    key = make_key(bank, [Scope.REGISTRATIONS_READ])
    response = api.get(COMPANIES, **bearer(key))
    assert response.status_code == 403
    assert "droit" in response.json()["detail"]


def test_it_records_the_last_use_of_a_token(api, bank_key):
    api.get(COMPANIES, **bearer(bank_key))
    assert PartnerToken.objects.get().last_used_at is not None


def test_it_logs_every_call_answered_or_refused(api, bank, bank_key, make_key):
    no_scope = make_key(bank, [Scope.DESK_ACT])
    api.get(COMPANIES, **bearer(bank_key))
    api.get(COMPANIES)
    api.get(COMPANIES, **bearer(no_scope))
    api.get(COMPANIES + "TG-NONE/", **bearer(bank_key))
    calls = list(ApiCall.objects.order_by("pk").values_list("path", "status", "token__prefix"))
    assert calls == [
        (COMPANIES, 200, bank_key.split(".")[0]),
        (COMPANIES, 401, None),
        (COMPANIES, 403, no_scope.split(".")[0]),
        (COMPANIES + "TG-NONE/", 404, bank_key.split(".")[0]),
    ]
    assert all(call.duration_ms >= 0 and call.method == "GET"
               for call in ApiCall.objects.all())


def test_it_logs_a_refused_revoked_token_with_that_token(api, bank_key):
    PartnerToken.objects.update(revoked_at=timezone.now())
    api.get(COMPANIES, **bearer(bank_key))
    call = ApiCall.objects.get()
    assert (call.status, call.token.prefix) == (401, bank_key.split(".")[0])


def test_it_throttles_a_token_over_its_rate_and_logs_it(api, bank_key, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"partner": "2/min"}}
    statuses = [api.get(COMPANIES, **bearer(bank_key)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = api.get(COMPANIES, **bearer(bank_key))
    assert int(refused.headers["Retry-After"]) > 0
    assert list(ApiCall.objects.order_by("pk").values_list("status", flat=True)) == [
        200, 200, 429, 429]


def test_the_throttle_counts_each_token_apart(api, bank, bank_key, make_key, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"partner": "1/min"}}
    other = make_key(bank, [Scope.COMPANIES_READ])
    assert api.get(COMPANIES, **bearer(bank_key)).status_code == 200
    assert api.get(COMPANIES, **bearer(other)).status_code == 200
    assert api.get(COMPANIES, **bearer(bank_key)).status_code == 429


def test_the_schema_is_public_and_describes_the_token(api):
    response = api.get(reverse("partners:schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["jetonPartenaire"]["scheme"] == "bearer"
    assert "/api/v1/desk/filings/{reference}/nif/" in schema["paths"]


def test_calls_past_their_retention_are_purged(settings):
    from partners import services

    settings.PARTNER_API_LOG_DAYS = 30
    old = ApiCall.objects.create(method="GET", path="/", status=200, duration_ms=1,
                                 at=timezone.now() - timedelta(days=31))
    recent = ApiCall.objects.create(method="GET", path="/", status=200, duration_ms=1,
                                    at=timezone.now() - timedelta(days=29))
    assert services.purge_api_calls() == 1
    assert list(ApiCall.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ApiCall.objects.filter(pk=old.pk).exists()


def test_an_address_presenting_wrong_tokens_is_slowed_down(api, bank_key):
    from partners.authentication import FAILURES_PER_MINUTE

    statuses = [api.get(COMPANIES, **bearer(f"guess.{attempt}")).status_code
                for attempt in range(FAILURES_PER_MINUTE + 2)]
    assert statuses[:FAILURES_PER_MINUTE] == [401] * FAILURES_PER_MINUTE
    assert statuses[FAILURES_PER_MINUTE:] == [429, 429]
    # Even the right token waits: the address is refused for a minute.
    assert api.get(COMPANIES, **bearer(bank_key)).status_code == 429
