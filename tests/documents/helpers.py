"""Facts to issue, and independent ways to look at the PDFs the service produces."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import zxingcpp
from PIL import Image
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from documents.certificates import CertificateFacts
from documents.rccm_extract import RccmExtractFacts, RegisterEntry

CERTIFICATE_FACTS = CertificateFacts(
    court_name="Tribunal de commerce de Lomé",
    company_name="Société Éléphant Bleu",
    legal_form="Société à responsabilité limitée (SARL)",
    rccm_number="TG-LOM-2026-B-00042",
    capital=1_000_000,
    registered_office="12 rue du Commerce, Lomé",
    managers=["Kossi AGBEKO"],
    registered_at=datetime(2026, 11, 29, 10, 0, tzinfo=UTC),
    nif="1000456789",
    cnss_number="E-0042-2026",
)

EXTRACT_FACTS = RccmExtractFacts(
    court_name="Tribunal de commerce de Lomé",
    company_name="Société Éléphant Bleu",
    legal_form="Société à responsabilité limitée (SARL)",
    rccm_number="TG-LOM-2026-B-00042",
    capital=1_000_000,
    registered_office="12 rue du Commerce, Lomé",
    business_purpose="Import-export de matériel de bureau.",
    as_of=date(2026, 12, 15),
    managers=["Kossi AGBEKO"],
    registered_at=datetime(2026, 11, 29, 10, 0, tzinfo=UTC),
    entries=[RegisterEntry(on=date(2026, 11, 29), text="Immatriculation initiale.")],
)


def read_pdf(stored_file) -> bytes:
    with stored_file.file.open("rb") as handle:
        return handle.read()


def validate(pdf: bytes, *, root: Path, tsa_root: Path | None = None) -> PdfSignatureStatus:
    """pyHanko's verdict on the only signature, trusting `root` (and `tsa_root`) alone."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(
        signature,
        signer_validation_context=ValidationContext(
            trust_roots=[load_cert_from_pemder(str(root))]
        ),
        ts_validation_context=ValidationContext(
            trust_roots=[load_cert_from_pemder(str(tsa_root))] if tsa_root else []
        ),
    )


def pdfsig(pdf: bytes, *, nss_db: str, tmp_path: Path) -> str:
    path = tmp_path / "a-verifier.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", "-nssdir", nss_db, str(path)],
                            capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def change_one_byte(pdf: bytes, *, inside: bytes = b"ReportLab PDF Library") -> bytes:
    """The same file with one letter of the signed content changed (the producer's name)."""
    position = pdf.index(inside)
    altered = bytearray(pdf)
    altered[position] = ord("X")
    return bytes(altered)


def decode_qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Render the first page with poppler, as a phone camera would see it, and read it."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(tmp_path / "page")], check=True, timeout=60)
    with Image.open(tmp_path / "page.png") as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]
