"""Rate limits in the shared cache: the app's sensitive views by SECURITY_RATE_LIMITS,
sign-in and sign-up by allauth's ACCOUNT_RATE_LIMITS; 429 in French with Retry-After."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from security import ratelimit
from security.ratelimit import Rate, parse_rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("text", "rate"), [
    ("10/m", Rate(10, 60)), ("5/15m", Rate(5, 900)), ("100/h", Rate(100, 3600)),
    ("1000/d", Rate(1000, 86400)), ("3/30s", Rate(3, 30)),
])
def test_rates_read_as_count_per_period(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "10", "0/m", "ten/m", "10/w", "-1/m"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def test_a_fixed_window_counts_then_refuses_until_it_ends():
    rate = Rate(3, 60)
    start = 6_000_000.0  # the start of a window

    allowed = [ratelimit.hit(scope="s", identity="ip:1", rate=rate, now=start + i)
               for i in range(3)]
    refused = ratelimit.hit(scope="s", identity="ip:1", rate=rate, now=start + 15)

    assert allowed == [None, None, None]
    assert refused == 45
    assert ratelimit.hit(scope="s", identity="ip:2", rate=rate, now=start + 15) is None
    assert ratelimit.hit(scope="s", identity="ip:1", rate=rate, now=start + 60) is None


def test_a_broken_cache_lets_requests_through(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)

    assert ratelimit.hit(scope="s", identity="ip:1", rate=Rate(1, 60)) is None


def _redis_url() -> str | None:
    url = os.environ.get("CACHE_URL") or os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else None


@pytest.mark.skipif(_redis_url() is None, reason="needs Redis (CACHE_URL or CELERY_BROKER_URL)")
def test_the_counter_is_shared_through_redis():
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _redis_url(), "KEY_PREFIX": f"test-{uuid.uuid4()}"}}
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler._settings = None  # read the overridden CACHES
        rate = Rate(2, 60)
        start = 6_000_000.0
        results = [ratelimit.hit(scope="redis", identity="ip:1", rate=rate, now=start)
                   for _ in range(3)]
        key = next(iter(handler["default"]._cache.get_client().keys("*security:rl*")), None)
        handler["default"].clear()
    assert results[:2] == [None, None]
    assert results[2] == 60
    assert key is not None


# --- through the middleware ---------------------------------------------------------------


@pytest.fixture
def tight(settings):
    settings.SECURITY_RATE_LIMITS = {
        "registry:name_check": "3/m",
        "registry:sign": {"rate": "2/10m", "methods": ["POST"]},
        "documents:verify_code": "3/m",
        "documents:verify_upload": {"rate": "2/m", "methods": ["POST"]},
    }
    return settings


def test_the_name_check_answers_429_in_french_beyond_its_limit(client, entrepreneur, tight):
    client.force_login(entrepreneur)
    url = reverse("registry:name_check") + "?name_1=Soleil"

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(url)
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.content.decode()
    assert "Trop de tentatives" in body
    assert "réessayez dans 1 minute" in body
    assert "Guichet unique des entreprises" in body  # the site's layout


def test_limits_count_per_user_not_per_shared_address(client, entrepreneur,
                                                      other_entrepreneur, tight):
    url = reverse("registry:name_check") + "?name_1=Soleil"
    client.force_login(entrepreneur)
    for _ in range(3):
        client.get(url)
    assert client.get(url).status_code == 429

    client.force_login(other_entrepreneur)  # same address, another person
    assert client.get(url).status_code == 200


def test_the_signature_code_limit_counts_posts_only(client, draft, entrepreneur, tight):
    client.force_login(entrepreneur)
    url = reverse("registry:sign", args=[draft.reference])

    gets = [client.get(url).status_code for _ in range(5)]
    posts = [client.post(url, {"code": "000000"}).status_code for _ in range(3)]

    assert 429 not in gets
    assert posts[:2] != [429, 429]
    assert posts[2] == 429


def test_public_verification_is_limited_by_client_address(tight):
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")

    codes = [first.get("/verifier/INCONNU/").status_code for _ in range(4)]

    assert codes == [404, 404, 404, 429]
    assert second.get("/verifier/INCONNU/").status_code == 404


def test_the_address_is_read_through_the_trusted_proxies(tight):
    tight.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="192.0.2.10")

    for _ in range(3):
        proxy.get("/verifier/INCONNU/", HTTP_X_FORWARDED_FOR="203.0.113.1")
    blocked = proxy.get("/verifier/INCONNU/", HTTP_X_FORWARDED_FOR="203.0.113.1")
    other = proxy.get("/verifier/INCONNU/", HTTP_X_FORWARDED_FOR="203.0.113.2")
    # A client cannot escape by claiming another address in front of the proxy's.
    spoofed = proxy.get("/verifier/INCONNU/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")

    assert (blocked.status_code, other.status_code, spoofed.status_code) == (429, 404, 429)


def test_uploads_to_the_verifier_are_limited(tight):
    client = Client(REMOTE_ADDR="10.0.0.3")
    url = reverse("documents:verify_upload")

    assert client.get(url).status_code == 200
    statuses = [client.post(url, {}).status_code for _ in range(3)]

    assert statuses[2] == 429
    assert client.get(url).status_code == 200


def test_the_default_limits_name_the_sensitive_views(settings):
    limits = settings.SECURITY_RATE_LIMITS
    for name in ("registry:name_check", "registry:review", "registry:sign",
                 "documents:verify_upload", "documents:verify_code"):
        reverse(name, args=["X"] if name not in (
            "registry:name_check", "documents:verify_upload") else None)
        rule = limits[name]
        parse_rate(rule["rate"] if isinstance(rule, dict) else rule)


def test_after_five_failed_logins_even_the_right_password_is_refused(client, entrepreneur):
    from tests.conftest import PASSWORD

    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": entrepreneur.email, "password": "faux"})

    response = client.post(url, {"login": entrepreneur.email, "password": PASSWORD})

    assert response.status_code == 200  # the form again, with allauth's message
    assert "_auth_user_id" not in client.session


def test_allauth_answers_429_with_the_french_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    url = reverse("account_login")

    statuses = [client.post(url, {"login": "a@example.tg", "password": "x"}).status_code
                for _ in range(3)]

    assert statuses[-1] == 429
    response = client.post(url, {"login": "a@example.tg", "password": "x"})
    assert "Trop de tentatives" in response.content.decode()


def test_allauth_limits_are_configured_for_each_sensitive_action():
    from allauth.account import app_settings

    for action in ("login", "login_failed", "signup", "reset_password", "confirm_email"):
        assert app_settings.RATE_LIMITS[action], action
