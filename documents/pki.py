"""Small X.509 toolkit: the development CA and seal, and the test suite's PKI and TSA.

Production keys come from an accredited provider (law 2017-07, art. 83), never from here.
Everything this module makes for development carries DEVELOPMENT_MARKER in its names, so
production settings can recognise it and refuse it (see documents/checks.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Organizational unit of every development certificate: what the production check looks for.
DEVELOPMENT_MARKER = "DEVELOPPEMENT - NE PAS UTILISER EN PRODUCTION"

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def new_key() -> PrivateKey:
    """ECDSA P-256: small signatures, fast signing, accepted by PAdES validators."""
    return ec.generate_private_key(ec.SECP256R1())


def new_rsa_key() -> PrivateKey:
    """RSA 2048, for the test TSA: pyHanko's DummyTimeStamper signs with RSA only."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def name(common_name: str, *, organization: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TG"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def issue(
    *,
    subject: x509.Name,
    key: PrivateKey,
    issuer: x509.Certificate | None = None,
    issuer_key: PrivateKey | None = None,
    usage: str,
    days: int,
    not_before: dt.datetime | None = None,
) -> x509.Certificate:
    """A certificate for `usage` "ca", "seal" or "tsa"; self-signed when no issuer is given."""
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    signing_key = issuer_key or key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), False
        )
    )
    if usage == "ca":
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        builder = builder.add_extension(_key_usage(cert_sign=True), True)
    elif usage in ("seal", "tsa"):
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        builder = builder.add_extension(_key_usage(cert_sign=False), True)
        if usage == "tsa":
            # RFC 3161 section 2.3: the only extended key usage, and critical.
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True
            )
    else:
        raise ValueError(f"unknown certificate usage {usage!r}")
    return builder.sign(signing_key, hashes.SHA256())


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def key_pem(key: PrivateKey, passphrase: bytes | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def cert_pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certificates)


def pkcs12_bytes(
    *, key: PrivateKey, certificate: x509.Certificate, chain: list[x509.Certificate],
    passphrase: bytes, friendly_name: bytes = b"sceau",
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        friendly_name, key, certificate, chain,
        serialization.BestAvailableEncryption(passphrase),
    )


def is_development_certificate(certificate: x509.Certificate) -> bool:
    """True for anything this module made for development (subject or issuer marked)."""
    for names in (certificate.subject, certificate.issuer):
        units = names.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        if any(unit.value == DEVELOPMENT_MARKER for unit in units):
            return True
    return False


@dataclass(frozen=True)
class PkiFiles:
    """A root CA and a seal certificate with their keys, as PEM files in one folder."""

    directory: Path

    @property
    def root_cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def root_key(self) -> Path:
        return self.directory / "ca-key.pem"

    @property
    def seal_cert(self) -> Path:
        return self.directory / "seal.pem"

    @property
    def seal_key(self) -> Path:
        return self.directory / "seal-key.pem"

    def exists(self) -> bool:
        return all(path.exists() for path in
                   (self.root_cert, self.root_key, self.seal_cert, self.seal_key))


def write_pki(directory: Path, *, seal_name: str, organization: str,
              development: bool) -> PkiFiles:
    """A fresh root and seal in `directory` (development ones are marked as such)."""
    files = PkiFiles(Path(directory))
    files.directory.mkdir(parents=True, exist_ok=True)
    unit = DEVELOPMENT_MARKER if development else ""
    root_key = new_key()
    root = issue(subject=name(f"AC {organization}", organization=organization, unit=unit),
                 key=root_key, usage="ca", days=365 * 10)
    seal_key = new_key()
    seal = issue(subject=name(seal_name, organization=organization, unit=unit),
                 key=seal_key, issuer=root, issuer_key=root_key, usage="seal", days=365 * 3)
    _write_private(files.root_key, key_pem(root_key))
    _write_private(files.seal_key, key_pem(seal_key))
    files.root_cert.write_bytes(cert_pem(root))
    files.seal_cert.write_bytes(cert_pem(seal))
    return files


def ensure_development_pki(directory: Path, *, seal_name: str) -> PkiFiles:
    """Create a local CA and a seal certificate in `directory` unless they are there.

    Built in a temporary folder and renamed into place, so two processes starting at once
    end up with one complete set.
    """
    files = PkiFiles(Path(directory))
    if files.exists():
        return files
    files.directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".signing-", dir=files.directory.parent))
    try:
        write_pki(building, seal_name=seal_name, organization="Guichet unique (développement)",
                  development=True)
        try:
            os.rename(building, files.directory)
        except OSError:
            if not files.exists():  # not a lost race: a real problem
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return files


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
