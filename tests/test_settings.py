"""Settings fail closed: production unless the development switch is set explicitly.

Each test reads the settings in a subprocess started from an empty environment, so what
the test run itself uses (config.settings_test) cannot hide a development default.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .environments import (
    ROOT,
    clean_environment,
    manage,
    production_environment,
    read_settings,
)

CONVENIENCES = [
    "DEBUG", "DOCUMENT_SIGNING_ALLOW_DEV_KEY", "MFA_TOTP_INSECURE_BYPASS_CODE",
    "CELERY_TASK_ALWAYS_EAGER", "EMAIL_BACKEND", "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "STORAGES",
]


def test_with_an_empty_environment_startup_refuses_and_names_what_is_missing():
    result = manage("check", env=clean_environment())
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL",
                 "DOCUMENTS_ENCRYPTION_KEY", "DJANGO_DEBUG=1"):
        assert name in result.stderr


def test_production_refuses_without_a_shared_cache_for_its_rate_limits(tmp_path):
    # Without it each web process would count its own attempts: limits N times looser.
    env = production_environment(tmp_path)
    del env["CACHE_URL"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set CACHE_URL:" in result.stderr


def test_startup_refuses_without_a_secret_key_even_with_the_rest_set(tmp_path):
    env = production_environment(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY:" in result.stderr


def test_production_has_none_of_the_development_conveniences_even_when_asked(tmp_path):
    # The demo's code and an in-memory broker are named, but without the switch they give
    # no bypass and no eager tasks.
    env = production_environment(tmp_path, DEMO_MFA_BYPASS_CODE="123456",
                                 CELERY_BROKER_URL="memory://")
    settings = read_settings(*CONVENIENCES, env=env)
    assert settings["DEBUG"] is False
    assert settings["DOCUMENT_SIGNING_ALLOW_DEV_KEY"] is False
    assert settings["MFA_TOTP_INSECURE_BYPASS_CODE"] is None
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert "Manifest" in settings["STORAGES"]["staticfiles"]["BACKEND"]


def test_production_never_creates_a_development_seal(tmp_path):
    env = production_environment(tmp_path)
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "documents.E003" in result.stderr
    assert "No document signing key" in result.stderr
    assert not (tmp_path / "var" / "signing").exists()


def test_the_development_switch_turns_the_conveniences_on(tmp_path):
    env = clean_environment(DJANGO_DEBUG="1", DEMO_MFA_BYPASS_CODE="123456")
    settings = read_settings(*CONVENIENCES, "DATABASES", "CELERY_BROKER_URL", env=env)
    assert settings["DEBUG"] is True
    assert settings["DOCUMENT_SIGNING_ALLOW_DEV_KEY"] is True
    assert settings["MFA_TOTP_INSECURE_BYPASS_CODE"] == "123456"
    assert settings["CELERY_BROKER_URL"] == "memory://"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_the_development_switch_alone_gives_no_second_factor_bypass():
    settings = read_settings("MFA_TOTP_INSECURE_BYPASS_CODE",
                             env=clean_environment(DJANGO_DEBUG="1"))
    assert settings["MFA_TOTP_INSECURE_BYPASS_CODE"] is None


def test_development_with_a_broker_sends_tasks_to_it():
    env = clean_environment(DJANGO_DEBUG="1", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
    assert read_settings("CELERY_TASK_ALWAYS_EAGER", env=env) == {
        "CELERY_TASK_ALWAYS_EAGER": False}


def test_the_test_settings_switch_development_on_without_changing_the_environment():
    env = clean_environment(DJANGO_SETTINGS_MODULE="config.settings_test", DJANGO_DEBUG="0",
                            DEMO_MFA_BYPASS_CODE="123456")
    settings = read_settings("DOCUMENT_SIGNING_ALLOW_DEV_KEY", "CELERY_TASK_ALWAYS_EAGER",
                             "MFA_TOTP_INSECURE_BYPASS_CODE", env=env)
    assert settings == {"DOCUMENT_SIGNING_ALLOW_DEV_KEY": True,
                        "CELERY_TASK_ALWAYS_EAGER": True,
                        "MFA_TOTP_INSECURE_BYPASS_CODE": None}
    # Subprocesses the tests start (a Celery worker, manage.py) inherit an untouched
    # environment: the switch lives in the test settings only.
    script = "import os, django; django.setup(); print(os.environ['DJANGO_DEBUG'])"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "0", result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    from documents import pki

    seal = pki.write_pki(tmp_path / "seal", seal_name="Sceau de test", organization="Tests",
                         development=False)
    env = production_environment(tmp_path, DOCUMENT_SIGNING_KEY=str(seal.seal_key),
                                 DOCUMENT_SIGNING_CERT=str(seal.seal_cert),
                                 DOCUMENT_SIGNING_CHAIN=str(seal.root_cert))
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_docker_build_collects_static_files_with_production_settings():
    """The Dockerfile's build-time collectstatic names what production settings need."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = re.search(r"((?:[A-Z_]+=\S+\s+)+)python manage\.py collectstatic", dockerfile)
    assert command, "the Dockerfile no longer runs collectstatic"
    variables = dict(item.split("=", 1) for item in command.group(1).split())
    assert "DJANGO_DEBUG" not in variables or variables["DJANGO_DEBUG"] == "0"
    result = manage("collectstatic", "--noinput", "--dry-run",
                    env=clean_environment(**variables))
    assert result.returncode == 0, result.stderr
