"""Production refuses to seal with the development key, with no key, or not at all; a real
key passes `check --deploy`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from documents import pki
from documents.checks import document_signing
from documents.signing import PadesSigner

from ..environments import manage, production_environment
from .conftest import PASSPHRASE


@pytest.fixture
def production(sealing):
    sealing.DOCUMENT_SIGNING_ALLOW_DEV_KEY = False
    return sealing


@pytest.fixture
def development_pki(tmp_path) -> pki.PkiFiles:
    return pki.ensure_development_pki(tmp_path / "dev-pki", seal_name="Sceau de développement")


def error_ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_a_real_key_in_production_passes_the_check(production):
    assert document_signing(None) == []


def test_the_development_key_is_refused_in_production(production, development_pki):
    production.DOCUMENT_SIGNING_KEY = str(development_pki.seal_key)
    production.DOCUMENT_SIGNING_CERT = str(development_pki.seal_cert)
    errors = document_signing(None)
    assert error_ids(errors) == ["documents.E003"]
    assert "development" in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="development"):
        PadesSigner()


def test_the_development_key_is_accepted_while_debugging(sealing, development_pki):
    sealing.DOCUMENT_SIGNING_KEY = str(development_pki.seal_key)
    sealing.DOCUMENT_SIGNING_CERT = str(development_pki.seal_cert)
    assert document_signing(None) == []
    assert PadesSigner().key.development


def test_production_without_a_key_is_refused(production):
    production.DOCUMENT_SIGNING_KEY = production.DOCUMENT_SIGNING_CERT = ""
    errors = document_signing(None)
    assert error_ids(errors) == ["documents.E003"]
    assert "No document signing key" in errors[0].msg
    assert not production.DOCUMENT_SIGNING_DEV_DIR.exists()  # no development key made


def test_production_refuses_to_issue_unsealed_documents(production):
    production.DOCUMENT_SIGNER = "documents.signing.UnsignedSigner"
    assert error_ids(document_signing(None)) == ["documents.E002"]


def test_production_refuses_verification_links_to_localhost(production):
    production.DOCUMENT_VERIFICATION_BASE_URL = "http://127.0.0.1:8000"
    assert error_ids(document_signing(None)) == ["documents.E004"]


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """manage.py with production settings from an empty environment, plus `env`."""
    return manage(*args, env=production_environment(tmp_path, **env))


def test_check_deploy_passes_with_production_settings_and_a_real_pkcs12_key(
    tmp_path, test_pki
):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                     DOCUMENT_SIGNING_PKCS12=str(test_pki / "seal.p12"),
                     DOCUMENT_SIGNING_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_with_the_development_key(
    tmp_path, development_pki
):
    result = _manage("check", tmp_path=tmp_path,
                     DOCUMENT_SIGNING_KEY=str(development_pki.seal_key),
                     DOCUMENT_SIGNING_CERT=str(development_pki.seal_cert))
    assert result.returncode != 0
    assert "documents.E003" in result.stderr
    assert "development" in result.stderr
