"""The platform: French first, language switch, health, compose file. The settings
themselves: test_settings.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_home_page_is_in_french_by_default_even_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Créez votre entreprise en ligne" in html


def test_the_language_switch_gives_english_and_is_remembered_on_the_account(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/dossiers/"})
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/"
    entrepreneur.refresh_from_db()
    assert entrepreneur.preferred_language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_language_switch_refuses_to_redirect_off_site(client):
    response = client.post(reverse("set_language"),
                           {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_sign_up_asks_for_the_names_and_keeps_them(client, db):
    from django.contrib.auth import get_user_model

    response = client.post(reverse("account_signup"), {
        "email": "ama@example.tg", "password1": "Un-mot-de-passe-solide-2026",
        "password2": "Un-mot-de-passe-solide-2026", "first_name": "Ama", "last_name": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not get_user_model().objects.exists()
    client.post(reverse("account_signup"), {
        "email": "ama@example.tg", "password1": "Un-mot-de-passe-solide-2026",
        "password2": "Un-mot-de-passe-solide-2026", "first_name": "Ama",
        "last_name": "Mensah"})
    user = get_user_model().objects.get(email="ama@example.tg")
    assert (user.first_name, user.last_name) == ("Ama", "Mensah")


def test_allauth_pages_are_in_the_site_layout_and_in_french(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert '<html lang="fr">' in html
    assert "Guichet unique des entreprises" in html
    assert "Mot de passe" in html


def test_no_page_references_an_external_host(client):
    for url in ("/", reverse("account_login"), reverse("account_signup")):
        html = client.get(url).content.decode()
        assert "https://" not in html and "http://" not in html, url


def test_health_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_seed_demo_is_idempotent(transactional_db):
    from django.contrib.auth import get_user_model

    from registry.models import Application, ApplicationState, Company

    call_command("seed_demo", verbosity=0)
    counts = (get_user_model().objects.count(), Application.objects.count(),
              Company.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (get_user_model().objects.count(), Application.objects.count(),
                      Company.objects.count())
    states = set(Application.objects.values_list("state", flat=True))
    assert {ApplicationState.DRAFT, ApplicationState.IN_REVIEW,
            ApplicationState.CORRECTION_REQUESTED, ApplicationState.REGISTERED} <= states
    assert Company.objects.filter(certificate__isnull=False).exists()
    # every desk has work waiting, and one automatic check failed into a queue
    from workflows.models import Task

    ready_desks = set(Task.objects.filter(state="ready", kind="manual")
                      .values_list("desk__code", flat=True))
    assert {"guichet", "greffe", "impots", "cnss", "greffier"} <= ready_desks
    assert Task.objects.filter(state="failed", step_id="name_check").exists()


def test_docker_compose_describes_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env.get("DJANGO_DEBUG", "0") == "0"  # the development switch stays off
        assert env["DJANGO_SECRET_KEY"]
    assert (ROOT / "Dockerfile").exists()


def _option(command: str, name: str) -> float:
    found = re.search(rf"{name}[ =](\d+)", command)
    assert found, f"{name} is not set in: {command}"
    return float(found.group(1))


@pytest.mark.parametrize("compose_file", ["docker-compose.yml", "docker-compose.scale.yml"])
def test_gunicorn_keeps_idle_connections_longer_than_the_proxy(compose_file):
    # The proxy must drop an idle upstream connection first: a request it sends on one that
    # gunicorn is closing fails (a 502 for a POST, which nginx does not retry). gunicorn's
    # default keep-alive is 2 s; nginx's upstream keepalive_timeout is set in its config.
    # The command line as written (the scale file's Compose tags, !reset, are not YAML's).
    web = next(line for line in (ROOT / compose_file).read_text().splitlines()
               if "gunicorn config.wsgi:application" in line)
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = nginx[nginx.index("upstream guichet_web"):]
    upstream = upstream[:upstream.index("}")]
    assert "keepalive " in upstream
    assert _option(web, "--keep-alive") > _option(upstream, "keepalive_timeout")


@pytest.mark.parametrize("url", ["/dossiers/", "/dossiers/nouveau/", "/guichet/"])
def test_private_pages_send_anonymous_visitors_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_signs_in_through_allauth_and_needs_a_second_factor(client, db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    admin = get_user_model().objects.create_superuser(email="chef@cfe.example.tg",
                                                      password="x")
    client.force_login(admin)
    assert client.get("/admin/").status_code != 200  # no authenticator set up yet
    TOTP.activate(admin, generate_totp_secret())
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.9", "10.0.0.2"),
    (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
    (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
    (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than proxies: not trusted
])
def test_the_client_address_is_read_behind_the_declared_proxies(settings, rf, proxies,
                                                               forwarded, expected):
    from accounts.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == expected


def test_the_docker_image_gets_the_runtime_packages_and_no_tests_or_keys():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-r requirements.lock" in dockerfile
    assert "requirements-test.lock" not in dockerfile
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", "tests", "secrets", "**/*.pem", "**/*.p12", "db.sqlite3",
            "media", "var", "staticfiles"} <= ignored
    runtime = (ROOT / "requirements.lock").read_text().lower()
    assert "pytest" not in runtime and "import-linter" not in runtime
    assert (ROOT / "requirements-test.lock").read_text().count("-r requirements.lock") == 1


def test_the_demo_prints_the_address_its_links_use_last(transactional_db, settings):
    import io

    settings.SITE_URL = "http://127.0.0.1:8100"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[-1].startswith("Site : http://127.0.0.1:8100/")
    assert any("entrepreneur@demo.tg" in line for line in lines[-10:])


def test_make_run_serves_where_its_links_point():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "run: export SITE_URL ?= http://$(HOST):$(PORT)" in makefile
    assert "runserver $(HOST):$(PORT)" in makefile
