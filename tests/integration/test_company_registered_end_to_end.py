"""One SARL from sign-up to certificate, through the web views, on PostgreSQL with a real
Celery worker consuming from Redis. Skipped only when those are not configured (CI sets them).
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from documents.verification import verify_pdf
from registry.models import Application, ApplicationState, Company

from ..journeys import (
    DESK_ORDER,
    approve_ready_task,
    file_sarl,
    log_in_with_totp,
    sign,
    sign_up_and_verify,
)
from .conftest import needs_postgresql_and_broker, wait_for

pytestmark = [pytest.mark.integration, needs_postgresql_and_broker]
RCCM = re.compile(r"^TG-LOM-\d{4}-B-\d{5}$")


def test_a_sarl_is_registered_end_to_end_with_a_real_worker(real_worker, make_user, clerks):
    assert connection.vendor == "postgresql"
    applicant = Client()
    sign_up_and_verify(applicant, "awa.koffi@example.tg")
    application = file_sarl(applicant)
    # The one-time code is e-mailed by the worker once the request committed.
    sign(applicant, application, real_worker=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.IN_REVIEW
    assert application.signatures.get().ip_address == "127.0.0.1"

    for desk in DESK_ORDER:
        clerk = Client()
        log_in_with_totp(clerk, clerks[desk])
        approve_ready_task(clerk, application.pk, desk)

    # The certificate is drawn by the worker, after the registrar's decision committed.
    wait_for(lambda: Application.objects.get(pk=application.pk).state
             == ApplicationState.REGISTERED)
    company = Company.objects.select_related("certificate").get(application=application)
    assert RCCM.match(company.rccm_number)
    assert company.name == "Éléphant Bleu"

    url = reverse("registry:certificate", args=[application.reference])
    download = applicant.get(url)
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) == company.certificate.stored_file.size
    assert verify_pdf(pdf).outcome == "authentic"  # sealed with the registry's key

    other = Client()
    other.force_login(make_user("intrus@example.tg"))
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 404
