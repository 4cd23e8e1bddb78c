"""The seam where issued PDFs are sealed with the registry's key.

settings.DOCUMENT_SIGNER names the class; PadesSigner (the default) signs with pyHanko:
PAdES baseline B-B, or B-T when DOCUMENT_TSA_URL names an RFC 3161 timestamp authority.
The key and certificate come from a PKCS#12 file or from PEM files. With neither, a
development setup creates and uses a local CA under var/signing; production refuses that
key (documents/checks.py, and here at construction for processes that skip the checks).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.stamp.static import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki

SEAL_FIELD_NAME = "SceauRegistre"
# The stamp is drawn in the page content; the field's own appearance stays empty over it.
_EMPTY_APPEARANCE = StaticStampStyle(border_width=0)


@dataclass(frozen=True)
class SealField:
    """A visible signature field: page index and box (x1, y1, x2, y2) in PDF points."""

    box: tuple[int, int, int, int]
    page: int = 0


class Signer(Protocol):
    signs: bool
    timestamps: bool
    seal_name: str

    def sign(self, pdf: bytes, *, field: SealField | None = None, reason: str = "") -> bytes:
        ...

    def trust_roots(self) -> list[asn1_x509.Certificate]: ...


class UnsignedSigner:
    """Returns the PDF as it is; the page then says it is not sealed."""

    signs = False
    timestamps = False
    seal_name = ""

    def sign(self, pdf: bytes, *, field: SealField | None = None, reason: str = "") -> bytes:
        return pdf

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return []


@dataclass(frozen=True)
class SealKey:
    """The registry's signing key with its certificate and the chain up to its root."""

    signer: signers.SimpleSigner
    certificate: x509.Certificate
    chain: tuple[asn1_x509.Certificate, ...]
    development: bool

    @property
    def seal_name(self) -> str:
        for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME):
            attributes = self.certificate.subject.get_attributes_for_oid(oid)
            if attributes:
                return str(attributes[0].value)
        return self.certificate.subject.rfc4514_string()

    def roots(self) -> list[asn1_x509.Certificate]:
        """Self-signed certificates of the chain; failing any, the top of the chain."""
        chain = list(self.chain)
        roots = [cert for cert in chain if cert.self_signed != "no"]  # "maybe" or "yes"
        return roots or chain[-1:] or [self.signer.signing_cert]


def load_seal_key(*, create_development: bool = True) -> SealKey | None:
    """The key the settings name, or the development one; None only when it does not exist
    yet and `create_development` is off. Raises ImproperlyConfigured when unusable."""
    passphrase = settings.DOCUMENT_SIGNING_PASSPHRASE.encode() or None
    chain_path = settings.DOCUMENT_SIGNING_CHAIN
    allow_development = settings.DOCUMENT_SIGNING_ALLOW_DEV_KEY
    if settings.DOCUMENT_SIGNING_PKCS12:
        key = _from_pkcs12(Path(settings.DOCUMENT_SIGNING_PKCS12), passphrase, chain_path)
    elif settings.DOCUMENT_SIGNING_KEY or settings.DOCUMENT_SIGNING_CERT:
        if not (settings.DOCUMENT_SIGNING_KEY and settings.DOCUMENT_SIGNING_CERT):
            raise ImproperlyConfigured(
                "DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT go together (PEM files)."
            )
        key = _from_pem(Path(settings.DOCUMENT_SIGNING_KEY),
                        Path(settings.DOCUMENT_SIGNING_CERT), passphrase, chain_path)
    elif not allow_development:
        raise ImproperlyConfigured(
            "No document signing key: set DOCUMENT_SIGNING_PKCS12 (with "
            "DOCUMENT_SIGNING_PASSPHRASE) or DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT."
        )
    else:
        development = pki.PkiFiles(Path(settings.DOCUMENT_SIGNING_DEV_DIR))
        if not development.exists():
            if not create_development:
                return None
            development = pki.ensure_development_pki(
                development.directory, seal_name=development_seal_name()
            )
        key = _from_pem(development.seal_key, development.seal_cert, None,
                        str(development.root_cert))
    if key.development and not allow_development:
        raise ImproperlyConfigured(
            "The document signing certificate is a development one "
            f"({key.certificate.subject.rfc4514_string()}): production refuses it. "
            "Configure the registry's own seal."
        )
    return key


def development_seal_name() -> str:
    return f"Greffe du {settings.REGISTRY_COURT_NAME} (développement)"


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the {what} {path}: {error}") from error


def _chain(chain_path: str) -> list[asn1_x509.Certificate]:
    if not chain_path:
        return []
    return list(load_certs_from_pemder_data(_read(Path(chain_path), "certificate chain")))


def _from_pkcs12(path: Path, passphrase: bytes | None, chain_path: str) -> SealKey:
    data = _read(path, "PKCS#12 file")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=_chain(chain_path), passphrase=passphrase
        )
    except ValueError as error:
        raise ImproperlyConfigured(
            f"Cannot open the PKCS#12 file {path}: wrong DOCUMENT_SIGNING_PASSPHRASE?"
        ) from error
    return _seal_key(signer)


def _from_pem(key_path: Path, cert_path: Path, passphrase: bytes | None,
              chain_path: str) -> SealKey:
    try:
        signing_key = load_private_key_from_pemder_data(_read(key_path, "key"), passphrase)
        certificate = next(iter(load_certs_from_pemder_data(_read(cert_path, "certificate"))))
    except (ValueError, TypeError, StopIteration) as error:
        raise ImproperlyConfigured(
            f"Cannot load the signing key {key_path} or certificate {cert_path}: {error}"
        ) from error
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs(_chain(chain_path)),
    )
    return _seal_key(signer)


def _seal_key(signer: signers.SimpleSigner) -> SealKey:
    def readable(certificate: asn1_x509.Certificate) -> x509.Certificate:
        return x509.load_der_x509_certificate(certificate.dump())

    chain = tuple(signer.cert_registry)
    certificate = readable(signer.signing_cert)
    development = any(pki.is_development_certificate(cert)
                      for cert in (certificate, *map(readable, chain)))
    return SealKey(signer=signer, certificate=certificate, chain=chain, development=development)


class PadesSigner:
    """PAdES signatures with the registry's seal; B-T when a timestamp authority is set."""

    signs = True

    def __init__(self, *, key: SealKey | None = None, tsa_url: str | None = None,
                 timestamper: TimeStamper | None = None) -> None:
        self.key = key or load_seal_key()
        tsa_url = settings.DOCUMENT_TSA_URL if tsa_url is None else tsa_url
        self.timestamper = timestamper or (
            HTTPTimeStamper(tsa_url, timeout=settings.DOCUMENT_TSA_TIMEOUT) if tsa_url else None
        )
        self._reserved: int | None = None

    @property
    def timestamps(self) -> bool:
        return self.timestamper is not None

    @property
    def seal_name(self) -> str:
        return self.key.seal_name

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return self.key.roots()

    def sign(self, pdf: bytes, *, field: SealField | None = None, reason: str = "") -> bytes:
        """Sign incrementally; with a field, into a visible field placed over the stamp."""
        metadata = PdfSignatureMetadata(
            field_name=SEAL_FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=settings.REGISTRY_COURT_NAME,
        )
        pdf_signer = PdfSigner(
            metadata,
            signer=self.key.signer,
            timestamper=self.timestamper,
            stamp_style=_EMPTY_APPEARANCE,
            new_field_spec=fields.SigFieldSpec(
                SEAL_FIELD_NAME, on_page=field.page, box=field.box
            ) if field else None,
        )
        output = io.BytesIO()
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=output,
                            bytes_reserved=self.bytes_reserved())
        return output.getvalue()

    def bytes_reserved(self) -> int:
        """Room in the PDF for the signature, sized once per signer. Left to itself pyHanko
        signs a dummy container before every real one to size it, two signatures for one
        (about 40% of the seal's time); the size depends only on the key, its chain and the
        timestamp authority, all fixed for this signer, so the dry run is done once here,
        with pyHanko's own margin (+50%, in hex digits)."""
        if self._reserved is None:
            attributes = PdfCMSSignedAttributes(signing_time=timezone.now())
            container = asyncio.run(self.key.signer.async_sign(
                hashlib.sha256().digest(), "sha256", dry_run=True, use_pades=True,
                timestamper=self.timestamper, signed_attr_settings=attributes))
            size = len(container.dump()) * 2
            self._reserved = size + 2 * (size // 4)
        return self._reserved


@functools.cache
def get_signer() -> Signer:
    """The configured signer, built once per process: loading keys is not free."""
    return import_string(settings.DOCUMENT_SIGNER)()


@functools.cache
def tsa_trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    return tuple(_chain(settings.DOCUMENT_TSA_TRUST_ROOTS))


@functools.cache
def verification_trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    """Roots whose seals count as the registry's: the setting, else the signer's own root."""
    if settings.DOCUMENT_SIGNING_TRUST_ROOTS:
        return tuple(_chain(settings.DOCUMENT_SIGNING_TRUST_ROOTS))
    return tuple(get_signer().trust_roots())


@receiver(setting_changed)
def _forget_signer(*, setting: str, **kwargs) -> None:
    if setting.startswith("DOCUMENT_") or setting == "REGISTRY_COURT_NAME":
        get_signer.cache_clear()
        tsa_trust_roots.cache_clear()
        verification_trust_roots.cache_clear()
