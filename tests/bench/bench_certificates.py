"""Certificates generated and sealed per second, against a bare ReportLab + pyHanko baseline.

Run: .venv/bin/python -m tests.bench.bench_certificates [--rounds 7] [--per-round 40]

Both sides run in the same process, one after the other in turn, on the same loaded key
(ECDSA P-256, made for the run in a temporary folder): the certificate is the production
path (documents.issuing.produce_pdf: drawing with embedded fonts, QR code, stamp, PAdES
signature in a visible field); the baseline is a one-line ReportLab PDF signed by pyHanko
with its defaults (PAdES, invisible field). No database, no network, no timestamp.
Target: a certificate costs at most 1.5 times the bare signature. Exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

TARGET_RATIO = 1.5


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=40)
    options = parser.parse_args()

    key_dir = Path(tempfile.mkdtemp(prefix="bench-pki-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.update({
        "DOCUMENT_SIGNER": "documents.signing.PadesSigner",
        "DOCUMENT_SIGNING_PKCS12": "",
        "DOCUMENT_SIGNING_KEY": str(key_dir / "seal-key.pem"),
        "DOCUMENT_SIGNING_CERT": str(key_dir / "seal.pem"),
        "DOCUMENT_SIGNING_CHAIN": str(key_dir / "ca.pem"),
        "DOCUMENT_TSA_URL": "",
        "DOCUMENT_VERIFICATION_BASE_URL": "https://guichet.example.tg",
        "DATABASE_URL": "sqlite://:memory:",
    })
    import django

    django.setup()
    from documents import pki

    # A registry-like (not development) key, so any DJANGO_DEBUG setting accepts it.
    pki.write_pki(key_dir, seal_name="Greffe du Tribunal de commerce de Lomé",
                  organization="Banc d'essai", development=False)

    import reportlab
    from django.utils import timezone
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from documents import codes
    from documents.issuing import produce_pdf
    from documents.models import DocumentKind
    from documents.signing import get_signer
    from tests.documents.helpers import CERTIFICATE_FACTS

    signer = get_signer()  # loaded once per process, as in the web and worker processes
    facts = CERTIFICATE_FACTS  # the facts the test suite seals, so both measure one thing

    def certificate() -> bytes:
        return produce_pdf(kind=DocumentKind.CERTIFICATE, facts=facts, code=codes.new_code(),
                           signer=signer, sealed_at=timezone.now())

    bare_metadata = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )

    def bare() -> bytes:
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=A4)
        pdf.drawString(72, 770, "Bonjour")
        pdf.showPage()
        pdf.save()
        output = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue())),
                         bare_metadata, signer=signer.key.signer, output=output)
        return output.getvalue()

    certificate_size, bare_size = len(certificate()), len(bare())  # warm-up
    # One of each in turn, each timed alone; the medians shrug off moments when another
    # process takes the CPU (this machine has few cores and is shared).
    per_certificate, per_bare = [], []
    for _ in range(options.rounds * options.per_round):
        for measure, samples in ((certificate, per_certificate), (bare, per_bare)):
            start = time.perf_counter()
            measure()
            samples.append(time.perf_counter() - start)

    shutil.rmtree(key_dir, ignore_errors=True)
    certificate_seconds = statistics.median(per_certificate)
    bare_seconds = statistics.median(per_bare)
    ratio = certificate_seconds / bare_seconds
    try:
        import _rl_accel  # noqa: F401

        accelerated = "yes"
    except ImportError:
        accelerated = "no"
    print(f"machine: {os.cpu_count()} cpu, {_cpu_model()}")
    print(f"python: {platform.python_version()}, pyhanko {metadata.version('pyHanko')}, "
          f"reportlab {reportlab.Version}, rl_accel {accelerated}")
    print(f"data: {options.rounds * options.per_round} documents per side (median time); "
          f"certificate {certificate_size} bytes, bare {bare_size} bytes; "
          "key ECDSA P-256; no timestamp")
    print(f"certificates_per_second: {1 / certificate_seconds:.1f} /s")
    print(f"bare_sign_per_second: {1 / bare_seconds:.1f} /s")
    print(f"certificate_ms: {certificate_seconds * 1000:.2f} ms")
    print(f"bare_sign_ms: {bare_seconds * 1000:.2f} ms")
    print(f"ratio_certificate_to_bare: {ratio:.2f} x")
    print(f"target_ratio_max: {TARGET_RATIO:.2f} x")
    met = ratio <= TARGET_RATIO
    print(f"target_met: {'yes' if met else 'no'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
