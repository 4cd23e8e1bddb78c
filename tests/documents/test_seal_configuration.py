"""Loading the registry's seal from the settings (PEM or PKCS#12), the errors that name
what is wrong, and the system checks that fail closed in production."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography import x509
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.reader import PdfFileReader

from documents import pki
from documents.certificates import render_certificate
from documents.checks import document_signing
from documents.signing import (
    SEAL_FIELD_NAME,
    PadesSigner,
    UnsignedSigner,
    get_signer,
    load_seal_key,
    tsa_trust_roots,
    verification_trust_roots,
)

from .conftest import PASSPHRASE, SEAL_NAME
from .helpers import CERTIFICATE_FACTS, validate


@pytest.fixture
def production(sealing):
    sealing.DOCUMENT_SIGNING_ALLOW_DEV_KEY = False
    return sealing


@pytest.fixture
def pkcs12_only(sealing, test_pki):
    sealing.DOCUMENT_SIGNING_KEY = sealing.DOCUMENT_SIGNING_CERT = ""
    sealing.DOCUMENT_SIGNING_CHAIN = ""
    sealing.DOCUMENT_SIGNING_PKCS12 = str(test_pki / "seal.p12")
    sealing.DOCUMENT_SIGNING_PASSPHRASE = PASSPHRASE
    return sealing


def error_ids(errors) -> list[str]:
    return [error.id for error in errors]


def write_seal(directory: Path, *, organization: str, common_name: str | None,
               passphrase: bytes | None = None) -> tuple[Path, Path, Path]:
    """A root and a seal signed by it; the seal's subject may lack a common name."""
    directory.mkdir(parents=True, exist_ok=True)
    root_key, seal_key = pki.new_key(), pki.new_key()
    root = pki.issue(subject=pki.name("Racine", organization=organization), key=root_key,
                     usage="ca", days=365)
    subject = (pki.name(common_name, organization=organization) if common_name else
               x509.Name([x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, organization)]))
    seal = pki.issue(subject=subject, key=seal_key, issuer=root, issuer_key=root_key,
                     usage="seal", days=365)
    paths = (directory / "seal-key.pem", directory / "seal.pem", directory / "root.pem")
    paths[0].write_bytes(pki.key_pem(seal_key, passphrase))
    paths[1].write_bytes(pki.cert_pem(seal))
    paths[2].write_bytes(pki.cert_pem(root))
    return paths


# --- PEM and PKCS#12 --------------------------------------------------------------------


def test_pem_files_give_the_seal_its_name_and_the_chain_its_root(sealing, test_pki):
    key = load_seal_key()

    assert key.seal_name == SEAL_NAME
    assert not key.development
    [root] = key.roots()
    assert root.subject.native["common_name"] == "Racine de test du registre"


def test_a_pkcs12_file_carries_key_certificate_and_chain(pkcs12_only, test_pki):
    key = load_seal_key()

    assert key.seal_name == SEAL_NAME
    assert [root.subject.native["common_name"] for root in key.roots()] == [
        "Racine de test du registre"
    ]


@pytest.mark.parametrize("passphrase", ["pas-la-bonne", ""])
def test_a_wrong_or_missing_pkcs12_passphrase_names_the_setting(pkcs12_only, passphrase):
    pkcs12_only.DOCUMENT_SIGNING_PASSPHRASE = passphrase

    with pytest.raises(ImproperlyConfigured) as refused:
        load_seal_key()

    assert "DOCUMENT_SIGNING_PASSPHRASE" in str(refused.value)
    assert str(pkcs12_only.DOCUMENT_SIGNING_PKCS12) in str(refused.value)


def test_the_pkcs12_file_wins_over_pem_settings_left_behind(sealing, test_pki):
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "stranger-seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "stranger-seal.pem")
    sealing.DOCUMENT_SIGNING_PKCS12 = str(test_pki / "seal.p12")
    sealing.DOCUMENT_SIGNING_PASSPHRASE = PASSPHRASE

    key = load_seal_key()

    assert key.certificate == x509.load_pem_x509_certificate(
        (test_pki / "seal.pem").read_bytes())


def test_an_encrypted_pem_key_opens_with_the_passphrase(sealing, tmp_path):
    key_path, cert_path, root_path = write_seal(
        tmp_path / "chiffre", organization="Registre", common_name=SEAL_NAME,
        passphrase=b"une-phrase")
    sealing.DOCUMENT_SIGNING_KEY, sealing.DOCUMENT_SIGNING_CERT = str(key_path), str(cert_path)
    sealing.DOCUMENT_SIGNING_CHAIN = str(root_path)

    sealing.DOCUMENT_SIGNING_PASSPHRASE = "pas-la-bonne"
    with pytest.raises(ImproperlyConfigured, match="Cannot load the signing key"):
        load_seal_key()

    sealing.DOCUMENT_SIGNING_PASSPHRASE = "une-phrase"
    assert load_seal_key().seal_name == SEAL_NAME


@pytest.mark.parametrize(("setting", "what"), [
    ("DOCUMENT_SIGNING_KEY", "key"),
    ("DOCUMENT_SIGNING_CERT", "certificate"),
    ("DOCUMENT_SIGNING_CHAIN", "certificate chain"),
])
def test_a_missing_file_is_named_in_the_error(sealing, tmp_path, setting, what):
    missing = tmp_path / "absent.pem"
    setattr(sealing, setting, str(missing))

    with pytest.raises(ImproperlyConfigured, match=f"Cannot read the {what} {missing}"):
        load_seal_key()


def test_a_file_that_is_not_a_key_is_a_configuration_error(sealing, tmp_path):
    garbage = tmp_path / "cle.pem"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")
    sealing.DOCUMENT_SIGNING_KEY = str(garbage)

    with pytest.raises(ImproperlyConfigured, match="Cannot load the signing key"):
        load_seal_key()


def test_a_certificate_without_common_name_is_named_after_its_organization(sealing, tmp_path):
    key_path, cert_path, root_path = write_seal(tmp_path / "sans-cn",
                                                organization="Greffe de Kara", common_name=None)
    sealing.DOCUMENT_SIGNING_KEY, sealing.DOCUMENT_SIGNING_CERT = str(key_path), str(cert_path)
    sealing.DOCUMENT_SIGNING_CHAIN = str(root_path)

    assert load_seal_key().seal_name == "Greffe de Kara"


def test_without_a_chain_the_seal_certificate_is_its_own_anchor(sealing, test_pki):
    sealing.DOCUMENT_SIGNING_CHAIN = ""

    key = load_seal_key()

    assert [root.subject.native["common_name"] for root in key.roots()] == [SEAL_NAME]


def test_a_key_marked_development_only_by_its_issuer_is_still_development(sealing, tmp_path):
    marked_root_key, seal_key = pki.new_key(), pki.new_key()
    root = pki.issue(subject=pki.name("AC", organization="Guichet",
                                      unit=pki.DEVELOPMENT_MARKER),
                     key=marked_root_key, usage="ca", days=365)
    seal = pki.issue(subject=pki.name(SEAL_NAME, organization="Guichet"), key=seal_key,
                     issuer=root, issuer_key=marked_root_key, usage="seal", days=365)
    (tmp_path / "seal.pem").write_bytes(pki.cert_pem(seal))
    (tmp_path / "seal-key.pem").write_bytes(pki.key_pem(seal_key))
    sealing.DOCUMENT_SIGNING_KEY = str(tmp_path / "seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(tmp_path / "seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = ""

    assert load_seal_key().development
    sealing.DOCUMENT_SIGNING_ALLOW_DEV_KEY = False
    with pytest.raises(ImproperlyConfigured, match="production refuses it"):
        load_seal_key()


# --- Signing ----------------------------------------------------------------------------


def test_the_seal_records_reason_and_place_and_covers_the_whole_file(sealing, test_pki):
    pdf = PadesSigner().sign(render_certificate(CERTIFICATE_FACTS),
                             reason="Certificat ABCD-2345-WXYZ")

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert signature.field_name == SEAL_FIELD_NAME
    assert signature.sig_object["/Reason"] == "Certificat ABCD-2345-WXYZ"
    assert signature.sig_object["/Location"] == sealing.REGISTRY_COURT_NAME
    assert validate(pdf, root=test_pki / "root.pem").bottom_line


def test_the_unsigned_signer_returns_the_bytes_unchanged_and_trusts_nobody():
    pdf = render_certificate(CERTIFICATE_FACTS)
    signer = UnsignedSigner()

    assert signer.sign(pdf, reason="Certificat") is pdf
    assert signer.trust_roots() == []
    assert (signer.signs, signer.timestamps, signer.seal_name) == (False, False, "")


def test_a_signer_timestamps_only_when_an_authority_is_set(sealing):
    assert not PadesSigner().timestamps
    assert PadesSigner(tsa_url="http://127.0.0.1:9/tsa").timestamps

    sealing.DOCUMENT_TSA_URL = "http://127.0.0.1:9/tsa"
    assert PadesSigner().timestamps
    assert not PadesSigner(tsa_url="").timestamps


def test_verification_trusts_the_configured_roots_else_the_signers_own(sealing, test_pki):
    assert [root.subject.native["common_name"] for root in verification_trust_roots()] == [
        "Racine de test du registre"
    ]

    sealing.DOCUMENT_SIGNING_TRUST_ROOTS = ""
    sealing.DOCUMENT_SIGNING_KEY = str(test_pki / "stranger-seal-key.pem")
    sealing.DOCUMENT_SIGNING_CERT = str(test_pki / "stranger-seal.pem")
    sealing.DOCUMENT_SIGNING_CHAIN = str(test_pki / "stranger-root.pem")

    assert [root.subject.native["common_name"] for root in verification_trust_roots()] == [
        "Racine d'un inconnu"
    ]


def test_no_timestamp_authority_root_means_no_timestamp_is_trusted(sealing):
    assert len(tsa_trust_roots()) == 1
    sealing.DOCUMENT_TSA_TRUST_ROOTS = ""
    assert tsa_trust_roots() == ()


def test_the_configured_signer_class_is_used(sealing):
    sealing.DOCUMENT_SIGNER = "documents.signing.UnsignedSigner"

    assert isinstance(get_signer(), UnsignedSigner)


# --- System checks ----------------------------------------------------------------------


def test_a_signer_that_cannot_be_imported_is_reported(sealing):
    sealing.DOCUMENT_SIGNER = "documents.signing.SignerQuiNExistePas"

    errors = document_signing(None)

    assert error_ids(errors) == ["documents.E001"]
    assert "SignerQuiNExistePas" in errors[0].msg


def test_unsealed_documents_are_allowed_while_debugging(sealing):
    sealing.DOCUMENT_SIGNER = "documents.signing.UnsignedSigner"

    assert document_signing(None) == []


def test_the_check_never_creates_a_development_key(sealing):
    for name in ("DOCUMENT_SIGNING_KEY", "DOCUMENT_SIGNING_CERT", "DOCUMENT_SIGNING_CHAIN"):
        setattr(sealing, name, "")

    assert document_signing(None) == []
    assert not Path(sealing.DOCUMENT_SIGNING_DEV_DIR).exists()


def test_a_wrong_passphrase_fails_the_check_in_production(production, test_pki):
    production.DOCUMENT_SIGNING_KEY = production.DOCUMENT_SIGNING_CERT = ""
    production.DOCUMENT_SIGNING_PKCS12 = str(test_pki / "seal.p12")
    production.DOCUMENT_SIGNING_PASSPHRASE = "pas-la-bonne"

    errors = document_signing(None)

    assert error_ids(errors) == ["documents.E003"]
    assert "DOCUMENT_SIGNING_PASSPHRASE" in errors[0].msg


def test_half_a_pem_configuration_fails_the_check(production):
    production.DOCUMENT_SIGNING_CERT = ""

    assert error_ids(document_signing(None)) == ["documents.E003"]


@pytest.mark.parametrize("base_url", [
    "http://guichet.example.tg",  # not https
    "https://localhost:8443",
    "https://127.0.0.1",
    "guichet.example.tg",  # no scheme at all
])
def test_production_refuses_verification_links_people_cannot_trust(production, base_url):
    production.DOCUMENT_VERIFICATION_BASE_URL = base_url

    errors = document_signing(None)

    assert error_ids(errors) == ["documents.E004"]
    assert base_url in errors[0].msg


def test_without_a_verification_address_production_falls_back_to_the_site_url(production):
    production.DOCUMENT_VERIFICATION_BASE_URL = ""
    production.SITE_URL = "https://guichet.example.tg"
    assert document_signing(None) == []

    production.SITE_URL = "http://127.0.0.1:8000"
    assert error_ids(document_signing(None)) == ["documents.E004"]


def test_every_production_problem_is_reported_at_once(production):
    production.DOCUMENT_SIGNER = "documents.signing.UnsignedSigner"
    production.DOCUMENT_VERIFICATION_BASE_URL = "http://localhost"

    assert error_ids(document_signing(None)) == ["documents.E002", "documents.E004"]


# --- The small PKI toolkit --------------------------------------------------------------


def test_an_unknown_certificate_usage_is_refused():
    with pytest.raises(ValueError, match="unknown certificate usage"):
        pki.issue(subject=pki.name("X", organization="Y"), key=pki.new_key(), usage="web",
                  days=1)


def test_a_timestamping_certificate_has_only_the_critical_time_stamping_usage():
    key = pki.new_rsa_key()
    certificate = pki.issue(subject=pki.name("Horodatage", organization="TSA"), key=key,
                            usage="tsa", days=30)

    usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert usage.critical
    assert list(usage.value) == [x509.ExtendedKeyUsageOID.TIME_STAMPING]
    assert not certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_real_pki_is_not_marked_development_and_its_keys_are_private(tmp_path):
    files = pki.write_pki(tmp_path / "reel", seal_name=SEAL_NAME, organization="Registre",
                          development=False)

    seal = x509.load_pem_x509_certificate(files.seal_cert.read_bytes())
    assert not pki.is_development_certificate(seal)
    assert (files.root_key.stat().st_mode & 0o777) == 0o600
    assert (files.seal_key.stat().st_mode & 0o777) == 0o600


def test_an_existing_key_file_is_never_overwritten(tmp_path):
    pki.write_pki(tmp_path / "pki", seal_name=SEAL_NAME, organization="Registre",
                  development=True)
    before = (tmp_path / "pki" / "seal-key.pem").read_bytes()

    with pytest.raises(FileExistsError):
        pki.write_pki(tmp_path / "pki", seal_name=SEAL_NAME, organization="Registre",
                      development=True)

    assert (tmp_path / "pki" / "seal-key.pem").read_bytes() == before


def test_the_development_pki_is_built_aside_and_leaves_no_temporary_folder(tmp_path):
    files = pki.ensure_development_pki(tmp_path / "signing", seal_name="Sceau de dév.")

    assert files.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["signing"]
    again = pki.ensure_development_pki(tmp_path / "signing", seal_name="Autre nom")
    assert again.seal_cert.read_bytes() == files.seal_cert.read_bytes()


def test_a_development_pki_made_by_another_process_meanwhile_is_kept(tmp_path, monkeypatch):
    """Lost race: the other process renamed its folder into place first; ours is dropped."""
    target = tmp_path / "signing"
    real_write = pki.write_pki

    def other_process_finishes_first(directory, **kwargs):
        real_write(target, seal_name="Sceau de l'autre", organization="Autre",
                   development=True)
        return real_write(directory, **kwargs)

    monkeypatch.setattr(pki, "write_pki", other_process_finishes_first)
    files = pki.ensure_development_pki(target, seal_name="Le nôtre")

    seal = x509.load_pem_x509_certificate(files.seal_cert.read_bytes())
    assert seal.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        "Sceau de l'autre")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["signing"]
