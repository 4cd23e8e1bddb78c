"""The whole journey through the web views on the embedded defaults (eager Celery)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from payments.models import InvoiceState
from payments.selectors import invoice_of
from registry.models import ApplicationState, Company
from registry.templatetags.money import fcfa

from ..fees import pay_fee
from ..journeys import (
    DESK_ORDER,
    approve_ready_task,
    file_sarl,
    log_in_with_totp,
    sign,
    sign_up_and_verify,
)
from .filings import text


def test_a_sarl_goes_from_sign_up_to_certificate(
    db, make_user, clerks, django_capture_on_commit_callbacks
):
    applicant = Client()
    sign_up_and_verify(applicant, "awa.koffi@example.tg")
    application = file_sarl(applicant)
    task_list = applicant.get(application.get_absolute_url()).content.decode()
    assert "7 parties sur 7 terminées" in task_list
    sign(applicant, application, pay=False)
    application.refresh_from_db()
    assert application.state == ApplicationState.PENDING_PAYMENT
    assert application.signatures.count() == 1
    invoice = invoice_of(application)
    status = text(applicant.get(application.get_absolute_url()))
    assert fcfa(invoice.amount) in status and "Payer les frais" in status
    with django_capture_on_commit_callbacks(execute=True):
        pay_fee(application)
    assert application.state == ApplicationState.IN_REVIEW
    assert invoice_of(application).state == InvoiceState.PAID
    for desk in DESK_ORDER:
        clerk = Client()
        log_in_with_totp(clerk, clerks[desk])
        with django_capture_on_commit_callbacks(execute=True):
            approve_ready_task(clerk, application.pk, desk)

    application.refresh_from_db()
    assert application.state == ApplicationState.REGISTERED
    company = Company.objects.get(application=application)
    assert re.match(r"^TG-LOM-\d{4}-B-00001$", company.rccm_number)
    page = applicant.get(application.get_absolute_url()).content.decode()
    assert company.rccm_number in page

    url = reverse("registry:certificate", args=[application.reference])
    download = applicant.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    intruder = Client()
    intruder.force_login(make_user("intrus@example.tg"))
    assert intruder.get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_clerk_without_the_second_factor_cannot_sign_in(db, clerks):
    client = Client()
    client.post(reverse("account_login"),
                {"login": clerks["guichet"].email, "password": "Un-mot-de-passe-solide-2026"})
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert client.get(reverse("workflows:queue")).status_code == 302
