"""Certificates issued per second by the whole issue service, against a bare ReportLab +
pyHanko baseline.

Run: make bench-certificates   (.venv/bin/python -m tests.bench.bench_certificates)

Both sides run in the same process, one after the other in turn, on the same loaded key
(ECDSA P-256, made for the run in a temporary folder). The measured side is what the
worker runs for a registered company: registry.services.issue_certificate — reading the
register entry, drawing (embedded fonts, QR code, stamp), the PAdES seal in a visible
field, the stored file, its rows under the filing's lock, the audit events, the owner's
notification — on PostgreSQL (a throw-away database, companies set up beforehand). The
drawing alone (documents.issuing.produce_pdf) is printed too. The baseline is the same
page drawn by the same ReportLab code (documents.certificates.render_certificate, same
facts, QR code and stamp), signed by pyHanko with its defaults (PAdES, invisible field;
pyHanko then sizes the signature with a dry-run signature first). A second baseline signs
it with the room reserved as the service does (documents.signing.PadesSigner.
bytes_reserved), to show what the service adds over the signature alone. No network, no
timestamp. Target: the issue service costs at most 1.5 times the bare ReportLab + pyHanko
signature of the same page. Exit status 1 otherwise.
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


def approved_companies(count: int) -> list[int]:
    """`count` companies the registrar approved, their certificates not issued yet: one
    filing through the whole procedure (eager), then copies of its filing, company and
    people with their own references and RCCM numbers. Application ids."""
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core import mail

    from config.celery import app as celery_app
    from registry.models import Company
    from tests.bench.bench_procedure import _copy, step_data
    from tests.bench.common import clerks_by_desk
    from tests.registry.filings import build, sarl_plan, sign_with_services
    from workflows import selectors
    from workflows import services as engine
    from workflows.models import StepKind, Task, TaskState

    mail.outbox = []
    celery_app.conf.task_always_eager = True
    clerks = clerks_by_desk()
    owner = get_user_model().objects.create_user(email="bench-owner@example.tg")
    application = build(owner, sarl_plan())
    sign_with_services(application, owner)
    case = selectors.case_for(application)
    with mock.patch("registry.tasks.issue_certificate.apply_async"):  # issued by the bench
        while ready := list(Task.objects.filter(case=case, state=TaskState.READY,
                                                kind=StepKind.MANUAL)):
            for task in ready:
                clerk = clerks[task.desk.code]
                engine.claim_task(task_id=task.pk, user=clerk)
                engine.approve_task(task_id=task.pk, user=clerk,
                                    data=step_data(task.step_id, case.pk))
    application.refresh_from_db()
    company = Company.objects.get(application=application)
    parties = list(application.parties.all())
    ids = [application.pk]
    for index in range(1, count):
        copy = _copy(application, reference=f"BENCH-{index:07d}",
                     rccm_number=f"{company.rccm_number[:-5]}{index + 1:05d}")
        for party in parties:
            _copy(party, application_id=copy.pk)
        _copy(company, application_id=copy.pk, rccm_number=copy.rccm_number,
              certificate_id=None, nif=f"{2_000_000_000 + index}",
              employer_number=f"{200_000 + index}")
        ids.append(copy.pk)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=40)
    parser.add_argument("--profile", type=int, default=20,
                        help="certificates issued under cProfile afterwards (0: none)")
    options = parser.parse_args()

    key_dir = Path(tempfile.mkdtemp(prefix="bench-pki-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(key_dir / "media"))
    os.environ.update({
        "DOCUMENT_SIGNER": "documents.signing.PadesSigner",
        "DOCUMENT_SIGNING_PKCS12": "",
        "DOCUMENT_SIGNING_KEY": str(key_dir / "seal-key.pem"),
        "DOCUMENT_SIGNING_CERT": str(key_dir / "seal.pem"),
        "DOCUMENT_SIGNING_CHAIN": str(key_dir / "ca.pem"),
        "DOCUMENT_TSA_URL": "",
        "DOCUMENT_VERIFICATION_BASE_URL": "https://guichet.example.tg",
    })
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
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

    from documents import codes
    from documents.certificates import render_certificate
    from documents.issuing import produce_pdf, verification_url
    from documents.layout import SealMark, Verification
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

    def page() -> bytes:
        code = codes.new_code()
        return render_certificate(
            facts, verification=Verification(code=codes.grouped(code),
                                             url=verification_url(code)),
            seal=SealMark(signer_name=signer.seal_name, sealed_at=timezone.now(),
                          timestamped=False))

    def bare(**reserve) -> bytes:
        output = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(page())),
                         bare_metadata, signer=signer.key.signer, output=output, **reserve)
        return output.getvalue()

    def bare_reserved() -> bytes:
        return bare(bytes_reserved=signer.bytes_reserved())

    from django.conf import settings

    from registry.services import issue_certificate
    from tests.bench.common import throwaway_database

    settings.DEBUG = False  # no query log
    total = options.rounds * options.per_round
    with throwaway_database():
        application_ids = iter(approved_companies(total + 1 + options.profile))

        def issue() -> None:
            issue_certificate(application_id=next(application_ids))

        from config.celery import app as celery_app

        # The owner's e-mail is the next task's work (sent by a worker), not the issue's:
        # it is queued (in-memory broker) rather than sent here.
        celery_app.conf.task_always_eager = False
        certificate_size, bare_size = len(certificate()), len(bare())  # warm-up
        issue()
        # One of each in turn, each timed alone; the medians shrug off moments when another
        # process takes the CPU (this machine has few cores and is shared).
        per_issue, per_certificate, per_bare, per_reserved = [], [], [], []
        for _ in range(total):
            for measure, samples in ((issue, per_issue), (certificate, per_certificate),
                                     (bare, per_bare), (bare_reserved, per_reserved)):
                start = time.perf_counter()
                measure()
                samples.append(time.perf_counter() - start)

        if options.profile:
            from tests.bench.common import QueryTimer, profile_top

            with QueryTimer() as timer:
                profile_top(lambda: [issue() for _ in range(options.profile)], entries=25,
                            prefix=f"issue profile ({options.profile} certificates)")
            timer.print_top(30, prefix="issue queries by time:")

    shutil.rmtree(key_dir, ignore_errors=True)
    issue_seconds = statistics.median(per_issue)
    certificate_seconds = statistics.median(per_certificate)
    bare_seconds = statistics.median(per_bare)
    reserved_seconds = statistics.median(per_reserved)
    ratio = issue_seconds / bare_seconds
    try:
        import _rl_accel  # noqa: F401

        accelerated = "yes"
    except ImportError:
        accelerated = "no"
    print(f"machine: {os.cpu_count()} cpu, {_cpu_model()}")
    print(f"python: {platform.python_version()}, pyhanko {metadata.version('pyHanko')}, "
          f"reportlab {reportlab.Version}, rl_accel {accelerated}")
    print(f"data: {total} documents per side (median time); certificate "
          f"{certificate_size} bytes, bare {bare_size} bytes; key ECDSA P-256; no timestamp; "
          "PostgreSQL")
    print(f"certificates_issued_per_second: {1 / issue_seconds:.1f} /s (whole issue service)")
    print(f"bare_sign_per_second: {1 / bare_seconds:.1f} /s")
    print(f"issue_service_ms: {issue_seconds * 1000:.2f} ms")
    print(f"certificate_pdf_only_ms: {certificate_seconds * 1000:.2f} ms")
    print(f"bare_sign_ms: {bare_seconds * 1000:.2f} ms (same page, pyHanko defaults)")
    print(f"bare_sign_reserved_ms: {reserved_seconds * 1000:.2f} ms (same page, room "
          "reserved as the service does)")
    print(f"ratio_issue_service_to_bare: {ratio:.2f} x")
    print(f"ratio_pdf_only_to_bare: {certificate_seconds / bare_seconds:.2f} x")
    print(f"ratio_issue_service_to_bare_reserved: {issue_seconds / reserved_seconds:.2f} x "
          "(what the service adds over the same signature)")
    print(f"target_ratio_max: {TARGET_RATIO:.2f} x")
    met = ratio <= TARGET_RATIO
    print(f"target_met: {'yes' if met else 'no'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
